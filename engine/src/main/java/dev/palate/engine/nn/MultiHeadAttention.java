package dev.palate.engine.nn;

import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Multi-head attention on already projected queries, keys and values, through libtorch's
 * {@code scaled_dot_product_attention} (fused flash kernel on CPU; flash/memory-efficient on CUDA when the mask
 * allows). Scale is head_dim^-0.5.
 */
public final class MultiHeadAttention {
    // Class initialisation may run inside a NativeScope; the extra reference keeps these alive after it.
    private static final DoubleOptional DEFAULT_SCALE = new DoubleOptional().retainReference();
    private static final TensorOptional NO_MASK = new TensorOptional().retainReference();

    private MultiHeadAttention() {}

    /**
     * q [B, L, W], k and v [B, K, W] → [B, L, W].
     *
     * @param maskOrNull additive float mask broadcastable to [B, heads, L, K], or bool (true = attend); null for none
     * @param causal     mask out keys after each query position (text towers)
     */
    public static Tensor attend(Tensor q, Tensor k, Tensor v, int heads, Tensor maskOrNull, boolean causal) {
        return mergeHeads(attendHeads(splitHeads(q, heads), splitHeads(k, heads), splitHeads(v, heads), maskOrNull, causal));
    }

    /**
     * Attention on tensors already split into heads: q [B, H, L, D], k and v [B, H, K, D] → [B, H, L, D].
     *
     * <p>bf16/fp16 on the CPU attend in fp32 and cast the result back: libtorch 2.10's reduced-precision CPU flash
     * kernel is many times slower than its fp32 one (issue 12: 333 vs 15 ms at ViT-B/16), and fp32 scores and
     * softmax are at least as exact as the kernel's own fp32 accumulation.
     */
    public static Tensor attendHeads(Tensor q, Tensor k, Tensor v, Tensor maskOrNull, boolean causal) {
        ScalarType in = q.scalar_type(); // JavaCPP enums compare by value, not identity
        if (q.is_cpu() && (in.value == ScalarType.BFloat16.value || in.value == ScalarType.Half.value)) {
            Tensor mask = maskOrNull == null || maskOrNull.scalar_type().value == ScalarType.Bool.value ? maskOrNull
                    : maskOrNull.to(ScalarType.Float);
            return sdpa(q.to(ScalarType.Float), k.to(ScalarType.Float), v.to(ScalarType.Float), mask, causal).to(in);
        }
        return sdpa(q, k, v, maskOrNull, causal);
    }

    private static Tensor sdpa(Tensor q, Tensor k, Tensor v, Tensor maskOrNull, boolean causal) {
        TensorOptional mask = maskOrNull == null ? NO_MASK : new TensorOptional(maskOrNull);
        return torch.scaled_dot_product_attention(q, k, v, mask, 0.0, causal, DEFAULT_SCALE, false);
    }

    /** [B, N, W] → [B, H, N, W/H] (a view). */
    public static Tensor splitHeads(Tensor x, int heads) {
        long b = x.size(0), n = x.size(1), w = x.size(2);
        return x.view(b, n, heads, w / heads).transpose(1, 2);
    }

    /** [B, H, N, D] → [B, N, H·D]. */
    public static Tensor mergeHeads(Tensor x) {
        long b = x.size(0), h = x.size(1), n = x.size(2), d = x.size(3);
        return x.transpose(1, 2).reshape(b, n, h * d);
    }
}

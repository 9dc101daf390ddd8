package dev.palate.engine.nn;

import org.bytedeco.pytorch.Tensor;

/**
 * Attention where several query heads share one key/value head (GQA; {@code heads / kvHeads} queries per group), over
 * {@link MultiHeadAttention#attendHeads}. The shared heads are expanded as transformers' {@code repeat_kv} does, so
 * every SDPA kernel (CPU flash, CUDA flash/memory-efficient, math) sees ordinary multi-head attention.
 */
public final class GroupedQueryAttention {
    private GroupedQueryAttention() {}

    /**
     * q [B, Hq, L, D], k and v [B, Hkv, K, D] → [B, Hq, L, D].
     *
     * @param maskOrNull bool (true = attend) or additive float mask broadcastable to [B, Hq, L, K]; null for none
     * @param causal     apply the causal mask (only when {@code maskOrNull} is null and L == K)
     */
    public static Tensor attend(Tensor q, Tensor k, Tensor v, Tensor maskOrNull, boolean causal) {
        long groups = q.size(1) / k.size(1);
        if (groups * k.size(1) != q.size(1))
            throw new IllegalArgumentException(q.size(1) + " query heads are not a multiple of " + k.size(1) + " key/value heads");
        return MultiHeadAttention.attendHeads(q, repeatKv(k, groups), repeatKv(v, groups), maskOrNull, causal);
    }

    /** [B, Hkv, K, D] → [B, Hkv·n, K, D], each head repeated n times in place (modeling_llama.py repeat_kv). */
    public static Tensor repeatKv(Tensor x, long n) {
        if (n == 1) return x;
        long b = x.size(0), h = x.size(1), s = x.size(2), d = x.size(3);
        return x.unsqueeze(2).expand(b, h, n, s, d).reshape(b, h * n, s, d);
    }
}

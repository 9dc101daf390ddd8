package dev.palate.engine.nn;

import java.util.List;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

import dev.palate.engine.DType;

/**
 * The vision block the Qwen-VL towers share (modeling_qwen2_vl.py {@code Qwen2VLVisionBlock}, modeling_qwen3_vl.py
 * {@code Qwen3VLVisionBlock}, modeling_qwen3_5.py {@code Qwen3_5VisionBlock}): {@code x += proj(attn(norm1(x)));
 * x += fc2(act(fc1(norm2(x))))} with a fused qkv, the 2-D rotary applied to q and k in fp32 and cast back
 * ({@code apply_rotary_pos_emb_vision}), and attention full within each image and none across images (the non-flash
 * path runs each image's chunk separately). The families build it from their own weight names.
 */
public final class VisionBlock {
    private final int width, heads;
    private final Activation act;
    private final LayerNorm norm1, norm2; // [E]
    private final Linear qkv;             // [3E, E]: q, k, v rows
    private final Linear proj;            // [E, E]
    private final Linear fc1;             // [M, E]
    private final Linear fc2;             // [E, M]

    public VisionBlock(int width, int heads, Activation act, LayerNorm norm1, Linear qkv, Linear proj, LayerNorm norm2,
                       Linear fc1, Linear fc2) {
        this.width = width;
        this.heads = heads;
        this.act = act;
        this.norm1 = norm1;
        this.qkv = qkv;
        this.proj = proj;
        this.norm2 = norm2;
        this.fc1 = fc1;
        this.fc2 = fc2;
    }

    /**
     * x [N, E] (all images' patches, image after image) → [N, E].
     *
     * @param cos,sin    [N, D] fp32 rotary tables
     * @param imageSizes patches per image, summing to N
     */
    public Tensor forward(Tensor x, Tensor cos, Tensor sin, List<Long> imageSizes) {
        long n = x.size(0), d = width / heads;
        Tensor h = qkv.apply(norm1.apply(x)).view(n, 3, heads, d);             // [N, 3, H, D]
        Tensor c = cos.unsqueeze(1), s = sin.unsqueeze(1);                      // [N, 1, D]
        torch.ScalarType dt = x.scalar_type();
        Tensor q = RotaryEmbedding.apply(h.select(1, 0).to(DType.F32.scalarType()), c, s).to(dt);
        Tensor k = RotaryEmbedding.apply(h.select(1, 1).to(DType.F32.scalarType()), c, s).to(dt);
        Tensor v = h.select(1, 2);
        q = q.transpose(0, 1).unsqueeze(0);                                     // [1, H, N, D]
        k = k.transpose(0, 1).unsqueeze(0);
        v = v.transpose(0, 1).unsqueeze(0);
        TensorVector outs = new TensorVector();
        long start = 0;
        for (long len : imageSizes) {
            outs.push_back(MultiHeadAttention.attendHeads(q.narrow(2, start, len), k.narrow(2, start, len),
                    v.narrow(2, start, len), null, false));                    // [1, H, len, D]
            start += len;
        }
        Tensor a = imageSizes.size() == 1 ? outs.get(0) : torch.cat(outs, 2);   // [1, H, N, D]
        x = x.add(proj.apply(a.squeeze(0).transpose(0, 1).reshape(n, width))); // [N, E]
        return x.add(fc2.apply(act.apply(fc1.apply(norm2.apply(x)))));
    }
}

package dev.palate.models.qwen2vl;

import java.util.List;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

import dev.palate.engine.DType;
import dev.palate.engine.nn.Activation;
import dev.palate.engine.nn.LayerNorm;
import dev.palate.engine.nn.Linear;
import dev.palate.engine.nn.MultiHeadAttention;
import dev.palate.engine.nn.RotaryEmbedding;
import dev.palate.engine.weights.ScopedWeights;

/**
 * One vision block: {@code x += attn(norm1(x)); x += mlp(norm2(x))} with LayerNorm eps 1e-6, fused qkv, 2-D rotary on
 * q and k applied in fp32, attention full within each image and none across images (modeling_qwen2_vl.py
 * {@code Qwen2VLVisionBlock}, {@code VisionAttention}: the non-flash path runs each image's chunk separately).
 */
final class Qwen2VlVisionBlock {
    private final int width, heads;
    private final Activation act;
    private final LayerNorm norm1, norm2; // [E]
    private final Linear qkv;             // [3E, E]: q, k, v rows
    private final Linear proj;            // [E, E]
    private final Linear fc1;             // [E·r, E]
    private final Linear fc2;             // [E, E·r]

    Qwen2VlVisionBlock(ScopedWeights w, Qwen2VlConfig.Vision c) {
        width = c.embedDim();
        heads = c.heads();
        act = c.activation();
        norm1 = new LayerNorm(w.get("norm1.weight"), w.get("norm1.bias"), 1e-6);
        norm2 = new LayerNorm(w.get("norm2.weight"), w.get("norm2.bias"), 1e-6);
        qkv = new Linear(w.get("attn.qkv.weight"), w.get("attn.qkv.bias"));
        proj = new Linear(w.get("attn.proj.weight"), w.get("attn.proj.bias"));
        fc1 = new Linear(w.get("mlp.fc1.weight"), w.get("mlp.fc1.bias"));
        fc2 = new Linear(w.get("mlp.fc2.weight"), w.get("mlp.fc2.bias"));
    }

    /**
     * x [N, E] (all images' patches, image after image) → [N, E].
     *
     * @param cos,sin    [N, D] fp32 rotary tables
     * @param imageSizes patches per image, summing to N
     */
    Tensor forward(Tensor x, Tensor cos, Tensor sin, List<Long> imageSizes) {
        long n = x.size(0);
        long d = width / heads;
        Tensor h = qkv.apply(norm1.apply(x)).view(n, 3, heads, d);             // [N, 3, H, D]
        Tensor c = cos.unsqueeze(1), s = sin.unsqueeze(1);                      // [N, 1, D]
        DType dt = DType.fromScalarType(x.scalar_type());
        // apply_rotary_pos_emb_vision: q, k in fp32, cast back
        Tensor q = RotaryEmbedding.apply(h.select(1, 0).to(DType.F32.scalarType()), c, s).to(dt.scalarType());
        Tensor k = RotaryEmbedding.apply(h.select(1, 1).to(DType.F32.scalarType()), c, s).to(dt.scalarType());
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
        a = a.squeeze(0).transpose(0, 1).reshape(n, width);                     // [N, E]
        x = x.add(proj.apply(a));
        return x.add(fc2.apply(act.apply(fc1.apply(norm2.apply(x)))));
    }
}

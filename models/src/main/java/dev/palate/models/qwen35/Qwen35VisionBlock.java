package dev.palate.models.qwen35;

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
 * One Qwen3.5 vision block (the same as Qwen3-VL's) (modeling_qwen3_5.py {@code Qwen3_5VisionBlock}): LayerNorm eps 1e-6, fused qkv, 2-D
 * rotary in fp32, attention within each image, MLP {@code linear_fc2(act(linear_fc1(x)))} with the tanh GELU of
 * {@code gelu_pytorch_tanh}.
 */
final class Qwen35VisionBlock {
    private final int width, heads;
    private final Activation act;
    private final LayerNorm norm1, norm2;
    private final Linear qkv, proj, fc1, fc2;

    Qwen35VisionBlock(ScopedWeights w, Qwen35Config.Vision c) {
        width = c.hiddenSize();
        heads = c.heads();
        act = c.activation();
        norm1 = new LayerNorm(w.get("norm1.weight"), w.get("norm1.bias"), 1e-6);
        norm2 = new LayerNorm(w.get("norm2.weight"), w.get("norm2.bias"), 1e-6);
        qkv = new Linear(w.get("attn.qkv.weight"), w.get("attn.qkv.bias"));
        proj = new Linear(w.get("attn.proj.weight"), w.get("attn.proj.bias"));
        fc1 = new Linear(w.get("mlp.linear_fc1.weight"), w.get("mlp.linear_fc1.bias"));
        fc2 = new Linear(w.get("mlp.linear_fc2.weight"), w.get("mlp.linear_fc2.bias"));
    }

    /** x [N, E] → [N, E]; cos, sin [N, D] fp32; imageSizes: patches per image. */
    Tensor forward(Tensor x, Tensor cos, Tensor sin, List<Long> imageSizes) {
        long n = x.size(0), d = width / heads;
        Tensor h = qkv.apply(norm1.apply(x)).view(n, 3, heads, d);
        Tensor c = cos.unsqueeze(1), s = sin.unsqueeze(1);
        torch.ScalarType dt = x.scalar_type();
        Tensor q = RotaryEmbedding.apply(h.select(1, 0).to(DType.F32.scalarType()), c, s).to(dt);
        Tensor k = RotaryEmbedding.apply(h.select(1, 1).to(DType.F32.scalarType()), c, s).to(dt);
        Tensor v = h.select(1, 2);
        q = q.transpose(0, 1).unsqueeze(0);
        k = k.transpose(0, 1).unsqueeze(0);
        v = v.transpose(0, 1).unsqueeze(0);
        TensorVector outs = new TensorVector();
        long start = 0;
        for (long len : imageSizes) {
            outs.push_back(MultiHeadAttention.attendHeads(q.narrow(2, start, len), k.narrow(2, start, len), v.narrow(2, start, len), null, false));
            start += len;
        }
        Tensor a = imageSizes.size() == 1 ? outs.get(0) : torch.cat(outs, 2);
        x = x.add(proj.apply(a.squeeze(0).transpose(0, 1).reshape(n, width)));
        return x.add(fc2.apply(act.apply(fc1.apply(norm2.apply(x)))));
    }
}

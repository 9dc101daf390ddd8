package dev.palate.models.qwen2vl;

import org.bytedeco.pytorch.Tensor;

import dev.palate.engine.nn.GroupedQueryAttention;
import dev.palate.engine.nn.Linear;
import dev.palate.engine.nn.MultiHeadAttention;
import dev.palate.engine.nn.RmsNorm;
import dev.palate.engine.nn.RotaryEmbedding;
import dev.palate.engine.nn.SwiGluMlp;
import dev.palate.engine.weights.ScopedWeights;

/**
 * One Qwen2 decoder layer (modeling_qwen2_vl.py {@code Qwen2VLDecoderLayer}): pre-norm RMSNorm, q/k/v projections
 * with bias, rotary on q and k, grouped-query attention, o_proj without bias, then the SwiGLU MLP.
 */
final class Qwen2DecoderLayer {
    private final int heads, kvHeads, headDim;
    private final RmsNorm inputNorm, postAttentionNorm; // [W]
    private final Linear q;                             // [Hq·D, W]
    private final Linear k, v;                          // [Hkv·D, W]
    private final Linear o;                             // [W, Hq·D]
    private final SwiGluMlp mlp;

    Qwen2DecoderLayer(ScopedWeights w, Qwen2VlConfig.Text c) {
        heads = c.heads();
        kvHeads = c.kvHeads();
        headDim = c.headDim();
        inputNorm = RmsNorm.of(w.get("input_layernorm.weight"), c.rmsNormEps());
        postAttentionNorm = RmsNorm.of(w.get("post_attention_layernorm.weight"), c.rmsNormEps());
        ScopedWeights a = w.at("self_attn");
        q = new Linear(a.get("q_proj.weight"), a.get("q_proj.bias"));
        k = new Linear(a.get("k_proj.weight"), a.get("k_proj.bias"));
        v = new Linear(a.get("v_proj.weight"), a.get("v_proj.bias"));
        o = new Linear(a.get("o_proj.weight"), null);
        ScopedWeights m = w.at("mlp");
        mlp = new SwiGluMlp(new Linear(m.get("gate_proj.weight"), null), new Linear(m.get("up_proj.weight"), null),
                new Linear(m.get("down_proj.weight"), null));
    }

    /**
     * x [B, L, W] → [B, L, W].
     *
     * @param cos,sin [B, L, D] rotary tables in the model dtype
     * @param mask    bool [B, 1, L, L] (true = attend), or null for plain causal attention
     */
    Tensor forward(Tensor x, Tensor cos, Tensor sin, Tensor mask) {
        long b = x.size(0), l = x.size(1);
        Tensor h = inputNorm.apply(x);
        Tensor qs = q.apply(h).view(b, l, heads, headDim).transpose(1, 2);     // [B, Hq, L, D]
        Tensor ks = k.apply(h).view(b, l, kvHeads, headDim).transpose(1, 2);   // [B, Hkv, L, D]
        Tensor vs = v.apply(h).view(b, l, kvHeads, headDim).transpose(1, 2);
        Tensor c = cos.unsqueeze(1), s = sin.unsqueeze(1);                      // [B, 1, L, D]
        qs = RotaryEmbedding.apply(qs, c, s);
        ks = RotaryEmbedding.apply(ks, c, s);
        Tensor attn = GroupedQueryAttention.attend(qs, ks, vs, mask, mask == null); // [B, Hq, L, D]
        x = x.add(o.apply(MultiHeadAttention.mergeHeads(attn)));
        return x.add(mlp.apply(postAttentionNorm.apply(x)));
    }
}

package dev.palate.models.qwen3vl;

import org.bytedeco.pytorch.Tensor;

import dev.palate.engine.nn.GroupedQueryAttention;
import dev.palate.engine.nn.KvCache;
import dev.palate.engine.nn.Linear;
import dev.palate.engine.nn.MultiHeadAttention;
import dev.palate.engine.nn.RmsNorm;
import dev.palate.engine.nn.RotaryEmbedding;
import dev.palate.engine.nn.SwiGluMlp;
import dev.palate.engine.weights.ScopedWeights;

/**
 * One Qwen3 decoder layer (modeling_qwen3_vl.py {@code Qwen3VLTextDecoderLayer}): RMSNorm per head on q and k
 * <em>before</em> the rotary, interleaved M-RoPE, grouped-query attention (with an optional KV cache), SwiGLU.
 */
final class Qwen3VlTextLayer {
    private final int index, heads, kvHeads, headDim;
    private final RmsNorm inputNorm, postAttentionNorm, qNorm, kNorm;
    private final Linear q, k, v, o;
    private final SwiGluMlp mlp;

    Qwen3VlTextLayer(ScopedWeights w, Qwen3VlConfig.Text c, int index) {
        this.index = index;
        heads = c.heads();
        kvHeads = c.kvHeads();
        headDim = c.headDim();
        inputNorm = RmsNorm.of(w.get("input_layernorm.weight"), c.rmsNormEps());
        postAttentionNorm = RmsNorm.of(w.get("post_attention_layernorm.weight"), c.rmsNormEps());
        ScopedWeights a = w.at("self_attn");
        qNorm = RmsNorm.of(a.get("q_norm.weight"), c.rmsNormEps());
        kNorm = RmsNorm.of(a.get("k_norm.weight"), c.rmsNormEps());
        boolean bias = c.attentionBias();
        q = new Linear(a.get("q_proj.weight"), bias ? a.get("q_proj.bias") : null);
        k = new Linear(a.get("k_proj.weight"), bias ? a.get("k_proj.bias") : null);
        v = new Linear(a.get("v_proj.weight"), bias ? a.get("v_proj.bias") : null);
        o = new Linear(a.get("o_proj.weight"), bias ? a.get("o_proj.bias") : null);
        ScopedWeights m = w.at("mlp");
        mlp = new SwiGluMlp(new Linear(m.get("gate_proj.weight"), null), new Linear(m.get("up_proj.weight"), null),
                new Linear(m.get("down_proj.weight"), null));
    }

    /**
     * x [B, T, W] → [B, T, W]. With a cache, the new keys/values are stored at the cache's current length and the
     * queries attend to everything cached so far.
     *
     * @param cos,sin [B, T, D] in the model dtype
     * @param mask    bool [B, 1, T, K] (true = attend), or null for plain causal attention over the T new tokens
     */
    Tensor forward(Tensor x, Tensor cos, Tensor sin, Tensor mask, KvCache cacheOrNull) {
        long b = x.size(0), t = x.size(1);
        Tensor h = inputNorm.apply(x);
        Tensor qs = qNorm.apply(q.apply(h).view(b, t, heads, headDim)).transpose(1, 2);    // [B, Hq, T, D]
        Tensor ks = kNorm.apply(k.apply(h).view(b, t, kvHeads, headDim)).transpose(1, 2);  // [B, Hkv, T, D]
        Tensor vs = v.apply(h).view(b, t, kvHeads, headDim).transpose(1, 2);
        Tensor c = cos.unsqueeze(1), s = sin.unsqueeze(1);
        qs = RotaryEmbedding.apply(qs, c, s);
        ks = RotaryEmbedding.apply(ks, c, s);
        boolean causal = mask == null;
        if (cacheOrNull != null) {
            Tensor[] kv = cacheOrNull.write(index, ks, vs);
            causal = causal && cacheOrNull.length() == 0; // one new token attends to every cached one
            ks = kv[0];
            vs = kv[1];
        }
        Tensor attn = GroupedQueryAttention.attend(qs, ks, vs, mask, causal);
        x = x.add(o.apply(MultiHeadAttention.mergeHeads(attn)));
        return x.add(mlp.apply(postAttentionNorm.apply(x)));
    }
}

package dev.palate.models.qwen35;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

import dev.palate.engine.nn.GroupedQueryAttention;
import dev.palate.engine.nn.KvCache;
import dev.palate.engine.nn.Linear;
import dev.palate.engine.nn.MultiHeadAttention;
import dev.palate.engine.nn.RmsNorm;
import dev.palate.engine.nn.RotaryEmbedding;
import dev.palate.engine.weights.ScopedWeights;

/**
 * Qwen3.5's gated full attention (modeling_qwen3_5.py {@code Qwen3_5Attention}): {@code q_proj} gives per head
 * [query | gate]; zero-centred RMSNorm on q and k per head; rotary on the first {@code rotaryDim} dimensions only
 * (partial rotary); grouped-query attention with the KV cache; the output times {@code sigmoid(gate)}; o_proj.
 */
final class Qwen35Attention {
    private final int slot, heads, kvHeads, headDim, rotaryDim;
    private final Linear q, k, v, o;
    private final RmsNorm qNorm, kNorm;

    /** @param slot this layer's index among the full-attention layers (its KV cache layer) */
    Qwen35Attention(ScopedWeights w, Qwen35Config.Text c, int slot) {
        this.slot = slot;
        heads = c.heads();
        kvHeads = c.kvHeads();
        headDim = c.headDim();
        rotaryDim = c.rotaryDim();
        boolean bias = c.attentionBias();
        q = new Linear(w.get("q_proj.weight"), bias ? w.get("q_proj.bias") : null);
        k = new Linear(w.get("k_proj.weight"), bias ? w.get("k_proj.bias") : null);
        v = new Linear(w.get("v_proj.weight"), bias ? w.get("v_proj.bias") : null);
        o = new Linear(w.get("o_proj.weight"), bias ? w.get("o_proj.bias") : null);
        qNorm = RmsNorm.zeroCentred(w.get("q_norm.weight"), c.rmsNormEps());
        kNorm = RmsNorm.zeroCentred(w.get("k_norm.weight"), c.rmsNormEps());
    }

    /** x [B, T, W]; cos, sin [B, T, rotaryDim]; mask bool [B, 1, T, K] or null (causal). */
    Tensor forward(Tensor x, Tensor cos, Tensor sin, Tensor mask, KvCache cache) {
        long b = x.size(0), t = x.size(1);
        Tensor qg = q.apply(x).view(b, t, heads, 2L * headDim);
        Tensor query = qg.narrow(-1, 0, headDim), gate = qg.narrow(-1, headDim, headDim).reshape(b, t, (long) heads * headDim);
        Tensor qs = qNorm.apply(query).transpose(1, 2);                                    // [B, H, T, D]
        Tensor ks = kNorm.apply(k.apply(x).view(b, t, kvHeads, headDim)).transpose(1, 2);
        Tensor vs = v.apply(x).view(b, t, kvHeads, headDim).transpose(1, 2);
        Tensor c = cos.unsqueeze(1), s = sin.unsqueeze(1);
        qs = partialRotary(qs, c, s);
        ks = partialRotary(ks, c, s);
        boolean causal = mask == null && cache.length() == 0;
        Tensor[] kv = cache.write(slot, ks, vs);
        Tensor attn = GroupedQueryAttention.attend(qs, kv[0], kv[1], mask, causal);
        Tensor merged = MultiHeadAttention.mergeHeads(attn).mul(gate.sigmoid());
        return o.apply(merged);
    }

    private Tensor partialRotary(Tensor x, Tensor cos, Tensor sin) {
        Tensor rot = RotaryEmbedding.apply(x.narrow(-1, 0, rotaryDim), cos, sin);
        return rotaryDim == headDim ? rot : torch.cat(new TensorVector(rot, x.narrow(-1, rotaryDim, headDim - rotaryDim)), -1);
    }
}

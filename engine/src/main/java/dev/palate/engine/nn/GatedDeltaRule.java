package dev.palate.engine.nn;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

import dev.palate.engine.DType;

/**
 * The gated delta rule of gated delta-net linear attention (Qwen3.5, Qwen3-Next), in the two forms transformers'
 * PyTorch fallbacks compute (modeling_qwen3_5.py {@code torch_chunk_gated_delta_rule} for a prompt,
 * {@code torch_recurrent_gated_delta_rule} for one decoding step), always in fp32 with q and k L2-normalised inside
 * ({@code use_qk_l2norm_in_kernel=True}) and q scaled by {@code Dk^-1/2}. Per head the state S [Dk, Dv] evolves as
 * {@code S ← exp(g)·S; S ← S + k ⊗ β(v − Sᵀk); o = Sᵀq}.
 *
 * <p>Shapes: q, k [B, T, H, Dk]; v [B, T, H, Dv]; g (log decay, ≤ 0) and β [B, T, H]; state [B, H, Dk, Dv]. Heads of q
 * and k must already be repeated to the value heads. The chunked form uses {@link #CHUNK} = 64 tokens per chunk, as
 * transformers does: the sequence is zero-padded to a multiple of it.
 */
public final class GatedDeltaRule {
    /** Tokens per chunk of the chunked form (transformers' default {@code chunk_size}). */
    public static final int CHUNK = 64;

    private GatedDeltaRule() {}

    /** Output [B, T, H, Dv] in q's dtype, and the final state [B, H, Dk, Dv] fp32. */
    public record Result(Tensor output, Tensor state) {}

    /** The chunked form over a whole sequence; {@code initialStateOrNull} null = zeros. */
    public static Result chunked(Tensor q, Tensor k, Tensor v, Tensor g, Tensor beta, Tensor initialStateOrNull) {
        torch.ScalarType in = q.scalar_type();
        long b = k.size(0), t = k.size(1), dk = k.size(3), h = v.size(2), dv = v.size(3);
        Tensor query = fp32Heads(q), key = fp32Heads(k), value = fp32Heads(v);                 // [B, H, T, D]
        Tensor bt = beta.transpose(1, 2).to(torch.ScalarType.Float).contiguous();                // [B, H, T]
        Tensor decay = g.transpose(1, 2).to(torch.ScalarType.Float).contiguous();
        query = l2norm(query);
        key = l2norm(key);
        query = query.mul(new Scalar(Math.pow(dk, -0.5)));
        long pad = (CHUNK - t % CHUNK) % CHUNK, total = t + pad, chunks = total / CHUNK;
        query = torch.constant_pad_nd(query, new long[] {0, 0, 0, pad}, new Scalar(0.0));
        key = torch.constant_pad_nd(key, new long[] {0, 0, 0, pad}, new Scalar(0.0));
        value = torch.constant_pad_nd(value, new long[] {0, 0, 0, pad}, new Scalar(0.0));
        bt = torch.constant_pad_nd(bt, new long[] {0, pad}, new Scalar(0.0));
        decay = torch.constant_pad_nd(decay, new long[] {0, pad}, new Scalar(0.0));

        Tensor vBeta = value.mul(bt.unsqueeze(-1));
        Tensor kBeta = key.mul(bt.unsqueeze(-1));
        query = query.reshape(b, h, chunks, CHUNK, dk);
        key = key.reshape(b, h, chunks, CHUNK, dk);
        kBeta = kBeta.reshape(b, h, chunks, CHUNK, dk);
        vBeta = vBeta.reshape(b, h, chunks, CHUNK, dv);
        decay = decay.reshape(b, h, chunks, CHUNK);
        Tensor upper;
        try (TensorOptions o = new TensorOptions(DType.BOOL.scalarType())) {
            upper = torch.ones(new long[] {CHUNK, CHUNK}, o).to(query.device(), DType.BOOL.scalarType()).triu(1);
        }
        Tensor cum = decay.cumsum(3);                                                              // [B, H, C, 64]
        Tensor pairwise = cum.unsqueeze(4).sub(cum.unsqueeze(3)).masked_fill(upper, new Scalar(Double.NEGATIVE_INFINITY)).exp();
        Tensor ut = kBeta.matmul(key.transpose(-1, -2)).mul(pairwise);                             // [B, H, C, 64, 64]
        Tensor intra = query.matmul(key.transpose(-1, -2)).mul(pairwise);
        Tensor decayedKBeta = kBeta.mul(cum.exp().unsqueeze(-1));
        Tensor newValues = torch.linalg_solve_triangular(ut, vBeta, false, true, true);
        Tensor kCumDecay = torch.linalg_solve_triangular(ut, decayedKBeta, false, true, true);
        Tensor state = initialStateOrNull == null ? torch.zeros(new long[] {b, h, dk, dv}, new TensorOptions(torch.ScalarType.Float)).to(query.device(), torch.ScalarType.Float)
                : initialStateOrNull.to(torch.ScalarType.Float);
        query = query.mul(cum.exp().unsqueeze(-1));
        key = key.mul(cum.narrow(3, CHUNK - 1, 1).sub(cum).exp().unsqueeze(-1));
        Tensor chunkDecay = cum.select(3, CHUNK - 1).exp().unsqueeze(-1).unsqueeze(-1);           // [B, H, C, 1, 1]
        org.bytedeco.pytorch.TensorVector outs = new org.bytedeco.pytorch.TensorVector();
        for (long i = 0; i < chunks; i++) {
            Tensor vNew = newValues.select(2, i).sub(kCumDecay.select(2, i).matmul(state));
            Tensor inter = query.select(2, i).matmul(state);
            outs.push_back(inter.add(intra.select(2, i).matmul(vNew)));                            // [B, H, 64, Dv]
            state = state.mul(chunkDecay.select(2, i)).add(key.select(2, i).transpose(-1, -2).matmul(vNew));
        }
        Tensor out = torch.stack(outs, 2).reshape(b, h, -1, dv).narrow(2, 0, t);                  // [B, H, T, Dv]
        return new Result(out.transpose(1, 2).contiguous().to(in), state);
    }

    /** The recurrent form, token by token (one decoding step: T = 1); {@code initialStateOrNull} null = zeros. */
    public static Result recurrent(Tensor q, Tensor k, Tensor v, Tensor g, Tensor beta, Tensor initialStateOrNull) {
        torch.ScalarType in = q.scalar_type();
        long b = k.size(0), t = k.size(1), dk = k.size(3), h = v.size(2), dv = v.size(3);
        Tensor query = l2norm(fp32Heads(q)), key = l2norm(fp32Heads(k)), value = fp32Heads(v);
        Tensor bt = beta.transpose(1, 2).to(torch.ScalarType.Float).contiguous();
        Tensor decay = g.transpose(1, 2).to(torch.ScalarType.Float).contiguous();
        query = query.div(new Scalar(Math.sqrt(dk)));
        Tensor state = initialStateOrNull == null ? torch.zeros(new long[] {b, h, dk, dv}, new TensorOptions(torch.ScalarType.Float)).to(query.device(), torch.ScalarType.Float)
                : initialStateOrNull.to(torch.ScalarType.Float);
        org.bytedeco.pytorch.TensorVector outs = new org.bytedeco.pytorch.TensorVector();
        for (long i = 0; i < t; i++) {
            Tensor qt = query.select(2, i), kt = key.select(2, i), vt = value.select(2, i);         // [B, H, D]
            state = state.mul(decay.select(2, i).exp().unsqueeze(-1).unsqueeze(-1));
            Tensor kvMem = state.mul(kt.unsqueeze(-1)).sum(new long[] {-2}, false, new ScalarTypeOptional());
            Tensor delta = vt.sub(kvMem).mul(bt.select(2, i).unsqueeze(-1));
            state = state.add(kt.unsqueeze(-1).mul(delta.unsqueeze(-2)));
            outs.push_back(state.mul(qt.unsqueeze(-1)).sum(new long[] {-2}, false, new ScalarTypeOptional()));
        }
        Tensor out = torch.stack(outs, 2);                                                          // [B, H, T, Dv]
        return new Result(out.transpose(1, 2).contiguous().to(in), state);
    }

    /** [B, T, H, D] → [B, H, T, D] fp32 contiguous. */
    private static Tensor fp32Heads(Tensor x) {
        return x.transpose(1, 2).to(torch.ScalarType.Float).contiguous();
    }

    /** {@code x · rsqrt(Σx² + 1e-6)} over the last dimension (modeling_qwen3_5.py l2norm, as the FLA library). */
    static Tensor l2norm(Tensor x) {
        return x.mul(x.mul(x).sum(new long[] {-1}, true, new ScalarTypeOptional()).add(new Scalar(1e-6)).rsqrt());
    }
}

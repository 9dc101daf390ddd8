package dev.palate.models.qwen35;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

import dev.palate.engine.nn.GatedDeltaRule;
import dev.palate.engine.nn.LinearAttentionCache;
import dev.palate.engine.nn.Linear;
import dev.palate.engine.weights.ScopedWeights;

/**
 * The gated delta-net token mixer of Qwen3.5's linear-attention layers (modeling_qwen3_5.py
 * {@code Qwen3_5GatedDeltaNet.forward}): in-projections to qkv (one depthwise causal conv with SiLU over all three),
 * z (the output gate), b (β = sigmoid) and a (decay g = −exp(A_log) · softplus(a + dt_bias), fp32); q and k
 * repeated to the value heads; the gated delta rule (chunked for a prompt, recurrent for one step, state in a
 * {@link LinearAttentionCache}); the gated RMSNorm ({@code weight · rms(o) · silu(z)}, weight not zero-centred);
 * out-projection.
 */
final class Qwen35GatedDeltaNet {
    private final int index, keyHeads, valueHeads, keyDim, valueDim, kernel;
    private final Linear inQkv, inZ, inB, inA, out;
    private final Tensor convWeight;   // [C, 1, K]
    private final Tensor aLog, dtBias; // [Hv]
    private final Tensor normWeight;   // [Dv]
    private final double eps;

    Qwen35GatedDeltaNet(ScopedWeights w, Qwen35Config.Text c, int index) {
        this.index = index;
        keyHeads = c.linearKeyHeads();
        valueHeads = c.linearValueHeads();
        keyDim = c.linearKeyDim();
        valueDim = c.linearValueDim();
        kernel = c.convKernel();
        eps = c.rmsNormEps();
        inQkv = new Linear(w.get("in_proj_qkv.weight"), null);
        inZ = new Linear(w.get("in_proj_z.weight"), null);
        inB = new Linear(w.get("in_proj_b.weight"), null);
        inA = new Linear(w.get("in_proj_a.weight"), null);
        out = new Linear(w.get("out_proj.weight"), null);
        convWeight = w.get("conv1d.weight");
        aLog = w.get("A_log");
        dtBias = w.get("dt_bias");
        normWeight = w.get("norm.weight");
    }

    /**
     * x [B, T, W] → [B, T, W]. A cache that already holds this layer's state makes this a decoding step (T must be 1);
     * otherwise it is a prompt, whose final states the cache receives when given.
     *
     * @param validOrNull bool [B, T], false at left-padding positions (zeroed first, apply_mask_to_padding_states)
     */
    Tensor forward(Tensor x, Tensor validOrNull, LinearAttentionCache cacheOrNull) {
        long b = x.size(0), t = x.size(1);
        if (validOrNull != null) x = x.mul(validOrNull.unsqueeze(-1).to(x.scalar_type()));
        boolean step = cacheOrNull != null && cacheOrNull.has(index);
        if (step && t != 1) throw new IllegalStateException("a cached gated delta-net step takes one token, got " + t);
        Tensor mixed = inQkv.apply(x).transpose(1, 2);                                   // [B, C, T]
        Tensor z = inZ.apply(x).reshape(b, t, valueHeads, valueDim);
        Tensor beta = inB.apply(x).sigmoid();                                            // [B, T, Hv]
        Tensor a = inA.apply(x);
        long channels = mixed.size(1);
        Tensor conv, convState;
        if (step) {
            // causal_conv1d_update: the kernel over [state | new], the state keeps the last K inputs
            Tensor full = torch.cat(new TensorVector(cacheOrNull.conv(index), mixed), -1);
            convState = full.narrow(-1, full.size(-1) - kernel, kernel);
            conv = depthwiseCausal(full, t);
        } else {
            // update_conv_state at prefill: the last K inputs, zero-padded on the left when shorter
            convState = t >= kernel ? mixed.narrow(-1, t - kernel, kernel)
                    : torch.constant_pad_nd(mixed, new long[] {kernel - t, 0}, new Scalar(0.0));
            conv = depthwiseCausal(torch.constant_pad_nd(mixed, new long[] {kernel - 1, 0}, new Scalar(0.0)), t); // causal_conv1d_fn
        }
        Tensor qkv = torch.silu(conv).to(x.scalar_type()).transpose(1, 2);             // [B, T, C]; SiLU in fp32
        long kd = (long) keyHeads * keyDim;
        Tensor q = qkv.narrow(-1, 0, kd).reshape(b, t, keyHeads, keyDim);
        Tensor k = qkv.narrow(-1, kd, kd).reshape(b, t, keyHeads, keyDim);
        Tensor v = qkv.narrow(-1, 2 * kd, (long) valueHeads * valueDim).reshape(b, t, valueHeads, valueDim);
        Tensor g = aLog.to(torch.ScalarType.Float).exp().neg()
                .mul(torch.softplus(a.to(torch.ScalarType.Float).add(dtBias)));          // [B, T, Hv] fp32
        int repeat = valueHeads / keyHeads;
        if (repeat > 1) {
            q = torch.repeat_interleave(q, repeat, new org.bytedeco.pytorch.LongOptional(2), new org.bytedeco.pytorch.LongOptional());
            k = torch.repeat_interleave(k, repeat, new org.bytedeco.pytorch.LongOptional(2), new org.bytedeco.pytorch.LongOptional());
        }
        GatedDeltaRule.Result r = step ? GatedDeltaRule.recurrent(q, k, v, g, beta, cacheOrNull.recurrent(index))
                : GatedDeltaRule.chunked(q, k, v, g, beta, null);
        if (cacheOrNull != null) cacheOrNull.update(index, convState, r.state());
        Tensor o = gatedNorm(r.output().reshape(-1, valueDim), z.reshape(-1, valueDim));
        return out.apply(o.reshape(b, t, (long) valueHeads * valueDim));
    }

    /**
     * The depthwise causal conv (no bias) of the last {@code t} positions of {@code padded} [B, C, t + K − 1]:
     * {@code Σ_k w[c, k] · x[c, i + k]}, summed in fp32 over K shifted views. libtorch 2.10's grouped conv1d with one
     * group per channel (8 192+ groups at 9B) is orders of magnitude slower on the CPU; the sum is the same convolution
     * (fp32 rounding differs in the last bits: within 1e-5 of the reference in the tests).
     */
    private Tensor depthwiseCausal(Tensor padded, long t) {
        Tensor x = padded.to(torch.ScalarType.Float);
        Tensor w = convWeight.to(torch.ScalarType.Float);                             // [C, 1, K]
        long start = padded.size(-1) - (t + kernel - 1);
        Tensor out = null;
        for (int k = 0; k < kernel; k++) {
            Tensor term = x.narrow(-1, start + k, t).mul(w.narrow(2, k, 1).squeeze(1).unsqueeze(0)); // [B, C, t]·[1, C, 1]
            out = out == null ? term : out.add(term);
        }
        return out;
    }

    /** Qwen3_5RMSNormGated: {@code weight · (x / rms(x)).to(dtype) · silu(gate.float())}, back to x's dtype. */
    private Tensor gatedNorm(Tensor x, Tensor gate) {
        torch.ScalarType in = x.scalar_type();
        Tensor h = x.to(torch.ScalarType.Float);
        Tensor variance = h.square().mean(new long[] {-1}, true, new ScalarTypeOptional());
        h = normWeight.mul(h.mul(variance.add(new Scalar(eps)).rsqrt()).to(in));
        return h.mul(torch.silu(gate.to(torch.ScalarType.Float))).to(in);
    }
}

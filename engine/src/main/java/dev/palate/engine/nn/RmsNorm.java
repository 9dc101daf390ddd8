package dev.palate.engine.nn;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * RMSNorm over the last dimension, computed in fp32 whatever the input dtype (transformers
 * {@code Qwen2RMSNorm.forward}: {@code x.float() * rsqrt(mean(x²) + eps)}, cast back to the input dtype, then
 * {@code × weight}). {@link #zeroCentred} is the Qwen3.5 / Gemma form whose stored weight is {@code γ − 1}.
 */
public final class RmsNorm {
    private final Tensor weight; // [W]
    private final double eps;
    private final boolean zeroCentred;

    private RmsNorm(Tensor weight, double eps, boolean zeroCentred) {
        this.weight = weight;
        this.eps = eps;
        this.zeroCentred = zeroCentred;
    }

    /** {@code weight · x / rms(x)} (Qwen2, Qwen2-VL, Qwen3). */
    public static RmsNorm of(Tensor weight, double eps) {
        return new RmsNorm(weight, eps, false);
    }

    /** {@code (1 + weight) · x / rms(x)}, the product taken in fp32 before the cast back (Qwen3.5 {@code Qwen3_5RMSNorm}). */
    public static RmsNorm zeroCentred(Tensor weight, double eps) {
        return new RmsNorm(weight, eps, true);
    }

    /** x [..., W] → [..., W] in x's dtype. */
    public Tensor apply(Tensor x) {
        torch.ScalarType in = x.scalar_type();
        Tensor h = x.to(torch.ScalarType.Float);
        Tensor variance = h.square().mean(new long[] {-1}, true, new ScalarTypeOptional()); // [..., 1]
        h = h.mul(variance.add(new Scalar(eps)).rsqrt());
        if (zeroCentred) return h.mul(weight.to(torch.ScalarType.Float).add(new Scalar(1.0))).to(in);
        return weight.mul(h.to(in));
    }
}

package dev.palate.engine.nn;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/** LayerNorm over the last dimension with an affine weight and bias (eps differs per model: 1e-5, 1e-6, 1e-12). */
public final class LayerNorm {
    private final long[] shape;
    private final Tensor weight, bias; // [W]
    private final double eps;

    public LayerNorm(Tensor weight, Tensor bias, double eps) {
        this.shape = new long[] {weight.size(0)};
        this.weight = weight;
        this.bias = bias;
        this.eps = eps;
    }

    /** x [..., W] → [..., W] */
    public Tensor apply(Tensor x) {
        // optional wrappers per call, in the caller's scope (see Linear)
        return torch.layer_norm(x, shape, new TensorOptional(weight), new TensorOptional(bias), eps, true);
    }
}

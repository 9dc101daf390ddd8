package dev.palate.models.blip;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/** LayerNorm over the last dimension with an affine weight and bias. */
final class LayerNorm {
    private final long[] shape;
    private final TensorOptional weight;
    private final TensorOptional bias;
    private final double eps;

    LayerNorm(long width, TensorOptional weight, TensorOptional bias, double eps) {
        this.shape = new long[]{width};
        this.weight = weight;
        this.bias = bias;
        this.eps = eps;
    }

    Tensor apply(Tensor x) { return torch.layer_norm(x, shape, weight, bias, eps, true); }
}

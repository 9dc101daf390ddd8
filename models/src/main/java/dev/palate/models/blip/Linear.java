package dev.palate.models.blip;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/** {@code y = x Wᵀ + b} on weights a {@link WeightStore} owns. */
final class Linear {
    final Tensor weight; // [out, in]
    private final TensorOptional bias;

    Linear(Tensor weight, TensorOptional bias) {
        this.weight = weight;
        this.bias = bias;
    }

    Tensor apply(Tensor x) { return torch.linear(x, weight, bias); }
}

package dev.palate.engine.nn;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * {@code y = x Wᵀ + b}. The weights belong to whoever loaded them; this only holds the handles. The optional
 * wrapper of the bias is made per call, inside the caller's scope: a wrapper made at construction would be freed
 * by whatever scope happened to be open then.
 */
public final class Linear {
    private final Tensor weight; // [out, in]
    private final Tensor bias;   // [out] or null

    public Linear(Tensor weight, Tensor biasOrNull) {
        this.weight = weight;
        this.bias = biasOrNull;
    }

    /** x [..., in] → [..., out] */
    public Tensor apply(Tensor x) {
        return torch.linear(x, weight, bias == null ? new TensorOptional() : new TensorOptional(bias));
    }

    public Tensor weight() { return weight; }
}

package dev.palate.engine.nn;

import org.bytedeco.pytorch.Tensor;

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

    /** x [..., in] → [..., out]; bf16/fp16 on a CPU without native support multiply in fp32 ({@link CpuReducedPrecision}). */
    public Tensor apply(Tensor x) {
        return CpuReducedPrecision.linear(x, weight, bias);
    }

    public Tensor weight() { return weight; }
}

package dev.palate.engine.nn;

import org.bytedeco.pytorch.Tensor;

/**
 * The decoding state of the linear-attention (gated delta-net) layers of one batch, beside the attention layers'
 * {@link KvCache}: per layer the last {@code kernel} inputs of the depthwise causal conv ({@code [B, C, kernel]}) and
 * the recurrent state ({@code [B, H, Dk, Dv]}, fp32). Both are replaced after every prefill or step. Not thread-safe.
 */
public final class LinearAttentionCache implements AutoCloseable {
    private final Tensor[] conv, recurrent;

    public LinearAttentionCache(int layers) {
        conv = new Tensor[layers];
        recurrent = new Tensor[layers];
    }

    /** True once a prefill has stored layer {@code layer}'s state. */
    public boolean has(int layer) { return recurrent[layer] != null; }

    public Tensor conv(int layer) { return conv[layer]; }

    public Tensor recurrent(int layer) { return recurrent[layer]; }

    /** Keeps copies of the new states (the caller's scope may free the given tensors). */
    public void update(int layer, Tensor convState, Tensor recurrentState) {
        conv[layer] = replace(conv[layer], convState);
        recurrent[layer] = replace(recurrent[layer], recurrentState);
    }

    private static Tensor replace(Tensor old, Tensor fresh) {
        Tensor kept = fresh.clone();
        kept.retainReference();
        if (old != null) old.releaseReference();
        return kept;
    }

    @Override
    public void close() {
        for (Tensor[] side : new Tensor[][] {conv, recurrent})
            for (int i = 0; i < side.length; i++)
                if (side[i] != null) { side[i].releaseReference(); side[i] = null; }
    }
}

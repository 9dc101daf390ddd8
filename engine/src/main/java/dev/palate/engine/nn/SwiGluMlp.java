package dev.palate.engine.nn;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** The gated SiLU MLP of the Qwen/Llama decoders: {@code down(silu(gate(x)) · up(x))} (transformers {@code Qwen2MLP}). */
public final class SwiGluMlp {
    private final Linear gate; // [M, W]
    private final Linear up;   // [M, W]
    private final Linear down; // [W, M]

    public SwiGluMlp(Linear gate, Linear up, Linear down) {
        this.gate = gate;
        this.up = up;
        this.down = down;
    }

    /** x [..., W] → [..., W] */
    public Tensor apply(Tensor x) {
        return down.apply(torch.silu(gate.apply(x)).mul(up.apply(x)));
    }
}

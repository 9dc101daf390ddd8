package dev.palate.models.inception;

import org.bytedeco.pytorch.global.torch;

import dev.palate.engine.NativeRuntime;

/**
 * Turns libtorch's NNPACK convolution path off (PyTorch: {@code torch.backends.nnpack.set_flags(False)}). On CPUs
 * NNPACK does not support, every small-batch conv2d otherwise prints "Could not initialize NNPACK! Reason:
 * Unsupported hardware" to stderr; oneDNN serves those convolutions either way.
 */
public final class CpuConvSettings {
    private static volatile boolean applied;

    private CpuConvSettings() {}

    public static void apply() {
        if (applied) return;
        NativeRuntime.ensureLoaded();
        torch.globalContext().setUserEnabledNNPACK(false);
        applied = true;
    }
}

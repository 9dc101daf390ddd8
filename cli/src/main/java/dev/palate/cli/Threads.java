package dev.palate.cli;

import org.bytedeco.pytorch.global.torch;

import dev.palate.engine.NativeRuntime;

/** libtorch's thread pools, set once per process before any model runs. */
final class Threads {
    private Threads() {}

    static void set(int intraOp) {
        if (intraOp < 1) throw new IllegalArgumentException("--threads must be at least 1, got " + intraOp);
        NativeRuntime.ensureLoaded();
        torch.set_num_threads(intraOp);
    }
}

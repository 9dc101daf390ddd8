package dev.palate.cli;

import dev.palate.engine.Device;
import dev.palate.engine.NativeRuntime;
import picocli.CommandLine.Option;

/** Where and how the models run: the options every model-running command shares (a picocli mixin). */
final class RuntimeOptions {
    @Option(names = "--device", defaultValue = "cpu", description = "cpu, cuda or cuda:N (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--threads", description = "Native threads: libtorch intra-op and OpenBLAS together (default: libtorch's choice, one per core).")
    Integer threads;

    /** Sets the thread count, if given, and returns the device, failing with advice when it is not available. */
    Device apply() {
        if (threads != null) {
            if (threads < 1) throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
            NativeRuntime.setThreads(threads);
        }
        return Device.parse(device).requireAvailable();
    }
}

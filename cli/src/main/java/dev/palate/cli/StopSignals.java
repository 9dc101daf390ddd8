package dev.palate.cli;

/**
 * SIGTERM and SIGINT as a request to stop, so a command can finish its work and exit 0 (a JVM shutdown hook runs
 * too late for that and exits 143). Uses {@code sun.misc.Signal} (module jdk.unsupported, in every JDK since 9);
 * where it is missing, the JVM's default handling applies.
 */
final class StopSignals {
    private StopSignals() {}

    /** Runs {@code onStop} (once per signal, on a JVM thread) when the process gets SIGTERM or SIGINT. */
    static void onTermOrInt(Runnable onStop) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), s -> onStop.run());
            } catch (IllegalArgumentException | LinkageError e) {
                System.err.println("palate: cannot handle SIG" + name + " (" + e.getMessage() + "); it will stop the process at once");
            }
        }
    }
}

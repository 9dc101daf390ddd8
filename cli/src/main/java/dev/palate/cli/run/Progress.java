package dev.palate.cli.run;

import java.io.PrintStream;

/**
 * Images done/total, images/s and ETA on stderr: a redrawn bar on a terminal, a plain line every few seconds
 * otherwise (logs, CI), nothing with --quiet.
 */
public final class Progress {
    private static final long LOG_INTERVAL_NANOS = 10_000_000_000L;
    private final int total;
    private final boolean terminal;
    private final boolean quiet;
    private final PrintStream err;
    private final long start = System.nanoTime();
    private long lastPrint;
    private int done;
    private int failed;

    public Progress(int total, boolean terminal, boolean quiet, PrintStream err) {
        this.total = total;
        this.terminal = terminal;
        this.quiet = quiet;
        this.err = err;
    }

    /** Whether stderr is a terminal: the launcher tells us ({@code -Dpalate.stderr.tty=true}), Java cannot see it. */
    public static boolean stderrIsTerminal() {
        return Boolean.getBoolean("palate.stderr.tty");
    }

    public synchronized void advance(int images, int errors) {
        done += images;
        failed += errors;
        long now = System.nanoTime();
        if (quiet) return;
        if (terminal) {
            err.print("\r" + line(now));
            err.flush();
        } else if (now - lastPrint >= LOG_INTERVAL_NANOS || done == total) {
            err.println("palate: " + line(now));
            lastPrint = now;
        }
    }

    public synchronized void finish() {
        if (quiet) return;
        if (terminal) err.println();
        double secs = (System.nanoTime() - start) / 1e9;
        err.printf("palate: %d images in %.1f s (%.2f images/s), %d errors%n", done, secs, done / Math.max(secs, 1e-9), failed);
    }

    private String line(long now) {
        double secs = (now - start) / 1e9;
        double rate = done / Math.max(secs, 1e-9);
        int width = 30;
        int filled = total == 0 ? width : (int) ((long) width * done / total);
        String bar = "#".repeat(filled) + ".".repeat(width - filled);
        String eta = rate > 0 && done < total ? formatSeconds((total - done) / rate) : "-";
        return String.format("[%s] %d/%d images  %.2f img/s  ETA %s%s", bar, done, total, rate, eta,
                failed > 0 ? "  errors " + failed : "");
    }

    static String formatSeconds(double s) {
        long t = Math.round(s);
        return t >= 3600 ? String.format("%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60) : String.format("%d:%02d", t / 60, t % 60);
    }
}

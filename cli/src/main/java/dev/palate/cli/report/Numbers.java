package dev.palate.cli.report;

import java.util.Locale;

/** Number formatting shared by the writers: fixed 4 decimals for people, full precision for machines. */
final class Numbers {
    private Numbers() {
    }

    /** 4 decimals, or an em dash for NaN (no data / undefined, e.g. std of one value). */
    static String fixed(double v) {
        if (Double.isNaN(v)) return "—";
        return String.format(Locale.ROOT, "%.4f", v);
    }

    /** A share in [0,1] as a percentage with one decimal. */
    static String percent(double share) {
        if (Double.isNaN(share)) return "—";
        return String.format(Locale.ROOT, "%.1f%%", 100 * share);
    }

    /** Shortest round-tripping text; integers without ".0"; "NaN" for NaN. */
    static String plain(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return Double.toString(v);
    }
}

package dev.palate.cli.report;

/** Which way a metric improves; decides ranking order, win/loss in pairs, and the "worst" flag. */
public enum Direction {
    HIGHER_IS_BETTER, LOWER_IS_BETTER;

    /** True when {@code a} is strictly better than {@code b}. */
    boolean better(double a, double b) {
        return this == HIGHER_IS_BETTER ? a > b : a < b;
    }

    String label() {
        return this == HIGHER_IS_BETTER ? "higher is better" : "lower is better";
    }
}

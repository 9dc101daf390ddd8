package dev.palate.cli.report;

import java.util.Arrays;

/**
 * Descriptive statistics of one metric over one group's successful images.
 *
 * <ul>
 *   <li>{@code std}: sample standard deviation, divisor n−1 (NaN for n &lt; 2).</li>
 *   <li>{@code median}, {@code p10}, {@code p90}: percentiles by linear interpolation between order statistics,
 *       numpy's default ({@code method="linear"}): for sorted x[0..n−1], h = (n−1)·q, result
 *       x[⌊h⌋] + (h−⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]).</li>
 *   <li>{@code shareGood}: good / n under the metric's threshold (NaN when the metric has none or n = 0).</li>
 * </ul>
 * All fields are NaN when n = 0.
 */
public record Summary(int n, double mean, double std, double median, double p10, double p90, int good, double shareGood) {

    static Summary of(double[] values, GoodThreshold threshold) {
        int n = values.length;
        if (n == 0) return new Summary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, Double.NaN);
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double mean = mean(values);
        int good = 0;
        if (threshold != null) for (double v : values) if (threshold.isGood(v)) good++;
        return new Summary(n, mean, sampleStd(values, mean), percentile(sorted, 0.5), percentile(sorted, 0.1),
                percentile(sorted, 0.9), good, threshold == null ? Double.NaN : (double) good / n);
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    /** Two-pass sample standard deviation (divisor n−1). */
    static double sampleStd(double[] v, double mean) {
        if (v.length < 2) return Double.NaN;
        double ss = 0;
        for (double x : v) ss += (x - mean) * (x - mean);
        return Math.sqrt(ss / (v.length - 1));
    }

    /** numpy "linear" percentile of already sorted values, q in [0,1]. */
    static double percentile(double[] sorted, double q) {
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        if (lo >= sorted.length - 1) return sorted[sorted.length - 1];
        return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
    }
}

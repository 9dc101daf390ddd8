package dev.palate.cli.report;

import java.util.ArrayList;
import java.util.List;

import dev.palate.cli.report.Report.MetricSpec;

/** The definitions every report states, so numbers can be recomputed by hand. */
final class Definitions {
    private Definitions() {
    }

    static List<String> lines(Report r) {
        List<String> l = new ArrayList<>();
        l.add("Statistics use each group's successful scores only; a row with an \"error\" field counts as an error"
                + " for each metric it has no score for (a NaN score is an error too), and is left out of that metric's"
                + " statistics and win rates.");
        l.add("std is the sample standard deviation (divisor n−1).");
        l.add("median, p10, p90: percentiles by linear interpolation between order statistics (numpy's default"
                + " method=\"linear\": h = (n−1)·q, x[⌊h⌋] + (h−⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋])).");
        StringBuilder good = new StringBuilder("good = share of images meeting the threshold: ");
        boolean any = false;
        for (MetricSpec m : r.metrics()) {
            if (m.good() == null) continue;
            if (any) good.append("; ");
            good.append(m.name()).append(' ').append(m.good().condition())
                    .append(m.goodFromCommandLine() ? " (--good)" : " (default)");
            any = true;
        }
        if (!any) good.append("no thresholds (pass --good METRIC>=X)");
        l.add(good + ".");
        StringBuilder dir = new StringBuilder("Direction: ");
        for (int i = 0; i < r.metrics().size(); i++) {
            MetricSpec m = r.metrics().get(i);
            dir.append(i == 0 ? "" : "; ").append(m.name()).append(' ').append(m.direction().label());
        }
        l.add(dir + ".");
        l.add("Ranking: " + r.entrantField() + " ordered by the mean of " + r.rankMetric().name() + ", best first.");
        if (r.promptField() != null) {
            l.add("Per-prompt table: mean of " + r.rankMetric().name() + " per " + r.entrantField() + " and "
                    + r.promptField() + "; ▼ = worse than the mean of the " + r.entrantField() + " means on that prompt,"
                    + " ✗ = worst on that prompt; differences within the tie tolerance (below) mark neither.");
            l.add("Win rates: images of two " + r.entrantField() + "s are matched on (" + r.promptField() + ", "
                    + r.seedField() + "); win rate of A = (wins + ties/2) / pairs, a tie being |A − B| ≤ 1e-5 × the largest"
                    + " |score| of that metric in the file (batched floating-point sums differ in the last digits);"
                    + " 95% Wilson score interval (z = 1.96) on that rate; unmatched keys are counted, not used.");
        }
        if (r.fid() != null)
            l.add("FID (lower is better, not used for the ranking): per " + r.entrantField() + ", the distinct image files"
                    + " of its rows (rows whose every metric failed are left out), " + FidText.features(r.fid().dims())
                    + " as palate fid computes them (mode " + r.fid().mode() + "), mean and covariance (divisor"
                    + " n−1), Fréchet distance to the reference's ‖μ1 − μ2‖² + tr Σ1 + tr Σ2 − 2·tr √(Σ1Σ2). Below "
                    + (r.fid().dims() + 1) + " images the covariance cannot have full rank and FID is biased upward.");
        return l;
    }
}

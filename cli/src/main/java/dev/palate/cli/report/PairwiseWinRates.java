package dev.palate.cli.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.palate.cli.report.Report.MetricSpec;
import dev.palate.cli.report.Report.WinRate;

/**
 * Pairwise win rates between entrants over images matched on (prompt, seed): preference scores are only comparable
 * between images of the same prompt, and the same seed removes the noise draw as well.
 *
 * <p>Rules: only successful, finite scores take part; a (prompt, seed) scored by one side only is unmatched and
 * counted in onlyA/onlyB; rows without a prompt or seed cannot be matched; several rows for the same entrant,
 * prompt and seed are averaged (and a note says so); a win is "better in the metric's direction by more than the
 * tie tolerance"; scores closer than the tolerance are ties and count as half a win for each side. The tolerance,
 * {@link #TIE_RELATIVE} times the largest |score| of the metric in the file (its scale), absorbs the last-digit
 * differences of batched floating-point sums: one image scored in two batch positions can differ by ~1e-6 relative.
 */
final class PairwiseWinRates {
    /** Scores within this fraction of the metric's scale are ties. */
    static final double TIE_RELATIVE = 1e-5;

    private PairwiseWinRates() {
    }

    /** The tie tolerance of a metric: {@link #TIE_RELATIVE} times the largest |score| it has in these rows. */
    static double tolerance(List<ScoreRow> rows, String metric) {
        double scale = 0;
        for (ScoreRow r : rows) {
            Double v = r.scores().get(metric);
            if (v != null && Double.isFinite(v) && !r.failedFor(metric)) scale = Math.max(scale, Math.abs(v));
        }
        return TIE_RELATIVE * scale;
    }

    static List<WinRate> compute(List<ScoreRow> rows, List<String> entrants, String entrantField, String promptField,
                                 String seedField, MetricSpec metric, List<String> notes) {
        Map<String, Map<List<String>, double[]>> sums = new LinkedHashMap<>(); // entrant → (prompt, seed) → {sum, count}
        for (String e : entrants) sums.put(e, new LinkedHashMap<>());
        int unkeyed = 0;
        int duplicates = 0;
        for (ScoreRow r : rows) {
            Double v = r.scores().get(metric.name());
            if (r.failedFor(metric.name()) || v == null || !Double.isFinite(v)) continue;
            String prompt = r.field(promptField);
            String seed = r.field(seedField);
            if (prompt == null || seed == null) {
                unkeyed++;
                continue;
            }
            double[] acc = sums.get(ReportBuilder.value(r, entrantField)).computeIfAbsent(List.of(prompt, seed), k -> new double[2]);
            if (acc[1] > 0) duplicates++;
            acc[0] += v;
            acc[1]++;
        }
        if (unkeyed > 0)
            notes.add(metric.name() + ": " + unkeyed + " scored rows lack " + promptField + " or " + seedField
                    + " and were left out of the win rates");
        if (duplicates > 0)
            notes.add(metric.name() + ": " + duplicates + " rows repeat an (entrant, " + promptField + ", " + seedField
                    + ") already seen; their scores were averaged for the win rates");

        double tol = tolerance(rows, metric.name());
        List<WinRate> out = new ArrayList<>();
        for (int i = 0; i < entrants.size(); i++) {
            for (int j = i + 1; j < entrants.size(); j++) {
                Map<List<String>, double[]> a = sums.get(entrants.get(i));
                Map<List<String>, double[]> b = sums.get(entrants.get(j));
                int pairs = 0, winsA = 0, winsB = 0, ties = 0, onlyA = 0;
                for (Map.Entry<List<String>, double[]> ea : a.entrySet()) {
                    double[] vb = b.get(ea.getKey());
                    if (vb == null) {
                        onlyA++;
                        continue;
                    }
                    double x = ea.getValue()[0] / ea.getValue()[1];
                    double y = vb[0] / vb[1];
                    pairs++;
                    if (Math.abs(x - y) <= tol) ties++;
                    else if (metric.direction().better(x, y)) winsA++;
                    else winsB++;
                }
                int onlyB = b.size() - pairs;
                double rate = pairs == 0 ? Double.NaN : (winsA + 0.5 * ties) / pairs;
                WilsonInterval ci = WilsonInterval.of(winsA + 0.5 * ties, pairs);
                out.add(new WinRate(metric.name(), entrants.get(i), entrants.get(j), pairs, winsA, winsB, ties, onlyA, onlyB,
                        rate, ci.low(), ci.high()));
            }
        }
        return out;
    }
}

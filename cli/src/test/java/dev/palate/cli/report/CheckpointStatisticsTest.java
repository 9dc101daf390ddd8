package dev.palate.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance test: {@code report} on 3 checkpoints × 5 prompts × 4 seeds (one image failed) gives the
 * statistics a hand computation gives. Expected values are computed here with plain loops, independently of the
 * report code. Tolerance 1e-9 absolute (scores are ~5–25; the CSV carries full double precision, so only summation
 * order differs).
 */
class CheckpointStatisticsTest {
    private static final double TOL = 1e-9;

    @Test
    void perCheckpointStatisticsMatchHandComputationWithin1e9(@TempDir Path dir) throws Exception {
        List<SampleScores.Image> images = SampleScores.images();
        Path in = SampleScores.writeJsonl(dir, images);
        Path csv = dir.resolve("report.csv");
        String stdout = SampleScores.run("--input", in.toString(), "--by", "checkpoint", "--output", csv.toString());
        Map<String, String> report = SampleScores.readReportCsv(csv);

        for (String ck : SampleScores.CHECKPOINTS) {
            String group = "checkpoint=" + ck;
            checkStats(report, "stats|" + group + "|pickscore|", pickscores(images, ck, null), null);
            checkStats(report, "stats|" + group + "|aesthetic-v2|", aesthetics(images, ck, null), 6.0);
            String errors = ck.equals("ckpt-1000") ? "1" : "0";
            assertEquals(errors, report.get("stats|" + group + "|pickscore|errors"), group);
            assertEquals(errors, report.get("stats|" + group + "|aesthetic-v2|errors"), group);
        }
        assertEquals(19, (int) Double.parseDouble(report.get("stats|checkpoint=ckpt-1000|pickscore|count")));

        // Ranking by the first metric (pickscore), higher is better.
        List<String> expectedOrder = new ArrayList<>(SampleScores.CHECKPOINTS);
        expectedOrder.sort(Comparator.comparingDouble((String ck) -> mean(pickscores(images, ck, null))).reversed());
        for (int i = 0; i < expectedOrder.size(); i++)
            assertEquals(Integer.toString(i + 1), report.get("ranking|checkpoint=" + expectedOrder.get(i) + "|pickscore|rank"));
        assertTrue(stdout.contains("ranked by pickscore (higher is better)"), stdout);
        assertTrue(stdout.contains("1. " + expectedOrder.get(0)), stdout);
    }

    @Test
    void perCheckpointAndPromptStatisticsMatchHandComputationWithin1e9(@TempDir Path dir) throws Exception {
        List<SampleScores.Image> images = SampleScores.images();
        Path in = SampleScores.writeJsonl(dir, images);
        Path csv = dir.resolve("by-prompt.csv");
        SampleScores.run("--input", in.toString(), "--by", "checkpoint", "--by", "prompt_id", "--good", "pickscore>=20.5",
                "--output", csv.toString());
        Map<String, String> report = SampleScores.readReportCsv(csv);
        for (String ck : SampleScores.CHECKPOINTS)
            for (int p = 0; p < SampleScores.PROMPTS; p++) {
                String group = "checkpoint=" + ck + ";prompt_id=p" + p;
                checkStats(report, "stats|" + group + "|pickscore|", pickscores(images, ck, "p" + p), 20.5);
                checkStats(report, "stats|" + group + "|aesthetic-v2|", aesthetics(images, ck, "p" + p), 6.0);
            }
    }

    @Test
    void perPromptFlagsMarkCheckpointsBelowTheCrossCheckpointMeanAndTheWorst(@TempDir Path dir) throws Exception {
        List<SampleScores.Image> images = SampleScores.images();
        Path in = SampleScores.writeJsonl(dir, images);
        Path csv = dir.resolve("report.csv");
        SampleScores.run("--input", in.toString(), "--rank-by", "aesthetic-v2", "--output", csv.toString());
        Map<String, String> report = SampleScores.readReportCsv(csv);
        for (int p = 0; p < SampleScores.PROMPTS; p++) {
            double[] means = new double[SampleScores.CHECKPOINTS.size()];
            double sum = 0;
            double worst = Double.POSITIVE_INFINITY;
            for (int c = 0; c < means.length; c++) {
                means[c] = mean(aesthetics(images, SampleScores.CHECKPOINTS.get(c), "p" + p));
                sum += means[c];
                worst = Math.min(worst, means[c]);
            }
            double cross = sum / means.length;
            for (int c = 0; c < means.length; c++) {
                String key = "prompt|checkpoint=" + SampleScores.CHECKPOINTS.get(c) + ";prompt_id=p" + p + "|aesthetic-v2|";
                assertEquals(means[c], Double.parseDouble(report.get(key + "mean")), TOL, key);
                assertEquals(means[c] < cross ? "1" : "0", report.get(key + "below_mean"), key);
                assertEquals(means[c] == worst ? "1" : "0", report.get(key + "worst"), key);
            }
        }
    }

    @Test
    void winRatesOnTheSampleMatchPairCountsByHand(@TempDir Path dir) throws Exception {
        List<SampleScores.Image> images = SampleScores.images();
        Path in = SampleScores.writeJsonl(dir, images);
        Path csv = dir.resolve("report.csv");
        SampleScores.run("--input", in.toString(), "--output", csv.toString());
        Map<String, String> report = SampleScores.readReportCsv(csv);
        List<String> cks = SampleScores.CHECKPOINTS;
        for (int i = 0; i < cks.size(); i++)
            for (int j = 0; j < cks.size(); j++) {
                if (i == j) continue;
                String group = "winrate|checkpoint=" + cks.get(i) + " vs checkpoint=" + cks.get(j) + "|pickscore|";
                if (!report.containsKey(group + "pairs")) continue; // the pair is listed once, in ranking order
                int pairs = 0, wins = 0, ties = 0;
                for (SampleScores.Image a : images)
                    for (SampleScores.Image b : images) {
                        if (!a.checkpoint().equals(cks.get(i)) || !b.checkpoint().equals(cks.get(j))) continue;
                        if (!a.promptId().equals(b.promptId()) || a.seed() != b.seed()) continue;
                        if (a.error() != null || b.error() != null) continue;
                        pairs++;
                        if (a.pickscore() > b.pickscore()) wins++;
                        else if (a.pickscore() == b.pickscore()) ties++;
                    }
                boolean involvesFailed = cks.get(i).equals("ckpt-1000") || cks.get(j).equals("ckpt-1000");
                assertEquals(involvesFailed ? 19 : 20, pairs);
                assertEquals(Integer.toString(pairs), report.get(group + "pairs"));
                assertEquals(Integer.toString(ties), report.get(group + "ties"));
                assertEquals((wins + 0.5 * ties) / pairs, Double.parseDouble(report.get(group + "win_rate_a")), 1e-12);
            }
    }

    private static void checkStats(Map<String, String> report, String prefix, double[] x, Double goodAtLeast) {
        int n = x.length;
        double sum = 0;
        for (double v : x) sum += v;
        double mean = sum / n;
        double ss = 0;
        for (double v : x) ss += (v - mean) * (v - mean);
        double std = Math.sqrt(ss / (n - 1));
        double[] s = x.clone();
        Arrays.sort(s);
        assertEquals(Integer.toString(n), report.get(prefix + "count"), prefix);
        assertEquals(mean, Double.parseDouble(report.get(prefix + "mean")), TOL, prefix + "mean");
        assertEquals(std, Double.parseDouble(report.get(prefix + "std")), TOL, prefix + "std");
        assertEquals(numpyLinear(s, 50), Double.parseDouble(report.get(prefix + "median")), TOL, prefix + "median");
        assertEquals(numpyLinear(s, 10), Double.parseDouble(report.get(prefix + "p10")), TOL, prefix + "p10");
        assertEquals(numpyLinear(s, 90), Double.parseDouble(report.get(prefix + "p90")), TOL, prefix + "p90");
        if (goodAtLeast == null) {
            assertEquals("NaN", report.get(prefix + "share_good"), prefix);
        } else {
            int good = 0;
            for (double v : x) if (v >= goodAtLeast) good++;
            assertEquals(Integer.toString(good), report.get(prefix + "good"), prefix);
            assertEquals((double) good / n, Double.parseDouble(report.get(prefix + "share_good")), 1e-15, prefix);
        }
    }

    /** numpy.percentile(x, pct) with the default linear method, written from its documentation. */
    private static double numpyLinear(double[] sorted, int pct) {
        double virtualIndex = (sorted.length - 1) * pct / 100.0;
        int below = (int) virtualIndex;
        int above = Math.min(below + 1, sorted.length - 1);
        double fraction = virtualIndex - below;
        return sorted[below] * (1 - fraction) + sorted[above] * fraction;
    }

    static double[] pickscores(List<SampleScores.Image> images, String ck, String promptId) {
        return images.stream().filter(i -> i.checkpoint().equals(ck) && i.error() == null)
                .filter(i -> promptId == null || i.promptId().equals(promptId)).mapToDouble(SampleScores.Image::pickscore).toArray();
    }

    static double[] aesthetics(List<SampleScores.Image> images, String ck, String promptId) {
        return images.stream().filter(i -> i.checkpoint().equals(ck) && i.error() == null)
                .filter(i -> promptId == null || i.promptId().equals(promptId)).mapToDouble(SampleScores.Image::aesthetic).toArray();
    }

    private static double mean(double[] x) {
        double s = 0;
        for (double v : x) s += v;
        return s / x.length;
    }
}

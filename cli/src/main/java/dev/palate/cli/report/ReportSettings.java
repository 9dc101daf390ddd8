package dev.palate.cli.report;

import java.util.List;
import java.util.Set;

/**
 * What to compute, as given on the command line.
 *
 * @param byFields    grouping fields of the statistics table; the first is the compared field (usually checkpoint)
 * @param metrics     only these metrics (empty: every metric found)
 * @param good        {@code --good} thresholds, overriding {@link MetricDirections} defaults
 * @param rankBy      ranking metric, null = the first metric
 * @param lowerBetter metrics to treat as lower-is-better besides the known ones
 * @param promptField field naming the prompt, null = {@code prompt_id} when the file has it, else {@code prompt}
 * @param seedField   field naming the seed, for pairing images across checkpoints
 * @param bins        histogram bins, 0 = ⌈√n⌉ of the largest group clamped to [5, 40]
 */
public record ReportSettings(List<String> byFields, List<String> metrics, List<GoodThreshold> good, String rankBy,
                             Set<String> lowerBetter, String promptField, String seedField, int bins, String title) {
    public ReportSettings {
        if (byFields.isEmpty()) throw new IllegalArgumentException("--by needs at least one field, e.g. --by checkpoint");
        byFields = List.copyOf(byFields);
        metrics = List.copyOf(metrics);
        good = List.copyOf(good);
        lowerBetter = Set.copyOf(lowerBetter);
    }

    public static ReportSettings defaults() {
        return new ReportSettings(List.of("checkpoint"), List.of(), List.of(), null, Set.of(), null, "seed", 0, null);
    }
}

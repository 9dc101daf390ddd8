package dev.palate.cli.report;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Direction and default good-image threshold of the metrics Palate knows by name. Unknown metrics are
 * higher-is-better with no default threshold; {@code --lower-better} and {@code --good} override.
 *
 * <p>Defaults exist only where a score has a meaning independent of the prompt:
 * <ul>
 *   <li>aesthetic-v1 / aesthetic-v2 / aesthetic ≥ 6: the LAION aesthetic predictors score on the 1–10 AVA scale;
 *       6 is the cut LAION used for its "aesthetics 6+" subsets.</li>
 *   <li>imagereward ≥ 0: ImageReward standardises its reward with the mean and std of its training comparisons,
 *       so 0 is "as preferred as the average training image".</li>
 * </ul>
 * PickScore, HPSv2/2.1, HPSv3, CLIP score, ICT and HP are similarities or logits whose level depends on the prompt;
 * they have no default threshold (compare them with the pairwise win rates instead).
 */
public final class MetricDirections {
    record Entry(Direction direction, Double defaultGood, String note) {
    }

    private static final Map<String, Entry> KNOWN = new LinkedHashMap<>();

    static {
        higher("aesthetic-v1", 6.0, "LAION aesthetic v1, 1–10 scale");
        higher("aesthetic-v2", 6.0, "improved aesthetic predictor v2, 1–10 scale");
        higher("aesthetic", 6.0, "aesthetic predictor, 1–10 scale");
        higher("imagereward", 0.0, "standardised reward, 0 = average training image");
        higher("pickscore", null, "prompt-dependent logit (~18–23)");
        higher("hpsv2", null, "prompt-dependent cosine (~0.2–0.35)");
        higher("hpsv2.1", null, "prompt-dependent cosine (~0.2–0.35)");
        higher("hpsv3", null, "prompt-dependent reward");
        higher("clip-score", null, "prompt-dependent similarity");
        higher("ict", null, "prompt-dependent");
        higher("hp", null, "prompt-dependent");
        higher("unified-reward", null, "judge score");
        lower("style-loss", "Gram-matrix distance to the style reference");
        lower("fid", "Fréchet distance to the reference set");
        lower("lpips", "perceptual distance");
    }

    private MetricDirections() {
    }

    private static void higher(String name, Double good, String note) {
        KNOWN.put(name, new Entry(Direction.HIGHER_IS_BETTER, good, note));
    }

    private static void lower(String name, String note) {
        KNOWN.put(name, new Entry(Direction.LOWER_IS_BETTER, null, note));
    }

    /** The direction of a metric by name (case-insensitive); unknown metrics are higher-is-better. */
    public static Direction direction(String metric) {
        Entry e = KNOWN.get(metric.toLowerCase(java.util.Locale.ROOT));
        return e == null ? Direction.HIGHER_IS_BETTER : e.direction();
    }

    /** The documented default threshold, if the metric has one. */
    public static Optional<GoodThreshold> defaultThreshold(String metric) {
        Entry e = KNOWN.get(metric.toLowerCase(java.util.Locale.ROOT));
        if (e == null || e.defaultGood() == null) return Optional.empty();
        GoodThreshold.Comparison op = e.direction() == Direction.HIGHER_IS_BETTER
                ? GoodThreshold.Comparison.AT_LEAST : GoodThreshold.Comparison.AT_MOST;
        return Optional.of(new GoodThreshold(metric, op, e.defaultGood()));
    }

    static boolean isKnown(String metric) {
        return KNOWN.containsKey(metric.toLowerCase(java.util.Locale.ROOT));
    }

    /** The whole table, for the command's help text and docs. */
    static Map<String, Entry> table() {
        return java.util.Collections.unmodifiableMap(KNOWN);
    }
}

package dev.palate.spark;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.palate.engine.DType;
import dev.palate.engine.Device;
import dev.palate.models.ScorerOptions;
import dev.palate.models.ScorerRegistry;
import dev.palate.models.SharedModels;

/**
 * {@code palate score}'s {@code --metric}, {@code --model} and {@code --set} values turned into one
 * {@link ScorerOptions} per metric, with the command's rules (cli ScoreCommand.optionsPerMetric, MetricSettings):
 * {@code --model PATH_OR_ID} alone only with one metric, else {@code METRIC=PATH_OR_ID} or
 * {@code METRIC:ROLE=PATH_OR_ID}; {@code --set METRIC:KEY=VALUE}, the metric before the first ':' (metric names hold
 * dots). Every check runs here, before any model loads.
 */
final class MetricFlags {
    static final String MODEL_SYNTAX = "[METRIC[:ROLE]=]PATH_OR_ID, e.g. hpsv2=/models/HPS_v2_compressed.pt";
    static final String SET_SYNTAX = "METRIC:KEY=VALUE, e.g. hpsv2:resize=antialias";

    private MetricFlags() {}

    /**
     * Registry name as given → options, in {@code metrics} order.
     *
     * @throws IllegalArgumentException for an unknown metric, a model or setting naming a metric not among
     *                                  {@code metrics}, an unnamed model with several metrics, a malformed value, or an
     *                                  option the metric does not declare
     */
    static Map<String, ScorerOptions> optionsPerMetric(List<String> metrics, List<String> models, List<String> settings,
                                                       Device device, DType dtype, int batchSize, SharedModels shared) {
        if (metrics.isEmpty()) throw new IllegalArgumentException("no metric given: set metrics, e.g. hpsv2,clip-score (palate metrics lists them)");
        Map<String, ScorerOptions.Builder> builders = new LinkedHashMap<>();
        for (String m : metrics) {
            ScorerRegistry.factory(m); // an unknown metric fails here, listing the known ones
            if (builders.put(m, ScorerOptions.builder().device(device).dtype(dtype).batchSize(batchSize).shared(shared)) != null)
                throw new IllegalArgumentException("metric " + m + " is given twice");
        }
        for (String spec : models) addModel(builders, metrics, spec);
        for (String spec : settings) addSetting(builders, metrics, spec);
        Map<String, ScorerOptions> out = new LinkedHashMap<>();
        builders.forEach((m, b) -> {
            ScorerOptions o = b.build();
            ScorerRegistry.factory(m).settings(o); // an option the metric does not declare fails before any model loads
            out.put(m, o);
        });
        return out;
    }

    private static void addModel(Map<String, ScorerOptions.Builder> builders, List<String> metrics, String spec) {
        int eq = spec.indexOf('=');
        String target = eq < 0 ? null : spec.substring(0, eq);
        if (target == null || !looksLikeMetric(target)) {
            if (metrics.size() != 1)
                throw new IllegalArgumentException("model " + spec + ": with several metrics name the metric, e.g. "
                        + metrics.get(0) + "=" + spec + " (" + MODEL_SYNTAX + ")");
            builders.get(metrics.get(0)).model(spec);
            return;
        }
        String location = spec.substring(eq + 1);
        if (location.isBlank()) throw new IllegalArgumentException("model " + spec + ": no location after '=' (" + MODEL_SYNTAX + ")");
        int colon = target.indexOf(':');
        String metric = colon < 0 ? target : target.substring(0, colon);
        String role = colon < 0 ? ScorerOptions.MODEL : target.substring(colon + 1);
        ScorerOptions.Builder b = builders.get(metric);
        if (b == null) throw new IllegalArgumentException("model " + spec + ": metric '" + metric + "' is not among the metrics " + metrics);
        b.model(role, location);
    }

    private static void addSetting(Map<String, ScorerOptions.Builder> builders, List<String> metrics, String spec) {
        int colon = spec.indexOf(':'), eq = spec.indexOf('=');
        if (colon <= 0 || eq < colon + 2 || eq == spec.length() - 1)
            throw new IllegalArgumentException("setting " + spec + ": expected " + SET_SYNTAX + " (palate metrics lists the options)");
        String metric = spec.substring(0, colon), key = spec.substring(colon + 1, eq), value = spec.substring(eq + 1);
        ScorerRegistry.factory(metric);
        ScorerOptions.Builder b = builders.get(metric);
        if (b == null) throw new IllegalArgumentException("setting " + spec + ": metric '" + metric + "' is not among the metrics " + metrics);
        String before = b.build().setting(key);
        if (before != null && !before.equals(value))
            throw new IllegalArgumentException("setting " + metric + ":" + key + " is given twice (" + before + " and " + value + ")");
        b.set(key, value);
    }

    private static boolean looksLikeMetric(String target) {
        String metric = target.contains(":") ? target.substring(0, target.indexOf(':')) : target;
        return ScorerRegistry.names().contains(metric.toLowerCase());
    }
}

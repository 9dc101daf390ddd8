package dev.palate.cli;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.palate.models.ScorerOptions;
import dev.palate.models.ScorerRegistry;

/**
 * The {@code --set METRIC:KEY=VALUE} values of a command: the metric before the first ':' (metric names hold dots,
 * not colons, as in {@code --model METRIC:ROLE=...}), the key up to the first '=', the value after it.
 */
final class MetricSettings {
    static final String SYNTAX = "--set METRIC:KEY=VALUE, e.g. --set hpsv2:resize=antialias";

    private MetricSettings() {}

    /**
     * Metric → key → value, for metrics among {@code metrics} only; values are checked later against the metric's
     * declared options ({@link dev.palate.models.ScorerFactory#settings}).
     *
     * @throws IllegalArgumentException on a malformed value, a metric not among {@code metrics}, or one key set twice
     *                                  to different values
     */
    static Map<String, Map<String, String>> parse(List<String> specs, Collection<String> metrics) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (String spec : specs) {
            int colon = spec.indexOf(':'), eq = spec.indexOf('=');
            if (colon <= 0 || eq < colon + 2 || eq == spec.length() - 1)
                throw new IllegalArgumentException("--set " + spec + ": expected " + SYNTAX + " (palate metrics lists the options)");
            String metric = spec.substring(0, colon), key = spec.substring(colon + 1, eq), value = spec.substring(eq + 1);
            ScorerRegistry.factory(metric); // an unknown metric fails here, listing the known ones
            if (!metrics.contains(metric))
                throw new IllegalArgumentException("--set " + spec + ": metric '" + metric + "' is not among " + metrics);
            String before = out.computeIfAbsent(metric, m -> new LinkedHashMap<>()).put(key, value);
            if (before != null && !before.equals(value))
                throw new IllegalArgumentException("--set " + metric + ":" + key + " is given twice (" + before + " and " + value + ")");
        }
        return out;
    }

    /**
     * The options of the one metric among {@code metrics} that {@code specs} name (checked against its declared options),
     * for commands that apply a metric's preprocessing; no specs → the defaults.
     */
    static ScorerOptions forOneOf(List<String> specs, List<String> metrics) {
        Map<String, Map<String, String>> parsed = parse(specs, metrics);
        if (parsed.size() > 1)
            throw new IllegalArgumentException("--set names " + parsed.keySet() + "; give the options of one metric");
        ScorerOptions.Builder b = ScorerOptions.builder();
        parsed.forEach((m, kv) -> {
            ScorerOptions o = apply(b, kv).build();
            ScorerRegistry.factory(m).settings(o);
        });
        return b.build();
    }

    /** Adds {@code settings} to {@code builder}. */
    static ScorerOptions.Builder apply(ScorerOptions.Builder builder, Map<String, String> settings) {
        if (settings != null) settings.forEach(builder::set);
        return builder;
    }
}

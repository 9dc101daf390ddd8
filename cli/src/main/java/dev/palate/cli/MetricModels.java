package dev.palate.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.palate.engine.DType;
import dev.palate.engine.Device;
import dev.palate.models.ScorerOptions;
import dev.palate.models.ScorerRegistry;

/**
 * The {@code --metric}, {@code --model [METRIC[:ROLE]=]PATH_OR_ID} and {@code --set METRIC:KEY=VALUE} values of a
 * command that loads metrics ({@code score}, {@code serve}), as one {@link ScorerOptions} per metric. Everything is
 * checked before any model loads: unknown or repeated metrics, a {@code --model} naming a metric not asked for (or
 * none, with several metrics), and {@code --set} keys or values a metric does not declare.
 */
final class MetricModels {
    private MetricModels() {}

    /**
     * Canonical metric name (as the registry spells it) → its options, in {@code --metric} order.
     *
     * @throws IllegalArgumentException naming the offending value, as described above
     */
    static Map<String, ScorerOptions> parse(List<String> metrics, List<String> models, List<String> settings,
                                            Device device, DType dtype, int batchSize) {
        List<String> canonical = new ArrayList<>();
        for (String m : metrics) {
            String name = ScorerRegistry.factory(m).name(); // unknown metric: fails here, listing the known ones
            if (canonical.contains(name)) throw new IllegalArgumentException("--metric names " + name + " twice");
            canonical.add(name);
        }
        Map<String, ScorerOptions.Builder> builders = new LinkedHashMap<>();
        for (String m : canonical) builders.put(m, ScorerOptions.builder().device(device).dtype(dtype).batchSize(batchSize));
        for (String spec : models) {
            int eq = spec.indexOf('=');
            String target = eq < 0 ? null : spec.substring(0, eq);
            String location = eq < 0 ? spec : spec.substring(eq + 1);
            if (target == null || !looksLikeMetric(target)) {
                if (canonical.size() != 1)
                    throw new IllegalArgumentException("--model " + spec + ": with several metrics name the metric, e.g. --model "
                            + canonical.get(0) + "=" + spec);
                builders.get(canonical.get(0)).model(spec);
                continue;
            }
            String metric = target, role = ScorerOptions.MODEL;
            int colon = target.indexOf(':');
            if (colon >= 0) {
                metric = target.substring(0, colon);
                role = target.substring(colon + 1);
            }
            ScorerOptions.Builder b = builders.get(metric);
            if (b == null) throw new IllegalArgumentException("--model " + spec + ": metric '" + metric + "' is not among --metric " + canonical);
            b.model(role, location);
        }
        MetricSettings.parse(settings, canonical).forEach((m, kv) -> MetricSettings.apply(builders.get(m), kv));
        Map<String, ScorerOptions> out = new LinkedHashMap<>();
        builders.forEach((k, v) -> out.put(k, v.build()));
        out.forEach((m, o) -> ScorerRegistry.factory(m).settings(o)); // a bad --set fails before any model loads
        return out;
    }

    /** Whether {@code --model TARGET=...} names a metric (optionally with a role) rather than being a path with '='. */
    private static boolean looksLikeMetric(String target) {
        String metric = target.contains(":") ? target.substring(0, target.indexOf(':')) : target;
        return ScorerRegistry.names().contains(metric.toLowerCase());
    }
}

package dev.palate.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One score per image (or per prompt–image pair), in input order, tagged with the metric that made them, plus the
 * per-item side outputs some metrics have (HPSv3's {@code log_sigma}, a judge's parsed fields and raw text).
 *
 * @param metric what the numbers mean
 * @param values one value per image or pair; the array is the caller's to keep
 * @param fields side output name → one value per item (numbers, strings, lists, maps or null), in input order;
 *               empty for most metrics
 */
public record ScoreResult(MetricInfo metric, float[] values, Map<String, List<Object>> fields) {

    public ScoreResult {
        Map<String, List<Object>> copy = new LinkedHashMap<>();
        fields.forEach((k, v) -> {
            if (v.size() != values.length)
                throw new IllegalArgumentException("field " + k + " has " + v.size() + " values for " + values.length + " items");
            copy.put(k, java.util.Collections.unmodifiableList(new ArrayList<>(v)));
        });
        fields = java.util.Collections.unmodifiableMap(copy);
    }

    /** Scores without side outputs. */
    public ScoreResult(MetricInfo metric, float[] values) {
        this(metric, values, Map.of());
    }

    public int size() { return values.length; }

    public float get(int i) { return values[i]; }

    /** Item {@code i}'s side outputs, in the order the metric declared them. */
    public Map<String, Object> fieldsOf(int i) {
        Map<String, Object> out = new LinkedHashMap<>();
        fields.forEach((k, v) -> out.put(k, v.get(i)));
        return out;
    }

    @Override
    public String toString() {
        return metric.name() + Arrays.toString(values) + (fields.isEmpty() ? "" : " " + fields.keySet());
    }
}

package dev.palate.cli.run;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;

/**
 * How an output row is laid out, one place for writing new rows and reading back earlier ones: the input fields as
 * given; then with one metric {@code "metric": NAME, "score": VALUE} and its side outputs under their own names
 * ({@code log_sigma}); with several, one field per metric ({@code "hpsv2": 0.27}) and side outputs prefixed by it
 * ({@code "hpsv3.log_sigma"}); then {@code error} when anything failed.
 */
public final class RowLayout {
    /** A metric's value in one row: its score and side outputs (Java values, or JSON/CSV text read back). */
    public record MetricValue(Object score, LinkedHashMap<String, Object> sides) {}

    private final List<String> metrics;

    public RowLayout(List<String> metrics) {
        if (metrics.isEmpty()) throw new IllegalArgumentException("no metric");
        this.metrics = List.copyOf(metrics);
    }

    public List<String> metrics() { return metrics; }

    public boolean single() { return metrics.size() == 1; }

    /** The fields a run writes beside the input's, for a CSV header: metric/score or one per metric. */
    public List<String> metricColumns() {
        return single() ? List.of("metric", "score") : metrics;
    }

    /** CSV columns: input fields in order of first appearance, the metric columns, error. */
    public List<String> csvColumns(List<InputRow> rows) {
        LinkedHashSet<String> cols = new LinkedHashSet<>();
        for (InputRow r : rows) cols.addAll(r.fields().keySet());
        cols.addAll(metricColumns());
        cols.add("error");
        return new ArrayList<>(cols);
    }

    /** One output row: input fields, each metric that has a value (in layout order), the error if any. */
    public LinkedHashMap<String, Object> row(Map<String, Object> inputFields, Map<String, MetricValue> values, String error) {
        LinkedHashMap<String, Object> out = new LinkedHashMap<>(inputFields);
        for (String m : metrics) {
            MetricValue v = values.get(m);
            if (single()) {
                out.put("metric", m);
                if (v == null) continue;
                out.put("score", v.score());
                v.sides().forEach(out::put);
            } else {
                if (v == null) continue;
                out.put(m, v.score());
                v.sides().forEach((k, x) -> out.put(m + "." + k, x));
            }
        }
        if (error != null) out.put("error", error);
        return out;
    }

    /**
     * The metric values of a row read back from a file written with this layout ({@code inputFields}: the input's
     * field names, which are not outputs); a metric without a score is absent.
     */
    public Map<String, MetricValue> values(Map<String, Object> row, Collection<String> inputFields) {
        Map<String, MetricValue> out = new LinkedHashMap<>();
        Set<String> input = new LinkedHashSet<>(inputFields);
        if (single()) {
            Object score = row.get("score");
            if (!present(score)) return out;
            LinkedHashMap<String, Object> sides = new LinkedHashMap<>();
            row.forEach((k, v) -> {
                if (!input.contains(k) && !k.equals("metric") && !k.equals("score") && !k.equals("error")) sides.put(k, v);
            });
            out.put(metrics.get(0), new MetricValue(score, sides));
            return out;
        }
        for (String m : metrics) {
            Object score = row.get(m);
            if (!present(score)) continue;
            LinkedHashMap<String, Object> sides = new LinkedHashMap<>();
            row.forEach((k, v) -> {
                if (!input.contains(k) && m.equals(owner(k))) sides.put(k.substring(m.length() + 1), v);
            });
            out.put(m, new MetricValue(score, sides));
        }
        return out;
    }

    /** The metric a prefixed side field belongs to: the longest metric name followed by a dot ("hpsv2.1.x" is hpsv2.1's). */
    private String owner(String key) {
        String best = null;
        for (String m : metrics)
            if (key.startsWith(m + ".") && !metrics.contains(key) && (best == null || m.length() > best.length())) best = m;
        return best;
    }

    /** The error text of a row read back, or null. */
    public static String error(Map<String, Object> row) {
        Object e = row.get("error");
        if (!present(e)) return null;
        String s = e instanceof JsonElement j ? (j.isJsonPrimitive() ? j.getAsString() : j.toString()) : e.toString();
        return s.isBlank() ? null : s;
    }

    static boolean present(Object v) {
        return v != null && !(v instanceof JsonNull) && !(v instanceof String s && s.isEmpty());
    }
}

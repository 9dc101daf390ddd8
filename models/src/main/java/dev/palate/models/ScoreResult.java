package dev.palate.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One result per image (or per prompt–image pair), in input order, tagged with the metric that made them: a score,
 * or the reason there is none; plus the per-item side outputs some metrics have (HPSv3's {@code log_sigma}, a
 * judge's parsed fields and raw text).
 *
 * <p>An item fails alone (an undecodable file, a model error on that item, a non-finite model output): its
 * {@link #error(int)} says why and names the file, its value in {@link #values()} is NaN, and {@link #get(int)}
 * throws for it, so a failed item cannot be mistaken for a score. A model output that is NaN or infinite is made
 * that item's error here ("hpsv2 returned NaN ..."), whichever scorer produced it.
 *
 * @param metric what the numbers mean
 * @param values one value per item, NaN for the failed ones; the array is the caller's to keep
 * @param fields side output name → one value per item (numbers, strings, lists, maps or null), in input order;
 *               empty for most metrics
 * @param errors one entry per item: null for a scored item, else the reason it has no score
 */
public record ScoreResult(MetricInfo metric, float[] values, Map<String, List<Object>> fields, List<String> errors) {
    /**
     * The side output a verdict-writing metric (a generative judge) gives its item's score in when that score is not
     * one number: null where the output could not be parsed (DiffSynth's None), a list for a pairwise judge. An item
     * with it is scored (not failed) even when its numeric {@code values()} entry is NaN; {@link #scoreObject} is what
     * an output row shows. Such items also carry {@code parse_error} when the text did not parse.
     */
    public static final String SCORE = "score";

    public ScoreResult {
        Map<String, List<Object>> copy = new LinkedHashMap<>();
        fields.forEach((k, v) -> {
            if (v.size() != values.length)
                throw new IllegalArgumentException("field " + k + " has " + v.size() + " values for " + values.length + " items");
            copy.put(k, Collections.unmodifiableList(new ArrayList<>(v)));
        });
        fields = Collections.unmodifiableMap(copy);
        String[] e = new String[values.length];
        if (errors != null) {
            if (errors.size() != values.length)
                throw new IllegalArgumentException(errors.size() + " errors for " + values.length + " items");
            for (int i = 0; i < e.length; i++) e[i] = errors.get(i);
        }
        for (int i = 0; i < e.length; i++) {
            boolean verdict = copy.containsKey(SCORE);
            if (e[i] == null && !verdict && !Float.isFinite(values[i])) e[i] = nonFinite(metric, values[i]);
            if (e[i] != null) values[i] = Float.NaN;
        }
        errors = Collections.unmodifiableList(Arrays.asList(e));
    }

    /** Scores with side outputs, every item scored (non-finite values still become errors). */
    public ScoreResult(MetricInfo metric, float[] values, Map<String, List<Object>> fields) {
        this(metric, values, fields, null);
    }

    /** Scores without side outputs, every item scored (non-finite values still become errors). */
    public ScoreResult(MetricInfo metric, float[] values) {
        this(metric, values, Map.of(), null);
    }

    /** A builder for {@code size} items; an item neither given a value nor an error is an error ("not scored"). */
    public static Builder builder(MetricInfo metric, int size) {
        return new Builder(metric, size);
    }

    public int size() { return values.length; }

    /** Whether item {@code i} has a score. */
    public boolean isOk(int i) { return errors.get(i) == null; }

    /** Why item {@code i} has no score (names the file where there is one), or null when it has one. */
    public String error(int i) { return errors.get(i); }

    /** How many items failed. */
    public int failedCount() {
        int n = 0;
        for (String e : errors) if (e != null) n++;
        return n;
    }

    /**
     * Item {@code i}'s score.
     *
     * @throws IllegalStateException when the item failed, with its error
     */
    public float get(int i) {
        if (errors.get(i) != null) throw new IllegalStateException(metric.name() + " item " + i + " has no score: " + errors.get(i));
        return values[i];
    }

    /**
     * What an output row shows as item {@code i}'s score: the {@link #SCORE} side output when the metric gives one (a
     * judge's verdict: a number, a list, or null when unparsed), else the numeric value; null for a failed item.
     */
    public Object scoreObject(int i) {
        if (errors.get(i) != null) return null;
        List<Object> verdict = fields.get(SCORE);
        return verdict != null ? verdict.get(i) : (Object) values[i];
    }

    /** Item {@code i}'s side outputs, in the order the metric declared them. */
    public Map<String, Object> fieldsOf(int i) {
        Map<String, Object> out = new LinkedHashMap<>();
        fields.forEach((k, v) -> out.put(k, v.get(i)));
        return out;
    }

    /** E.g. {@code hpsv2[0.2712, 0.3105, error: b.png: no such file]} (side output names after it). */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(metric.name()).append('[');
        for (int i = 0; i < values.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(errors.get(i) == null ? Float.toString(values[i]) : "error: " + errors.get(i));
        }
        sb.append(']');
        if (!fields.isEmpty()) sb.append(" fields ").append(fields.keySet());
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScoreResult r && metric.equals(r.metric) && Arrays.equals(values, r.values)
                && fields.equals(r.fields) && errors.equals(r.errors);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * metric.hashCode() + Arrays.hashCode(values)) + errors.hashCode();
    }

    static String nonFinite(MetricInfo metric, float v) {
        return metric.name() + " returned " + (Float.isNaN(v) ? "NaN" : v > 0 ? "+infinity" : "-infinity")
                + " for this image: the checkpoint may be corrupt (NaN or infinite weights) or the image extreme;"
                + " check the weights file";
    }

    /**
     * Assembles a result item by item, e.g. from several batch calls ({@link PerItemScoring} uses it). Not thread-safe.
     */
    public static final class Builder {
        private final MetricInfo metric;
        private final float[] values;
        private final String[] errors;
        private final boolean[] set;
        private final Map<String, List<Object>> fields = new LinkedHashMap<>();

        private Builder(MetricInfo metric, int size) {
            this.metric = metric;
            this.values = new float[size];
            this.errors = new String[size];
            this.set = new boolean[size];
            Arrays.fill(values, Float.NaN);
        }

        /** Item {@code i} scored {@code value} (a non-finite value becomes the item's error). */
        public Builder value(int i, float value) {
            values[i] = value;
            errors[i] = null;
            set[i] = true;
            return this;
        }

        /** Item {@code i}'s side output {@code name}. */
        public Builder field(int i, String name, Object value) {
            fields.computeIfAbsent(name, k -> new ArrayList<>(Collections.nCopies(values.length, null))).set(i, value);
            return this;
        }

        /** Item {@code i} failed: {@code message} says why and names the file. */
        public Builder error(int i, String message) {
            values[i] = Float.NaN;
            errors[i] = message == null ? "failed (no message)" : message;
            set[i] = true;
            return this;
        }

        /** Copies item {@code k} of {@code r} (value or error, and its side outputs) to item {@code i}. */
        public Builder copy(int i, ScoreResult r, int k) {
            if (r.isOk(k)) value(i, r.values()[k]);
            else error(i, r.error(k));
            r.fields().forEach((name, v) -> field(i, name, v.get(k)));
            return this;
        }

        public ScoreResult build() {
            String[] e = errors.clone();
            for (int i = 0; i < e.length; i++) if (!set[i]) e[i] = metric.name() + ": not scored";
            return new ScoreResult(metric, values.clone(), fields, Arrays.asList(e));
        }
    }
}

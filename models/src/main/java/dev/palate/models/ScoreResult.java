package dev.palate.models;

import java.util.Arrays;

/**
 * One score per image (or per prompt–image pair), in input order, tagged with the metric that made them.
 *
 * @param metric what the numbers mean
 * @param values one value per image or pair; the array is the caller's to keep
 */
public record ScoreResult(MetricInfo metric, float[] values) {

    public int size() { return values.length; }

    public float get(int i) { return values[i]; }

    @Override
    public String toString() {
        return metric.name() + Arrays.toString(values);
    }
}

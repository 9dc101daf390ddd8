package dev.palate.models;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Every prompt against every image. An image that failed (undecodable, a model error on it) has a column of NaN and
 * its reason in {@link #error(int)}.
 *
 * @param metric      what the numbers mean
 * @param values      {@code values[m][n]} is prompt m with image n ([M prompts][N images])
 * @param imageErrors one entry per image: null when its column is scored, else why it is not
 */
public record ScoreMatrix(MetricInfo metric, float[][] values, List<String> imageErrors) {

    public ScoreMatrix {
        int n = values.length == 0 ? (imageErrors == null ? 0 : imageErrors.size()) : values[0].length;
        String[] e = new String[n];
        if (imageErrors != null) {
            if (imageErrors.size() != n) throw new IllegalArgumentException(imageErrors.size() + " image errors for " + n + " images");
            for (int i = 0; i < n; i++) e[i] = imageErrors.get(i);
        }
        for (float[] row : values)
            for (int i = 0; i < n; i++) if (e[i] != null) row[i] = Float.NaN;
        imageErrors = Collections.unmodifiableList(Arrays.asList(e));
    }

    /** Every image scored. */
    public ScoreMatrix(MetricInfo metric, float[][] values) {
        this(metric, values, null);
    }

    public int prompts() { return values.length; }

    public int images() { return imageErrors.size(); }

    /** Whether image {@code n}'s column is scored. */
    public boolean isOk(int image) { return imageErrors.get(image) == null; }

    /** Why image {@code n} has no scores, or null. */
    public String error(int image) { return imageErrors.get(image); }

    /**
     * Prompt {@code prompt} with image {@code image}.
     *
     * @throws IllegalStateException when the image failed, with its error
     */
    public float get(int prompt, int image) {
        if (imageErrors.get(image) != null)
            throw new IllegalStateException(metric.name() + " image " + image + " has no score: " + imageErrors.get(image));
        return values[prompt][image];
    }

    /** E.g. {@code hpsv2 2x3 [[0.27, 0.31, NaN], [0.22, 0.29, NaN]] errors {2: c.png: no such file}}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(metric.name()).append(' ').append(prompts()).append('x').append(images()).append(" [");
        for (int m = 0; m < values.length; m++) sb.append(m == 0 ? "" : ", ").append(Arrays.toString(values[m]));
        sb.append(']');
        StringBuilder errs = new StringBuilder();
        for (int n = 0; n < imageErrors.size(); n++)
            if (imageErrors.get(n) != null) errs.append(errs.length() == 0 ? "" : ", ").append(n).append(": ").append(imageErrors.get(n));
        if (errs.length() > 0) sb.append(" errors {").append(errs).append('}');
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScoreMatrix s && metric.equals(s.metric) && Arrays.deepEquals(values, s.values) && imageErrors.equals(s.imageErrors);
    }

    @Override
    public int hashCode() {
        return 31 * metric.hashCode() + Arrays.deepHashCode(values);
    }
}

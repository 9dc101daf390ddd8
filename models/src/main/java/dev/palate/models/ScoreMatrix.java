package dev.palate.models;

/**
 * Every prompt against every image.
 *
 * @param metric what the numbers mean
 * @param values {@code values[m][n]} is prompt m with image n ([M prompts][N images])
 */
public record ScoreMatrix(MetricInfo metric, float[][] values) {

    public int prompts() { return values.length; }

    public int images() { return values.length == 0 ? 0 : values[0].length; }

    public float get(int prompt, int image) { return values[prompt][image]; }
}

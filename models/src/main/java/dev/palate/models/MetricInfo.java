package dev.palate.models;

/**
 * What a metric's numbers mean: its name, which way is better, and the scale they are on.
 *
 * @param name        the registry name, e.g. {@code hpsv2}
 * @param description one line: model and formula
 * @param direction   which way is better
 * @param scale       the scale in words, e.g. "raw cosine, typically 0.2–0.3 (the HPSv2 benchmark tables report ×100)"
 * @param min         lowest possible value ({@code Double.NEGATIVE_INFINITY} when unbounded)
 * @param max         highest possible value ({@code Double.POSITIVE_INFINITY} when unbounded)
 * @param usesPrompt  false for image-only metrics, which ignore the prompts they are given
 */
public record MetricInfo(String name, String description, Direction direction, String scale,
                         double min, double max, boolean usesPrompt) {

    public enum Direction {
        HIGHER_IS_BETTER, LOWER_IS_BETTER;

        public String label() { return this == HIGHER_IS_BETTER ? "higher is better" : "lower is better"; }
    }

    @Override
    public String toString() {
        return name + " (" + direction.label() + "; " + scale + ")";
    }
}

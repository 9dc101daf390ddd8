package dev.palate.preprocess;

import java.util.Arrays;

/**
 * Per-channel {@code (x - mean) / std} on [0, 1] values, in float32 as torchvision's {@code Normalize} and
 * Hugging Face's {@code normalize} compute it (subtract, then divide; no reciprocal).
 */
public record Normalization(float[] mean, float[] std) {
    /** OpenAI CLIP (also open_clip's OPENAI_DATASET_MEAN/STD). */
    public static final Normalization OPENAI_CLIP = new Normalization(
            new float[] {0.48145466f, 0.4578275f, 0.40821073f}, new float[] {0.26862954f, 0.26130258f, 0.27577711f});
    /** ImageNet. */
    public static final Normalization IMAGENET = new Normalization(
            new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});

    public Normalization {
        if (mean.length != 3 || std.length != 3)
            throw new IllegalArgumentException("mean and std need 3 values each, got " + Arrays.toString(mean)
                    + " and " + Arrays.toString(std));
        mean = mean.clone();
        std = std.clone();
    }

    @Override
    public float[] mean() { return mean.clone(); }

    @Override
    public float[] std() { return std.clone(); }

    /** Normalises {@code x} (already in [0, 1]) for channel {@code c}. */
    public float apply(int c, float x) { return (x - mean[c]) / std[c]; }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() { return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std); }

    @Override
    public String toString() { return "Normalization[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]"; }
}

package dev.palate.models.clip;

/** fp32 helpers for embedding rows. */
public final class Embeddings {
    private Embeddings() {}

    /**
     * {@code e / ||e||₂} per row, accumulated in double. A zero row stays zero (improved-aesthetic-predictor's
     * numpy {@code normalized()} replaces a zero norm by 1).
     */
    public static float[][] l2Normalize(float[][] rows) {
        float[][] out = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            double ss = 0;
            for (float v : rows[i]) ss += (double) v * v;
            double n = ss == 0 ? 1 : Math.sqrt(ss);
            out[i] = new float[rows[i].length];
            for (int j = 0; j < rows[i].length; j++) out[i][j] = (float) (rows[i][j] / n);
        }
        return out;
    }

    /** Dot product of two rows, accumulated in double. */
    public static float dot(float[] a, float[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("embedding widths differ: " + a.length + " vs " + b.length);
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (double) a[i] * b[i];
        return (float) s;
    }
}

package dev.palate.preprocess;

/**
 * Pillow's per-output-pixel filter weights over the box (0, inSize) (Resample.c {@code precompute_coeffs}): output
 * {@code i} reads source samples {@code min[i] .. min[i] + count[i] - 1} with weights
 * {@code k[i * ksize .. i * ksize + count[i] - 1]}, computed in double and normalised to sum 1.
 *
 * <p>Computing them costs about 20 µs for 1024 to 224, so they are not cached between images.
 */
record ResampleCoefficients(int ksize, int[] min, int[] count, double[] k) {
    /** {@code PRECISION_BITS = 32 - 8 - 2} of Resample.c's 8-bit path. */
    static final int PRECISION_BITS = 32 - 8 - 2;

    static ResampleCoefficients of(PilResampler.Filter filter, int inSize, int outSize) {
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = filter.support * filterScale;
        int ksize = (int) Math.ceil(support) * 2 + 1;
        int[] min = new int[outSize];
        int[] count = new int[outSize];
        double[] k = new double[outSize * ksize];
        double ss = 1.0 / filterScale;
        for (int xx = 0; xx < outSize; xx++) {
            double center = (xx + 0.5) * scale;
            int xmin = Math.max(0, (int) (center - support + 0.5));     // C cast: truncation
            int xmax = Math.min(inSize, (int) (center + support + 0.5)) - xmin;
            double ww = 0.0;
            for (int x = 0; x < xmax; x++) {
                double w = filter.weight((x + xmin - center + 0.5) * ss);
                k[xx * ksize + x] = w;
                ww += w;
            }
            if (ww != 0.0) for (int x = 0; x < xmax; x++) k[xx * ksize + x] /= ww;
            min[xx] = xmin;
            count[xx] = xmax;
        }
        return new ResampleCoefficients(ksize, min, count, k);
    }

    /** {@code normalize_coeffs_8bpc}: the weights rounded half away from zero to 22-bit fixed point. */
    int[] fixedPoint() {
        int[] out = new int[k.length];
        double one = 1 << PRECISION_BITS;
        for (int i = 0; i < k.length; i++) out[i] = k[i] < 0 ? (int) (-0.5 + k[i] * one) : (int) (0.5 + k[i] * one);
        return out;
    }

    /** First and one-past-last source index used by outputs [from, from + n). */
    int[] span(int from, int n) {
        int lo = Integer.MAX_VALUE, hi = 0;
        for (int i = from; i < from + n; i++) {
            lo = Math.min(lo, min[i]);
            hi = Math.max(hi, min[i] + count[i]);
        }
        return new int[] {lo, hi};
    }
}

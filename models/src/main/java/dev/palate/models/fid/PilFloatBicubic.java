package dev.palate.models.fid;

/**
 * Pillow's BICUBIC resize of a float32 ('F' mode) image, as clean-fid's "clean" resize uses it (Pillow
 * src/libImaging/Resample.c: {@code precompute_coeffs}, {@code ImagingResampleHorizontal/Vertical} for FLOAT32):
 * separable, antialiased (support scaled by the downscale factor), cubic a = −0.5, double coefficients normalised per
 * output pixel, double accumulation, float32 store; horizontal pass first (only the rows the vertical pass needs),
 * then vertical. No uint8 rounding anywhere, unlike Pillow's 8-bit path.
 */
final class PilFloatBicubic {
    private static final double SUPPORT = 2.0;

    private PilFloatBicubic() {}

    /** Channels of an 8-bit RGB image resized to outW×outH and clipped to [0, 255]: CHW float32 [3, outH, outW]. */
    static float[] resizeRgb(RgbImage im, int outW, int outH) {
        int w = im.width(), h = im.height();
        float[] out = new float[3 * outW * outH];
        float[] plane = new float[w * h];
        for (int c = 0; c < 3; c++) {
            byte[] px = im.rgb();
            for (int p = 0; p < w * h; p++) plane[p] = px[3 * p + c] & 0xFF;
            float[] r = resize(plane, w, h, outW, outH);
            for (int p = 0; p < r.length; p++) out[c * outW * outH + p] = Math.min(255f, Math.max(0f, r[p])); // np.clip(0, 255)
        }
        return out;
    }

    /** One float plane [h, w] to [outH, outW]. */
    static float[] resize(float[] in, int w, int h, int outW, int outH) {
        Coeffs horiz = coeffs(w, outW);
        Coeffs vert = coeffs(h, outH);
        boolean needH = outW != w, needV = outH != h;
        float[] src = in;
        int srcW = w, rowOffset = 0;
        if (needH) {
            int yFirst = needV ? vert.bounds[0] : 0;
            int yLast = needV ? vert.bounds[2 * outH - 2] + vert.bounds[2 * outH - 1] : h;
            int rows = yLast - yFirst;
            float[] tmp = new float[rows * outW];
            for (int yy = 0; yy < rows; yy++) {
                int row = (yy + yFirst) * w;
                for (int xx = 0; xx < outW; xx++) {
                    int xmin = horiz.bounds[2 * xx], xmax = horiz.bounds[2 * xx + 1];
                    double ss = 0.0;
                    for (int x = 0; x < xmax; x++) ss += in[row + x + xmin] * horiz.k[xx * horiz.ksize + x];
                    tmp[yy * outW + xx] = (float) ss;
                }
            }
            src = tmp;
            srcW = outW;
            rowOffset = yFirst;
        }
        if (!needV) return src == in ? in.clone() : src;
        float[] out = new float[outH * outW];
        for (int yy = 0; yy < outH; yy++) {
            int ymin = vert.bounds[2 * yy] - rowOffset, ymax = vert.bounds[2 * yy + 1];
            for (int xx = 0; xx < outW; xx++) {
                double ss = 0.0;
                for (int y = 0; y < ymax; y++) ss += src[(y + ymin) * srcW + xx] * vert.k[yy * vert.ksize + y];
                out[yy * outW + xx] = (float) ss;
            }
        }
        return out;
    }

    private record Coeffs(int ksize, double[] k, int[] bounds) {}

    /** Pillow precompute_coeffs for the whole input range [0, inSize). */
    private static Coeffs coeffs(int inSize, int outSize) {
        double scale = (double) inSize / outSize;
        double filterscale = Math.max(scale, 1.0);
        double support = SUPPORT * filterscale;
        int ksize = (int) Math.ceil(support) * 2 + 1;
        double[] kk = new double[outSize * ksize];
        int[] bounds = new int[outSize * 2];
        for (int xx = 0; xx < outSize; xx++) {
            double center = (xx + 0.5) * scale;
            double ww = 0.0, ss = 1.0 / filterscale;
            int xmin = (int) (center - support + 0.5); // C cast: truncation toward zero
            if (xmin < 0) xmin = 0;
            int xmax = (int) (center + support + 0.5);
            if (xmax > inSize) xmax = inSize;
            xmax -= xmin;
            for (int x = 0; x < xmax; x++) {
                double wgt = cubic((x + xmin - center + 0.5) * ss);
                kk[xx * ksize + x] = wgt;
                ww += wgt;
            }
            for (int x = 0; x < xmax; x++) if (ww != 0.0) kk[xx * ksize + x] /= ww;
            bounds[2 * xx] = xmin;
            bounds[2 * xx + 1] = xmax;
        }
        return new Coeffs(ksize, kk, bounds);
    }

    /** Pillow bicubic_filter, a = −0.5. */
    private static double cubic(double x) {
        final double a = -0.5;
        if (x < 0.0) x = -x;
        if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
        if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
        return 0.0;
    }
}

package dev.palate.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The vectorisable layout of {@link FixedPointResampler} (transposed column blocks, whole-row accumulators) against
 * Pillow's 8-bit resample written as plainly as Resample.c writes it: one output sample at a time, taps in order.
 * Random noise (so both passes clip at 0 and 255), odd sizes, up and down, crop windows, 1 to 4 bands, and images
 * wide or tall enough to span several transposed blocks. Tolerance: none (bytes equal).
 */
class PilResamplerPlainLoopsTest {
    private static final int[][] SOURCES = {{1, 1}, {7, 3}, {3, 7}, {333, 517}, {1100, 300}, {640, 9}};
    private static final int[][] TARGETS = {{1, 1}, {5, 9}, {224, 224}, {700, 41}, {333, 517}, {2, 1000}};

    @Test
    void bicubicEqualsPlainPillowLoopsForEveryBandCountAndSize() {
        Random random = new Random(12);
        for (int bands = 1; bands <= 4; bands++) {
            for (int[] s : SOURCES) {
                byte[] src = noise(random, s[0] * s[1] * bands);
                for (int[] t : TARGETS) {
                    byte[] expected = PlainResample.resample(src, s[0], s[1], bands, t[0], t[1], PilResampler.Filter.BICUBIC);
                    assertArrayEquals(expected, PilResampler.bicubic(src, s[0], s[1], bands, t[0], t[1]),
                            bands + " bands, " + s[0] + "x" + s[1] + " -> " + t[0] + "x" + t[1]);
                }
            }
        }
    }

    @Test
    void resizeCropEqualsPlainResizeThenCropInEveryEightBitMode() {
        Random random = new Random(34);
        PilMode[] modes = {PilMode.L, PilMode.LA, PilMode.RGB, PilMode.RGBA, PilMode.CMYK};
        int[][] cases = { // source w, h, resized w, h, crop left, top, w, h
                {333, 517, 224, 344, 0, 60, 224, 224},
                {517, 333, 347, 224, 61, 0, 224, 224},
                {333, 517, 333, 700, 17, 100, 300, 13},   // width kept
                {333, 517, 120, 517, 5, 200, 110, 1},     // height kept
                {7, 3, 40, 30, 39, 29, 1, 1},
                {1100, 300, 1050, 299, 3, 4, 1000, 290}};
        for (PilMode mode : modes) {
            for (int[] c : cases) {
                int bands = mode.bands();
                byte[] src = noise(random, c[0] * c[1] * bands);
                DecodedImage image = DecodedImage.ofBytes("noise", mode, c[0], c[1], src);
                boolean alpha = mode == PilMode.RGBA || mode == PilMode.LA;
                byte[] full = PlainResample.resample(alpha ? PilConvert.premultiply(src, bands) : src, c[0], c[1], bands,
                        c[2], c[3], PilResampler.Filter.BICUBIC);
                if (alpha) full = PilConvert.unpremultiply(full, bands);
                byte[] expected = crop(full, c[2], bands, c[4], c[5], c[6], c[7]);
                byte[] actual = PilResampler.resizeCrop(image, c[2], c[3], c[4], c[5], c[6], c[7]).pixelBytes();
                assertArrayEquals(expected, actual, mode + " " + java.util.Arrays.toString(c));
            }
        }
    }

    @Test
    void lanczosEqualsPlainPillowLoops() {
        Random random = new Random(56);
        for (PilMode mode : new PilMode[] {PilMode.L, PilMode.RGB}) {
            int bands = mode.bands();
            byte[] src = noise(random, 333 * 517 * bands);
            DecodedImage image = DecodedImage.ofBytes("noise", mode, 333, 517, src);
            for (int[] t : new int[][] {{100, 150}, {1000, 41}, {333, 200}}) {
                byte[] expected = PlainResample.resample(src, 333, 517, bands, t[0], t[1], PilResampler.Filter.LANCZOS);
                assertArrayEquals(expected, PilResampler.resize(image, t[0], t[1], PilResampler.Filter.LANCZOS).pixelBytes(),
                        mode + " -> " + t[0] + "x" + t[1]);
            }
        }
    }

    private static byte[] noise(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] crop(byte[] px, int w, int bands, int left, int top, int cw, int ch) {
        byte[] out = new byte[cw * ch * bands];
        for (int y = 0; y < ch; y++) System.arraycopy(px, ((top + y) * w + left) * bands, out, y * cw * bands, cw * bands);
        return out;
    }

    /** Resample.c as written: {@code precompute_coeffs}, {@code normalize_coeffs_8bpc}, then the two 8bpc passes. */
    private static final class PlainResample {
        static byte[] resample(byte[] src, int w, int h, int bands, int outW, int outH, PilResampler.Filter filter) {
            byte[] tmp = src;
            if (outW != w) tmp = horizontal(src, w, h, bands, outW, filter);
            if (outH != h) tmp = vertical(tmp, outW, h, bands, outH, filter);
            return tmp;
        }

        static byte[] horizontal(byte[] in, int w, int h, int bands, int outW, PilResampler.Filter filter) {
            int[][] bounds = new int[outW][2];
            int[][] k = coefficients(w, outW, filter, bounds);
            byte[] out = new byte[outW * h * bands];
            for (int y = 0; y < h; y++)
                for (int xx = 0; xx < outW; xx++)
                    for (int b = 0; b < bands; b++) {
                        int ss = 1 << 21;
                        for (int x = 0; x < bounds[xx][1]; x++) ss += (in[(y * w + x + bounds[xx][0]) * bands + b] & 0xFF) * k[xx][x];
                        out[(y * outW + xx) * bands + b] = clip8(ss);
                    }
            return out;
        }

        static byte[] vertical(byte[] in, int w, int h, int bands, int outH, PilResampler.Filter filter) {
            int[][] bounds = new int[outH][2];
            int[][] k = coefficients(h, outH, filter, bounds);
            byte[] out = new byte[w * outH * bands];
            for (int yy = 0; yy < outH; yy++)
                for (int xx = 0; xx < w; xx++)
                    for (int b = 0; b < bands; b++) {
                        int ss = 1 << 21;
                        for (int y = 0; y < bounds[yy][1]; y++) ss += (in[((y + bounds[yy][0]) * w + xx) * bands + b] & 0xFF) * k[yy][y];
                        out[(yy * w + xx) * bands + b] = clip8(ss);
                    }
            return out;
        }

        /** {@code precompute_coeffs} + {@code normalize_coeffs_8bpc}; bounds[i] = {xmin, count}. */
        static int[][] coefficients(int inSize, int outSize, PilResampler.Filter filter, int[][] bounds) {
            double scale = (double) inSize / outSize;
            double filterscale = Math.max(scale, 1.0);
            double support = (filter == PilResampler.Filter.BICUBIC ? 2.0 : 3.0) * filterscale;
            int[][] k = new int[outSize][];
            for (int xx = 0; xx < outSize; xx++) {
                double center = (xx + 0.5) * scale;
                double ww = 0.0;
                double ss = 1.0 / filterscale;
                int xmin = (int) (center - support + 0.5);
                if (xmin < 0) xmin = 0;
                int xmax = (int) (center + support + 0.5);
                if (xmax > inSize) xmax = inSize;
                xmax -= xmin;
                double[] kd = new double[xmax];
                for (int x = 0; x < xmax; x++) {
                    double wt = filter.weight((x + xmin - center + 0.5) * ss);
                    kd[x] = wt;
                    ww += wt;
                }
                k[xx] = new int[xmax];
                for (int x = 0; x < xmax; x++) {
                    if (ww != 0.0) kd[x] /= ww;
                    k[xx][x] = kd[x] < 0 ? (int) (-0.5 + kd[x] * (1 << 22)) : (int) (0.5 + kd[x] * (1 << 22));
                }
                bounds[xx][0] = xmin;
                bounds[xx][1] = xmax;
            }
            return k;
        }

        static byte clip8(int ss) {
            int v = ss >> 22;
            return (byte) (v < 0 ? 0 : Math.min(v, 255));
        }
    }
}

package dev.palate.preprocess;

import java.util.Arrays;

/**
 * Pillow's {@code Image.resize(size, BICUBIC)} re-implemented pixel for pixel (Pillow 9.4
 * {@code libImaging/Resample.c}, {@code Geometry.c}, {@code Image.py}).
 *
 * <ul>
 *   <li>Keys cubic with a = −0.5, support 2 widened by the scale factor when shrinking (antialiasing);
 *       coefficients per output pixel computed in double, normalised to sum 1.</li>
 *   <li>8-bit images: coefficients to fixed point with {@code PRECISION_BITS = 32 − 8 − 2 = 22} (rounded half
 *       away from zero), accumulation from {@code 1 << 21}, {@code >> 22} and clip to 0..255, after each pass.
 *       Horizontal pass first, then vertical; a pass is skipped when that side keeps its size.</li>
 *   <li>Mode I: the same coefficients in double, each pass rounded half away from zero, not clipped.</li>
 *   <li>Mode F ({@link #bicubicFloat}): the same coefficients in double, each pass stored as float32.</li>
 *   <li>Modes P and 1: NEAREST, Pillow's affine scaler (source x of output x is {@code (int) xo}, with
 *       {@code xo} starting at {@code scale / 2} and accumulating {@code += scale}).</li>
 *   <li>RGBA and LA: premultiplied before, un-premultiplied after ({@code RGBa}/{@code La} round trip).</li>
 * </ul>
 *
 * Every output pixel depends only on its own coefficients, so {@link #resizeCrop} computes just the window a
 * center crop keeps and is still bit-identical to resizing everything and cropping afterwards.
 */
public final class PilResampler {
    private PilResampler() {}

    /** {@code image.resize((outW, outH), BICUBIC)} in the image's own mode. */
    public static DecodedImage resize(DecodedImage image, int outW, int outH) {
        return resizeCrop(image, outW, outH, 0, 0, outW, outH);
    }

    /**
     * {@code image.resize((outW, outH), BICUBIC).crop((left, top, left + cropW, top + cropH))}, computing only the
     * cropped window. The window must lie inside the resized image.
     */
    public static DecodedImage resizeCrop(DecodedImage image, int outW, int outH, int left, int top, int cropW, int cropH) {
        if (outW <= 0 || outH <= 0) throw new IllegalArgumentException(image.name() + ": resize to " + outW + "x" + outH);
        if (left < 0 || top < 0 || cropW <= 0 || cropH <= 0 || left + cropW > outW || top + cropH > outH)
            throw new IllegalArgumentException(image.name() + ": crop window " + left + "," + top + " " + cropW + "x"
                    + cropH + " is not inside " + outW + "x" + outH);
        Window win = new Window(image.width(), image.height(), outW, outH, left, top, cropW, cropH);
        PilMode mode = image.mode();
        int bands = mode.bands();
        if (mode == PilMode.I) return DecodedImage.ofInts(image.name(), cropW, cropH, resampleInts(image.ints(), win));
        byte[] out;
        if (outW == image.width() && outH == image.height()) {
            out = copyRows(image.bytes(), image.width(), bands, left, top, cropW, cropH);
        } else if (mode.forcesNearest()) {
            out = nearest(image.bytes(), bands, win);
        } else if (mode == PilMode.RGBA || mode == PilMode.LA) {
            byte[] premultiplied = PilConvert.premultiply(image.bytes(), bands);
            out = PilConvert.unpremultiply(bicubic(premultiplied, bands, win), bands);
        } else {
            out = bicubic(image.bytes(), bands, win);
        }
        return DecodedImage.ofBytes(image.name(), mode, cropW, cropH, out);
    }

    /**
     * Pillow BICUBIC on raw 8-bit interleaved samples ({@code [h, w, bands]} to {@code [outH, outW, bands]}), no mode
     * handling: the caller premultiplies alpha if it wants Pillow's RGBA behaviour.
     */
    public static byte[] bicubic(byte[] src, int w, int h, int bands, int outW, int outH) {
        return bicubic(src, bands, new Window(w, h, outW, outH, 0, 0, outW, outH));
    }

    /** Source size, full output size, and the output window actually computed. */
    private record Window(int inW, int inH, int outW, int outH, int left, int top, int cropW, int cropH) {
        boolean resizesX() { return outW != inW; }

        boolean resizesY() { return outH != inH; }
    }

    /** Pillow's resampling filters implemented here (Resample.c {@code filterp}). */
    public enum Filter {
        /** {@code Image.BICUBIC}: Keys cubic, a = −0.5, support 2. */
        BICUBIC(2.0),
        /** {@code Image.LANCZOS}: sinc(x) · sinc(x / 3), support 3 (Resample.c {@code lanczos_filter}). */
        LANCZOS(3.0);

        final double support;

        Filter(double support) { this.support = support; }

        double weight(double x) {
            return this == BICUBIC ? cubic(x) : lanczos(x);
        }
    }

    private static double sinc(double x) {
        if (x == 0.0) return 1.0;
        x = x * Math.PI;
        return Math.sin(x) / x;
    }

    private static double lanczos(double x) {
        return -3.0 <= x && x < 3.0 ? sinc(x) * sinc(x / 3) : 0.0;
    }

    /**
     * {@code image.resize((outW, outH), filter)} for an 8-bit RGB or L image (Pillow's fixed-point path), e.g. the
     * LANCZOS squash Qwen-Image-Bench applies to large images.
     */
    public static DecodedImage resize(DecodedImage image, int outW, int outH, Filter filter) {
        if (filter == Filter.BICUBIC) return resize(image, outW, outH);
        if (image.mode() != PilMode.RGB && image.mode() != PilMode.L)
            throw new IllegalArgumentException(image.name() + ": " + filter + " resize is implemented for RGB and L images, not " + image.mode());
        if (outW == image.width() && outH == image.height()) return image;
        Window win = new Window(image.width(), image.height(), outW, outH, 0, 0, outW, outH);
        return DecodedImage.ofBytes(image.name(), image.mode(), outW, outH, resample8(image.bytes(), image.mode().bands(), win, filter));
    }

    /** Keys cubic convolution, a = −0.5 (Resample.c {@code bicubic_filter}). */
    private static double cubic(double x) {
        final double a = -0.5;
        if (x < 0.0) x = -x;
        if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
        if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
        return 0.0;
    }

    private static byte[] bicubic(byte[] src, int bands, Window win) {
        return resample8(src, bands, win, Filter.BICUBIC);
    }

    private static byte[] resample8(byte[] src, int bands, Window win, Filter filter) {
        ResampleCoefficients horiz = win.resizesX() ? ResampleCoefficients.of(filter, win.inW, win.outW) : null;
        ResampleCoefficients vert = win.resizesY() ? ResampleCoefficients.of(filter, win.inH, win.outH) : null;
        return FixedPointResampler.resample(src, win.inW, win.inH, bands, horiz, win.left, win.cropW, vert, win.top, win.cropH);
    }

    /** Mode I: Resample.c {@code ImagingResample*_32bpc} for INT32, each pass rounded half away from zero. */
    private static int[] resampleInts(int[] src, Window win) {
        ResampleCoefficients vert = ResampleCoefficients.of(Filter.BICUBIC, win.inH, win.outH);
        int rowLo = 0, rowHi = win.inH;
        if (win.resizesY()) {
            int[] span = vert.span(win.top, win.cropH);
            rowLo = span[0];
            rowHi = span[1];
        }
        int tmpH = rowHi - rowLo, tw = win.cropW;
        int[] tmp = new int[tmpH * tw];
        if (win.resizesX()) {
            ResampleCoefficients horiz = ResampleCoefficients.of(Filter.BICUBIC, win.inW, win.outW);
            for (int y = 0; y < tmpH; y++) {
                for (int xx = 0; xx < tw; xx++) {
                    int ox = xx + win.left;
                    double ss = 0.0;
                    for (int x = 0; x < horiz.count()[ox]; x++)
                        ss += src[(y + rowLo) * win.inW + horiz.min()[ox] + x] * horiz.k()[ox * horiz.ksize() + x];
                    tmp[y * tw + xx] = roundUp(ss);
                }
            }
        } else {
            for (int y = 0; y < tmpH; y++) System.arraycopy(src, (y + rowLo) * win.inW + win.left, tmp, y * tw, tw);
        }
        int[] out = new int[win.cropH * tw];
        for (int yy = 0; yy < win.cropH; yy++) {
            int oy = yy + win.top;
            for (int xx = 0; xx < tw; xx++) {
                if (!win.resizesY()) {
                    out[yy * tw + xx] = tmp[(oy - rowLo) * tw + xx];
                    continue;
                }
                double ss = 0.0;
                for (int y = 0; y < vert.count()[oy]; y++)
                    ss += tmp[(vert.min()[oy] - rowLo + y) * tw + xx] * vert.k()[oy * vert.ksize() + y];
                out[yy * tw + xx] = roundUp(ss);
            }
        }
        return out;
    }

    /**
     * Pillow BICUBIC on one float32 ('F' mode) plane, {@code [h, w]} to {@code [outH, outW]}: the same coefficients,
     * double accumulation, each pass stored as float32, no rounding or clipping (Resample.c, FLOAT32 case). This is
     * the resize clean-fid's "clean" mode runs per channel.
     */
    public static float[] bicubicFloat(float[] src, int w, int h, int outW, int outH) {
        Window win = new Window(w, h, outW, outH, 0, 0, outW, outH);
        ResampleCoefficients vert = ResampleCoefficients.of(Filter.BICUBIC, h, outH);
        int rowLo = 0, rowHi = h;
        if (win.resizesY()) {
            int[] span = vert.span(0, outH);
            rowLo = span[0];
            rowHi = span[1];
        }
        int tmpH = rowHi - rowLo;
        float[] tmp; // [tmpH, outW], rows rowLo..rowHi of the horizontally resampled plane
        if (win.resizesX()) {
            ResampleCoefficients horiz = ResampleCoefficients.of(Filter.BICUBIC, w, outW);
            tmp = new float[tmpH * outW];
            for (int y = 0; y < tmpH; y++) {
                for (int xx = 0; xx < outW; xx++) {
                    double ss = 0.0;
                    for (int x = 0; x < horiz.count()[xx]; x++)
                        ss += src[(y + rowLo) * w + horiz.min()[xx] + x] * horiz.k()[xx * horiz.ksize() + x];
                    tmp[y * outW + xx] = (float) ss;
                }
            }
        } else {
            tmp = Arrays.copyOfRange(src, rowLo * w, rowHi * w);
        }
        if (!win.resizesY()) return tmp;
        float[] out = new float[outH * outW];
        for (int yy = 0; yy < outH; yy++) {
            for (int xx = 0; xx < outW; xx++) {
                double ss = 0.0;
                for (int y = 0; y < vert.count()[yy]; y++)
                    ss += tmp[(vert.min()[yy] - rowLo + y) * outW + xx] * vert.k()[yy * vert.ksize() + y];
                out[yy * outW + xx] = (float) ss;
            }
        }
        return out;
    }

    /** Resample.c {@code ROUND_UP}. */
    private static int roundUp(double f) { return (int) (f >= 0.0 ? f + 0.5 : f - 0.5); }

    /** Geometry.c {@code ImagingScaleAffine}: nearest neighbour with accumulated source coordinates. */
    private static byte[] nearest(byte[] src, int bands, Window win) {
        int[] xs = nearestIndices(win.inW, win.outW, win.left, win.cropW);
        int[] ys = nearestIndices(win.inH, win.outH, win.top, win.cropH);
        byte[] out = new byte[win.cropW * win.cropH * bands];
        for (int y = 0; y < win.cropH; y++)
            for (int x = 0; x < win.cropW; x++)
                System.arraycopy(src, (ys[y] * win.inW + xs[x]) * bands, out, (y * win.cropW + x) * bands, bands);
        return out;
    }

    private static int[] nearestIndices(int inSize, int outSize, int from, int n) {
        double a = (double) inSize / outSize;
        double pos = a * 0.5;
        int[] idx = new int[n];
        for (int i = 0; i < from + n; i++) {
            // COORD(v): -1 below zero, else truncation; outside the source Pillow leaves the (filled) zero pixel.
            if (i >= from) idx[i - from] = Math.min(pos < 0.0 ? 0 : (int) pos, inSize - 1);
            pos += a;
        }
        return idx;
    }

    private static byte[] copyRows(byte[] src, int w, int bands, int left, int top, int cw, int ch) {
        byte[] out = new byte[cw * ch * bands];
        for (int y = 0; y < ch; y++)
            System.arraycopy(src, ((y + top) * w + left) * bands, out, y * cw * bands, cw * bands);
        return out;
    }
}

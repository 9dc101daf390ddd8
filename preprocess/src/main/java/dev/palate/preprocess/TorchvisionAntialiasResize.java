package dev.palate.preprocess;

/**
 * torchvision's {@code resize(..., BICUBIC, antialias=True)} on tensors, in Java: what torch's
 * {@code _upsample_bicubic2d_aa} computes on CPU (aten/src/ATen/native/cpu/UpSampleKernel.cpp
 * {@code separable_upsample_generic_Nd_kernel_impl}, {@code HelperInterpCubic}; uint8 on AVX2 in
 * {@code UpSampleKernelAVXAntialias.h upsample_avx_bilinear_bicubic_uint8}). torchvision 0.29 adds nothing of its own:
 * for BICUBIC on CPU it hands float32 and uint8 tensors to {@code interpolate} unchanged
 * ({@code transforms/v2/functional/_geometry.py resize_image}, {@code _do_native_uint8_resize_on_cpu}).
 *
 * <p>Both flavours are separable, width first then height, a pass skipped when its side keeps its size, with Keys cubic
 * a = −0.5 widened to support {@code 2 · scale} when shrinking, {@code scale = in / out}, window
 * {@code [trunc(center − support + 0.5), trunc(center + support + 0.5))} around {@code center = scale · (i + 0.5)},
 * weights normalised to sum 1 (the Pillow scheme; torch credits Pillow's Resample.c):
 * <ul>
 *   <li>{@link #resizeFloat}: weights and sums in float32 as torch evaluates them for a float tensor (each C++
 *       sub-expression in its own precision: the center and the tap offset in double, rounded to float; the filter
 *       polynomial and the tap sum with fused multiply-adds, as the compiler contracts them in torch's AVX2 kernels),
 *       each pass stored as float32, no clamping. Measured: bit-identical to the libtorch this project loads; against
 *       the torch 2.14.1 wheel that made the HPSv2 antialias fixture, within 1.2e-6 after normalisation (that build
 *       rounds a few percent of the values one ulp apart; libtorch's own output is just as far).</li>
 *   <li>{@link #resizeUint8}: weights in double, scaled to int16 with a per-side precision {@code p} (at most 22,
 *       chosen so the biggest weight lands in [2^14, 2^15): Pillow-SIMD's scheme, not Pillow's fixed 22 bits), each
 *       pass {@code clamp((2^(p−1) + Σ x·w) >> p, 0, 255)} into uint8, summed in int32 as the AVX2 kernel does (torch's
 *       generic uint8 loop uses the same weights and rounding). Measured: every sample equal to this libtorch's, and
 *       (checked by hand, not a test here) to torchvision 0.29.1's {@code resized/*} images of the qwen3vl-judge
 *       fixtures.</li>
 * </ul>
 */
public final class TorchvisionAntialiasResize {
    private static final int INTERP_SIZE = 4; // HelperInterpCubic::interp_size
    private static final int MAX_WEIGHT_PRECISION = 22;

    private TorchvisionAntialiasResize() {}

    /**
     * A float32 CHW tensor {@code [channels, h, w]} to {@code [channels, outH, outW]}, as
     * {@code resize(t, [outH, outW], BICUBIC, antialias=True)} on a float32 tensor (HPSv2 on a current torchvision).
     */
    public static float[] resizeFloat(float[] chw, int channels, int w, int h, int outW, int outH) {
        check(chw.length, channels, w, h, outW, outH);
        float[] cur = chw;
        int curW = w;
        if (outW != w) {
            FloatTaps t = FloatTaps.of(w, outW);
            float[] next = new float[channels * h * outW];
            for (int row = 0; row < channels * h; row++) {
                int src = row * w, dst = row * outW;
                for (int x = 0; x < outW; x++) next[dst + x] = t.apply(cur, src, 1, x);
            }
            cur = next;
            curW = outW;
        }
        if (outH != h) {
            FloatTaps t = FloatTaps.of(h, outH);
            float[] next = new float[channels * outH * curW];
            for (int c = 0; c < channels; c++) {
                int plane = c * h * curW;
                for (int y = 0; y < outH; y++) {
                    int dst = (c * outH + y) * curW;
                    for (int x = 0; x < curW; x++) next[dst + x] = t.apply(cur, plane + x, curW, y);
                }
            }
            cur = next;
        }
        return cur == chw ? chw.clone() : cur;
    }

    /**
     * Interleaved uint8 samples {@code [h, w, bands]} to {@code [outH, outW, bands]}, as
     * {@code resize(t, [outH, outW], BICUBIC, antialias=True)} on a uint8 tensor of those channels (the Qwen2-VL
     * torchvision processors, Qwen3-VL's). Bands are resampled independently; alpha is not premultiplied.
     */
    public static byte[] resizeUint8(byte[] hwc, int w, int h, int bands, int outW, int outH) {
        check(hwc.length, bands, w, h, outW, outH);
        byte[] cur = hwc;
        int curW = w;
        if (outW != w) {
            IntTaps t = IntTaps.of(w, outW);
            byte[] next = new byte[h * outW * bands];
            for (int y = 0; y < h; y++)
                for (int x = 0; x < outW; x++)
                    for (int b = 0; b < bands; b++)
                        next[(y * outW + x) * bands + b] = t.apply(cur, y * w * bands + b, bands, x);
            cur = next;
            curW = outW;
        }
        if (outH != h) {
            IntTaps t = IntTaps.of(h, outH);
            int rowStride = curW * bands;
            byte[] next = new byte[outH * rowStride];
            for (int y = 0; y < outH; y++)
                for (int i = 0; i < rowStride; i++) next[y * rowStride + i] = t.apply(cur, i, rowStride, y);
            cur = next;
        }
        return cur == hwc ? hwc.clone() : cur;
    }

    /** An RGB image resized with {@link #resizeUint8}, as torchvision resizes {@code pil_to_tensor(image)}. */
    public static DecodedImage resize(DecodedImage rgb, int outW, int outH) {
        if (rgb.mode() != PilMode.RGB)
            throw new IllegalArgumentException(rgb.name() + " is mode " + rgb.mode().pilName() + ": convert it to RGB first");
        return DecodedImage.ofRgb(rgb.name(), outW, outH, resizeUint8(rgb.bytes(), rgb.width(), rgb.height(), 3, outW, outH));
    }

    private static void check(int length, int channels, int w, int h, int outW, int outH) {
        if (w <= 0 || h <= 0 || outW <= 0 || outH <= 0 || channels <= 0)
            throw new IllegalArgumentException("resize " + w + "x" + h + " to " + outW + "x" + outH + " with " + channels + " channels");
        if ((long) channels * w * h != length)
            throw new IllegalArgumentException(length + " samples are not " + channels + "x" + h + "x" + w);
    }

    /**
     * Keys cubic, a = −0.5 ({@code HelperInterpCubic::aa_filter}), in float32 with the multiply-adds fused as the
     * compiler contracts {@code ((a + 2)·x − (a + 3))·x·x + 1} and {@code ((a·x − 5a)·x + 8a)·x − 4a} in torch's AVX2
     * kernels (measured: fused matches libtorch bit for bit, unfused differs in the last bit on most outputs).
     */
    private static float cubic(float x) {
        final float a = -0.5f;
        x = Math.abs(x);
        if (x < 1.0f) return Math.fma(Math.fma(a + 2, x, -(a + 3)) * x, x, 1f);
        if (x < 2.0f) return Math.fma(Math.fma(Math.fma(a, x, -5 * a), x, 8 * a), x, -4 * a);
        return 0f;
    }

    /** The same filter in double (the uint8 path's {@code aa_filter<double>}). */
    private static double cubic(double x) {
        final double a = -0.5;
        x = Math.abs(x);
        if (x < 1.0) return ((a + 2) * x - (a + 3)) * x * x + 1;
        if (x < 2.0) return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
        return 0.0;
    }

    /**
     * {@code HelperInterpBase::_compute_index_ranges_weights<float>} + {@code _compute_indices_min_size_weights_aa}:
     * per output index the first source index, the tap count and {@code ksize} float weights.
     */
    private record FloatTaps(int ksize, int[] min, int[] count, float[] k) {
        static FloatTaps of(int in, int out) {
            float scale = (float) in / (float) out; // area_pixel_compute_scale<float>: static_cast<float>(in) / out
            float support = scale >= 1.0f ? (float) (INTERP_SIZE * 0.5 * scale) : (float) (INTERP_SIZE * 0.5);
            int ksize = (int) Math.ceil(support) * 2 + 1;
            float invscale = scale >= 1.0f ? (float) (1.0 / scale) : 1.0f;
            int[] min = new int[out], count = new int[out];
            float[] k = new float[out * ksize];
            for (int i = 0; i < out; i++) {
                float center = (float) (scale * (i + 0.5));
                int xmin = (int) Math.max((long) ((center - support) + 0.5), 0L);
                int xsize = (int) Math.min((long) ((center + support) + 0.5), in) - xmin;
                xsize = Math.max(0, Math.min(xsize, ksize));
                float total = 0f;
                for (int j = 0; j < xsize; j++) {
                    // (j + xmin - center + 0.5) * invscale: int64 - float in float, + 0.5 and * in double, then float.
                    float w = cubic((float) (((double) ((float) (j + xmin) - center) + 0.5) * invscale));
                    k[i * ksize + j] = w;
                    total += w;
                }
                if (total != 0f) for (int j = 0; j < xsize; j++) k[i * ksize + j] /= total;
                min[i] = xmin;
                count[i] = xsize;
            }
            return new FloatTaps(ksize, min, count, k);
        }

        /**
         * Output {@code i} from samples {@code src[base + (min + j)·stride]}: {@code x₀·w₀}, then fused multiply-adds in
         * tap order ({@code output += t * wts}, contracted in torch's AVX2 build).
         */
        float apply(float[] src, int base, int stride, int i) {
            int p = base + min[i] * stride, kb = i * ksize;
            float acc = src[p] * k[kb];
            for (int j = 1; j < count[i]; j++) acc = Math.fma(src[p + j * stride], k[kb + j], acc);
            return acc;
        }
    }

    /** {@code HelperInterpBase::_compute_index_ranges_int16_weights}: double weights rescaled to int16 at precision p. */
    private record IntTaps(int ksize, int precision, int[] min, int[] count, int[] k) {
        static IntTaps of(int in, int out) {
            double scale = (double) in / out; // area_pixel_compute_scale<double>
            double support = scale >= 1.0 ? INTERP_SIZE * 0.5 * scale : INTERP_SIZE * 0.5;
            int ksize = (int) Math.ceil(support) * 2 + 1;
            double invscale = scale >= 1.0 ? 1.0 / scale : 1.0;
            int[] min = new int[out], count = new int[out];
            double[] wd = new double[out * ksize];
            double wtMax = 0.0;
            for (int i = 0; i < out; i++) {
                double center = scale * (i + 0.5);
                int xmin = (int) Math.max((long) (center - support + 0.5), 0L);
                int xsize = (int) Math.min((long) (center + support + 0.5), in) - xmin;
                xsize = Math.max(0, Math.min(xsize, ksize));
                double total = 0.0;
                for (int j = 0; j < xsize; j++) {
                    double w = cubic((j + xmin - center + 0.5) * invscale);
                    wd[i * ksize + j] = w;
                    total += w;
                }
                if (total != 0.0) {
                    for (int j = 0; j < xsize; j++) {
                        wd[i * ksize + j] /= total;
                        wtMax = Math.max(wtMax, wd[i * ksize + j]);
                    }
                }
                min[i] = xmin;
                count[i] = xsize;
            }
            int precision;
            for (precision = 0; precision < MAX_WEIGHT_PRECISION; precision++) {
                int next = (int) (0.5 + wtMax * (1 << (precision + 1)));
                if (next >= (1 << 15)) break;
            }
            int[] k = new int[wd.length];
            for (int i = 0; i < wd.length; i++) {
                double v = wd[i] * (1 << precision);
                k[i] = (short) (v < 0 ? (int) (-0.5 + v) : (int) (0.5 + v)); // stored as int16_t
            }
            return new IntTaps(ksize, precision, min, count, k);
        }

        /** Output {@code i}: {@code clamp((2^(p−1) + Σ x·w) >> p, 0, 255)}, int32 as the AVX2 kernel sums it. */
        byte apply(byte[] src, int base, int stride, int i) {
            int p = base + min[i] * stride, kb = i * ksize;
            int acc = 1 << (precision - 1);
            for (int j = 0; j < count[i]; j++) acc += (src[p + j * stride] & 0xFF) * k[kb + j];
            int v = acc >> precision;
            return (byte) (v < 0 ? 0 : Math.min(v, 255));
        }
    }
}

package dev.palate.preprocess.qwen2vl;

import java.nio.file.Path;
import java.util.Objects;

import dev.palate.preprocess.DecodedImage;
import dev.palate.preprocess.PilResampler;
import dev.palate.preprocess.TorchvisionAntialiasResize;

/**
 * Qwen2-VL's image processor on decoded images, float for float with transformers 5.18's
 * {@code Qwen2VLImageProcessorPil} ({@code models/qwen2_vl/image_processing_pil_qwen2_vl.py _preprocess}), optionally
 * preceded by the {@code fetch_image} step of qwen-vl-utils that HPSv3 runs first.
 *
 * <ol>
 *   <li>RGB: {@link AlphaConvention#DROP} by default, a plain {@code convert("RGB")}, because that is what transformers
 *       5.18 (the reference the fixtures were made with) and HPSv3's {@code fetch_image} do;
 *       {@link AlphaConvention#COMPOSITE_ON_WHITE} reproduces transformers 4.46.</li>
 *   <li>Optional {@code fetch_image} (HPSv3 {@code hpsv3/dataset/utils.py}): {@link SmartResize#qwenVlUtils} with
 *       factor 28 and its own pixel bounds, then Pillow {@code resize((w̄, h̄), BICUBIC)}.</li>
 *   <li>{@code do_resize}: {@link SmartResize#transformers} with factor {@code patch · merge} and the config's bounds,
 *       Pillow BICUBIC ({@link PilResampler}, bit-exact); skipped when the size does not change, as Pillow copies.</li>
 *   <li>{@code rescale}: {@code float32(double(x) · rescale_factor)}; {@code normalize}: {@code (x − mean) / std} in
 *       float32 (subtract, then divide), mean/std rounded to float32 as {@code np.array(..., float32)} does. Both
 *       depend on the byte alone, so they are one 256-entry table per channel: the values are NumPy's exactly.</li>
 *   <li>{@code patchify}: rows in 2×2-window order, columns (C, T, patch, patch), the frame repeated T times.</li>
 * </ol>
 * {@link #withTorchvisionBackend} switches to the torchvision-backed {@code Qwen2VLImageProcessor} of transformers
 * 5.18 (image_processing_qwen2_vl.py, what Qwen3-VL and Qwen3.5 processors run by default): the resize is
 * torchvision's antialiased bicubic on the uint8 tensor ({@link TorchvisionAntialiasResize}), and rescale and
 * normalise are fused as {@code BaseImageProcessorFast._fuse_mean_std_and_rescale_factor} does them:
 * {@code (x − float32(mean) · 255) / (float32(std) · 255)} in float32 ((u − 127.5) / 127.5 for mean = std = 0.5).
 * Instances are immutable and thread-safe. The work per image is the resize plus one pass writing the output, with
 * one copy of the resized bytes; a 12 MP photo on HPSv3's path is dominated by Pillow's horizontal pass.
 */
public final class Qwen2VlImageProcessor {
    /** qwen-vl-utils' {@code IMAGE_FACTOR}: {@code fetch_image} sizes are multiples of 28 whatever the processor's. */
    public static final int FETCH_FACTOR = 28;
    /** HPSv3's {@code min_pixels = max_pixels = 256 · 28 · 28} for {@code fetch_image}. */
    public static final int HPSV3_PIXELS = 256 * 28 * 28;

    private final Qwen2VlImageConfig config;
    private final AlphaConvention alpha;
    private final long fetchMin, fetchMax; // -1: no fetch_image step
    private final boolean torchvision;     // the torchvision-backed processor: AA bicubic on uint8, fused normalise
    private final float[][] lut; // [3][256]: each byte's rescaled, normalised value per channel

    private Qwen2VlImageProcessor(Qwen2VlImageConfig config, AlphaConvention alpha, long fetchMin, long fetchMax, boolean torchvision) {
        this.config = Objects.requireNonNull(config);
        this.alpha = Objects.requireNonNull(alpha);
        this.fetchMin = fetchMin;
        this.fetchMax = fetchMax;
        this.torchvision = torchvision;
        this.lut = new float[3][256];
        boolean fused = torchvision && !Double.isNaN(config.rescaleFactor()) && config.normalization() != null;
        float[] mean = fused ? config.normalization().mean() : null, std = fused ? config.normalization().std() : null;
        float inverse = fused ? (float) (1.0 / config.rescaleFactor()) : 1f;
        for (int c = 0; c < 3; c++) {
            for (int b = 0; b < 256; b++) {
                if (fused) {
                    lut[c][b] = ((float) b - mean[c] * inverse) / (std[c] * inverse);
                    continue;
                }
                float x = Double.isNaN(config.rescaleFactor()) ? b : (float) (b * config.rescaleFactor());
                lut[c][b] = config.normalization() == null ? x : config.normalization().apply(c, x);
            }
        }
    }

    /** The processor a {@code preprocessor_config.json} (or a model folder holding one) describes; no fetch step. */
    public static Qwen2VlImageProcessor fromPreprocessorConfig(Path fileOrFolder) {
        return of(Qwen2VlImageConfig.read(fileOrFolder));
    }

    /** The processor for a parsed config, alpha dropped, no fetch step. */
    public static Qwen2VlImageProcessor of(Qwen2VlImageConfig config) {
        return new Qwen2VlImageProcessor(config, AlphaConvention.DROP, -1, -1, false);
    }

    /**
     * HPSv3's path: {@code fetch_image} with {@link #HPSV3_PIXELS} for both bounds, then Qwen2-VL-7B-Instruct's
     * processor ({@link Qwen2VlImageConfig#qwen2Vl7bInstruct()}), whose own smart_resize is then the identity.
     */
    public static Qwen2VlImageProcessor hpsv3() {
        return of(Qwen2VlImageConfig.qwen2Vl7bInstruct()).withFetchImage(HPSV3_PIXELS, HPSV3_PIXELS);
    }

    /** This processor with a {@code fetch_image} step (factor {@link #FETCH_FACTOR}) and those pixel bounds first. */
    public Qwen2VlImageProcessor withFetchImage(long minPixels, long maxPixels) {
        if (minPixels < 0 || maxPixels <= 0 || minPixels > maxPixels)
            throw new IllegalArgumentException("fetch_image needs 0 <= min_pixels <= max_pixels, got " + minPixels + " and " + maxPixels);
        return new Qwen2VlImageProcessor(config, alpha, minPixels, maxPixels, torchvision);
    }

    /** This processor with another RGB conversion. */
    public Qwen2VlImageProcessor withAlphaConvention(AlphaConvention convention) {
        return new Qwen2VlImageProcessor(config, convention, fetchMin, fetchMax, torchvision);
    }

    /**
     * This processor as transformers 5.18's torchvision-backed {@code Qwen2VLImageProcessor} runs it (the default
     * {@code AutoImageProcessor} for Qwen3-VL and Qwen3.5): antialiased bicubic on uint8, fused rescale + normalise.
     */
    public Qwen2VlImageProcessor withTorchvisionBackend() {
        return new Qwen2VlImageProcessor(config, alpha, fetchMin, fetchMax, true);
    }

    /** True for the torchvision-backed variant ({@link #withTorchvisionBackend}). */
    public boolean torchvisionBackend() { return torchvision; }

    public Qwen2VlImageConfig config() { return config; }

    public AlphaConvention alphaConvention() { return alpha; }

    /** True when {@link #fetchImage} runs before the processor. */
    public boolean hasFetchImage() { return fetchMin >= 0; }

    /**
     * The RGB image {@code fetch_image} hands the processor: converted, smart-resized with factor 28 and this
     * processor's fetch bounds, Pillow BICUBIC. Only for a processor made with {@link #withFetchImage} or {@link #hpsv3}.
     */
    public DecodedImage fetchImage(DecodedImage image) {
        if (!hasFetchImage()) throw new IllegalStateException("this Qwen2-VL processor has no fetch_image step; use withFetchImage");
        DecodedImage rgb = alpha.toRgb(image);
        SmartResize.Size s = named(image, () -> SmartResize.qwenVlUtils(rgb.height(), rgb.width(), FETCH_FACTOR, fetchMin, fetchMax));
        return resize(rgb, s);
    }

    /** {@code pixel_values} and {@code image_grid_thw} of one image. */
    public VisionPatches process(DecodedImage image) {
        DecodedImage rgb = hasFetchImage() ? fetchImage(image) : alpha.toRgb(image);
        int factor = config.factor();
        if (config.doResize()) {
            DecodedImage in = rgb;
            SmartResize.Size size = named(image, () -> SmartResize.transformers(in.height(), in.width(), factor,
                    config.minPixels(), config.maxPixels()));
            rgb = torchvision ? resizeTorchvision(in, size) : resize(in, size);
        } else if (rgb.height() % factor != 0 || rgb.width() % factor != 0) {
            throw new IllegalArgumentException(image.name() + ": " + rgb.width() + "x" + rgb.height() + " is not a multiple"
                    + " of " + factor + " (patch_size · merge_size) and do_resize is false; resize it or enable do_resize");
        }
        return patchify(rgb.pixelBytes(), rgb.width(), rgb.height());
    }

    /** The resized image the processor patchifies (after the optional fetch step and its own smart_resize). */
    public DecodedImage resized(DecodedImage image) {
        DecodedImage rgb = hasFetchImage() ? fetchImage(image) : alpha.toRgb(image);
        if (!config.doResize()) return rgb;
        DecodedImage in = rgb;
        SmartResize.Size size = named(image, () -> SmartResize.transformers(in.height(), in.width(), config.factor(),
                config.minPixels(), config.maxPixels()));
        return torchvision ? resizeTorchvision(in, size) : resize(in, size);
    }

    private static DecodedImage resizeTorchvision(DecodedImage rgb, SmartResize.Size s) {
        // torchvision resizes even to the same size: its AA kernel is the identity then (one tap of weight 1)
        if (s.width() == rgb.width() && s.height() == rgb.height()) return rgb;
        return TorchvisionAntialiasResize.resize(rgb, s.width(), s.height());
    }

    private static DecodedImage resize(DecodedImage rgb, SmartResize.Size s) {
        if (s.width() == rgb.width() && s.height() == rgb.height()) return rgb;
        return PilResampler.resize(rgb, s.width(), s.height());
    }

    private static SmartResize.Size named(DecodedImage image, java.util.function.Supplier<SmartResize.Size> f) {
        try {
            return f.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(image.name() + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@code patchify}: {@code [H, W, 3]} bytes to {@code [gh·gw, 3·T·ps·ps]}. Upstream reshapes the CHW image to
     * (C, gh/m, m, ps, gw/m, m, ps), transposes to (gh/m, gw/m, m, m, C, ps, ps) and broadcasts T before the ps axes.
     */
    private VisionPatches patchify(byte[] rgb, int w, int h) {
        int ps = config.patchSize(), m = config.mergeSize(), t = config.temporalPatchSize();
        int gh = h / ps, gw = w / ps;
        int block = ps * ps, dim = config.patchDim();
        float[] out = new float[Math.multiplyExact(gh * gw, dim)]; // [gh·gw, 3·T·ps·ps]
        float[] l0 = lut[0], l1 = lut[1], l2 = lut[2];
        int row = 0;
        for (int wy = 0; wy < gh / m; wy++) {
            for (int wx = 0; wx < gw / m; wx++) {
                for (int my = 0; my < m; my++) {
                    for (int mx = 0; mx < m; mx++, row++) {
                        int y0 = (wy * m + my) * ps, x0 = (wx * m + mx) * ps;
                        int r = row * dim, g = r + t * block, b = g + t * block; // channel c starts at c·T·ps²
                        for (int y = 0; y < ps; y++) {
                            int src = ((y0 + y) * w + x0) * 3, dst = y * ps;
                            for (int x = 0; x < ps; x++, src += 3, dst++) {
                                out[r + dst] = l0[rgb[src] & 0xFF];
                                out[g + dst] = l1[rgb[src + 1] & 0xFF];
                                out[b + dst] = l2[rgb[src + 2] & 0xFF];
                            }
                        }
                        for (int c = 0; c < 3; c++)
                            for (int k = 1; k < t; k++) System.arraycopy(out, r + c * t * block, out, r + (c * t + k) * block, block);
                    }
                }
            }
        }
        return new VisionPatches(out, gh * gw, dim, 1, gh, gw);
    }
}

package dev.palate.preprocess;

import org.bytedeco.pytorch.InterpolateFuncOptions;
import org.bytedeco.pytorch.LongVector;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.kBicubic;

import dev.palate.engine.NativeScope;
import dev.palate.engine.Tensors;

/**
 * HPSv2's scorer preprocessing, P3 of models.md §2.5 ({@code image_transform(S, is_train=False,
 * resize_longest_max=True)}): {@code convert("RGB")}, {@code ToTensor} (float32 [0, 1]), {@code ResizeMaxSize}
 * (longest side to S, each side {@code round(side * S / longest)} with Python's round, torch bicubic on the float
 * tensor, a = −0.75, align_corners false, no clamping), zero pad to S×S (left = pad_w // 2, top = pad_h // 2),
 * normalise (the padding becomes −mean/std).
 *
 * <p>Antialias is off by default: torchvision before 0.17 did not antialias tensors, and HPSv2 pins no version.
 * Without antialias the resize is {@link TorchBicubic} (torch 1.13's arithmetic, in Java); with it, libtorch's
 * {@code _upsample_bicubic2d_aa}.
 * Departures from HPSv2, which fails on these inputs: RGBA is converted to RGB, and an image whose longest side
 * already is S is padded to a square too.
 */
public final class ResizeMaxPadTransform implements ImageTransform {
    private final int size;
    private final boolean antialias;
    private final Normalization normalization;

    public ResizeMaxPadTransform(int size, boolean antialias, Normalization normalization) {
        if (size <= 0) throw new IllegalArgumentException("size must be positive: " + size);
        this.size = size;
        this.antialias = antialias;
        this.normalization = normalization;
    }

    @Override
    public int size() { return size; }

    public boolean antialias() { return antialias; }

    /** The resized {@code {width, height}} before padding. */
    public int[] resizedSize(int w, int h) {
        double scale = size / (double) Math.max(w, h);
        if (scale == 1.0) return new int[] {w, h};
        return new int[] {(int) Math.rint(w * scale), (int) Math.rint(h * scale)};
    }

    @Override
    public float[] apply(DecodedImage image) {
        int w = image.width(), h = image.height();
        byte[] rgb = image.rgbBytes(); // [H, W, 3]
        float[] chw = new float[3 * w * h]; // [3, H, W] in [0, 1]
        int plane = w * h;
        for (int i = 0; i < plane; i++)
            for (int c = 0; c < 3; c++) chw[c * plane + i] = (rgb[3 * i + c] & 0xFF) / 255f;
        int[] wh = resizedSize(w, h);
        int nw = wh[0], nh = wh[1];
        float[] resized;
        if (nw == w && nh == h) resized = chw;
        else if (antialias) resized = bicubicAntialiased(chw, w, h, nw, nh);
        else resized = TorchBicubic.resize(chw, 3, w, h, nw, nh);
        int left = (size - nw) / 2, top = (size - nh) / 2;
        float[] out = new float[3 * size * size]; // [3, S, S]
        for (int c = 0; c < 3; c++) {
            float pad = normalization == null ? 0f : normalization.apply(c, 0f);
            int base = c * size * size;
            java.util.Arrays.fill(out, base, base + size * size, pad);
            for (int y = 0; y < nh; y++) {
                for (int x = 0; x < nw; x++) {
                    float v = resized[c * nw * nh + y * nw + x];
                    out[base + (y + top) * size + x + left] = normalization == null ? v : normalization.apply(c, v);
                }
            }
        }
        return out;
    }

    /** libtorch {@code interpolate(x, (nh, nw), mode="bicubic", align_corners=False, antialias=True)} on [1, 3, H, W]. */
    private static float[] bicubicAntialiased(float[] chw, int w, int h, int nw, int nh) {
        try (NativeScope scope = NativeScope.open()) {
            Tensor x = Tensors.fromFloats(chw, 1, 3, h, w);
            InterpolateFuncOptions options = new InterpolateFuncOptions();
            options.size().put(new LongVector(nh, nw));
            options.mode().put(new kBicubic());
            options.align_corners().put(false);
            options.antialias().put(true);
            return Tensors.toFloats(torch.interpolate(x, options)); // [1, 3, nh, nw]
        }
    }
}

package dev.palate.models.fid;

import dev.palate.preprocess.PilResampler;

/**
 * clean-fid's "clean" resize: each channel of the 8-bit image as a Pillow float32 ('F' mode) plane through Pillow's
 * BICUBIC ({@link PilResampler#bicubicFloat}: no uint8 rounding, unlike the 8-bit path), then clipped to [0, 255].
 */
final class PilFloatBicubic {
    private PilFloatBicubic() {}

    /** Channels of an 8-bit RGB image resized to outW×outH and clipped to [0, 255]: CHW float32 [3, outH, outW]. */
    static float[] resizeRgb(RgbImage im, int outW, int outH) {
        int w = im.width(), h = im.height();
        float[] out = new float[3 * outW * outH];
        float[] plane = new float[w * h];
        for (int c = 0; c < 3; c++) {
            byte[] px = im.rgb();
            for (int p = 0; p < w * h; p++) plane[p] = px[3 * p + c] & 0xFF;
            float[] r = PilResampler.bicubicFloat(plane, w, h, outW, outH);
            for (int p = 0; p < r.length; p++) out[c * outW * outH + p] = Math.min(255f, Math.max(0f, r[p])); // np.clip(0, 255)
        }
        return out;
    }
}

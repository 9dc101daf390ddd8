package dev.palate.preprocess.qwen2vl;

import dev.palate.preprocess.DecodedImage;
import dev.palate.preprocess.PilMode;

/**
 * How an image with alpha becomes RGB before the Qwen2-VL processor resizes it. The two conventions differ only on
 * RGBA and LA images; every other mode converts as {@code convert("RGB")} in both.
 */
public enum AlphaConvention {
    /**
     * {@code image.convert("RGB")}: alpha dropped, colour kept even where fully transparent. transformers 5.18's
     * {@code image_transforms.convert_to_rgb} and HPSv3's {@code fetch_image} do this.
     */
    DROP,
    /**
     * Composited on white, as transformers 4.46's {@code convert_to_rgb} did ({@code convert("RGBA")}, paste onto a
     * white RGBA image with itself as mask, {@code convert("RGB")}) and as later qwen-vl-utils' {@code to_rgb} does:
     * per band {@code DIV255(255·(255 − a) + c·a)} (Pillow {@code Paste.c BLEND}). A palette image's transparency is
     * not kept by the decoder, so P images convert as {@link #DROP}.
     */
    COMPOSITE_ON_WHITE;

    /** The image in mode RGB by this convention (the image itself when it is RGB already). */
    public DecodedImage toRgb(DecodedImage image) {
        if (this == DROP || (image.mode() != PilMode.RGBA && image.mode() != PilMode.LA)) return image.toRgb();
        byte[] in = image.pixelBytes(); // [H, W, 4] or [H, W, 2]
        int bands = image.mode().bands(), n = image.width() * image.height();
        byte[] out = new byte[3 * n]; // [H, W, 3]
        for (int i = 0; i < n; i++) {
            int a = in[i * bands + bands - 1] & 0xFF;
            for (int c = 0; c < 3; c++) {
                int v = in[i * bands + (bands == 4 ? c : 0)] & 0xFF;
                out[3 * i + c] = (byte) div255(255 * (255 - a) + v * a);
            }
        }
        return DecodedImage.ofRgb(image.name(), image.width(), image.height(), out);
    }

    /** Pillow's {@code DIV255}: {@code v / 255} rounded, in integers. */
    private static int div255(int v) {
        int tmp = v + 128;
        return ((tmp >> 8) + tmp) >> 8;
    }
}

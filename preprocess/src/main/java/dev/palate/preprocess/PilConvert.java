package dev.palate.preprocess;

/**
 * Pillow's mode conversions that preprocessing needs, integer for integer (Pillow {@code libImaging/Convert.c}):
 * {@code convert("RGB")} from every {@link PilMode}, and the premultiply round trip {@code Image.resize} wraps
 * around RGBA and LA images.
 */
final class PilConvert {
    private PilConvert() {}

    /** {@code convert("RGB")}: {@code [H, W, 3]} bytes. Alpha is dropped, not composited. */
    static byte[] toRgb(DecodedImage im) {
        int n = im.width() * im.height();
        byte[] out = new byte[n * 3];
        switch (im.mode()) {
            case RGB, P -> System.arraycopy(im.bytes(), 0, out, 0, out.length);
            case L, BILEVEL -> expandGray(im.bytes(), 1, out, n);
            case LA -> expandGray(im.bytes(), 2, out, n);
            case RGBA -> {
                byte[] in = im.bytes();
                for (int i = 0; i < n; i++) {
                    out[3 * i] = in[4 * i];
                    out[3 * i + 1] = in[4 * i + 1];
                    out[3 * i + 2] = in[4 * i + 2];
                }
            }
            case CMYK -> cmykToRgb(im.bytes(), out, n);
            case I -> {
                int[] in = im.ints();
                for (int i = 0; i < n; i++) {
                    byte v = (byte) Math.max(0, Math.min(255, in[i])); // i2rgb clips, it does not scale
                    out[3 * i] = v;
                    out[3 * i + 1] = v;
                    out[3 * i + 2] = v;
                }
            }
        }
        return out;
    }

    private static void expandGray(byte[] in, int stride, byte[] out, int n) {
        for (int i = 0; i < n; i++) {
            byte v = in[i * stride];
            out[3 * i] = v;
            out[3 * i + 1] = v;
            out[3 * i + 2] = v;
        }
    }

    /** Convert.c {@code cmyk2rgb}: {@code R = 255 - K - MULDIV255(C, 255 - K)}, clipped. */
    private static void cmykToRgb(byte[] in, byte[] out, int n) {
        for (int i = 0; i < n; i++) {
            int nk = 255 - (in[4 * i + 3] & 0xFF);
            for (int c = 0; c < 3; c++) out[3 * i + c] = (byte) clip8(nk - mulDiv255(in[4 * i + c] & 0xFF, nk));
        }
    }

    /** Pillow's {@code MULDIV255}: a·b/255 rounded, in integers. */
    static int mulDiv255(int a, int b) {
        int tmp = a * b + 128;
        return ((tmp >> 8) + tmp) >> 8;
    }

    static int clip8(int v) { return v < 0 ? 0 : Math.min(v, 255); }

    /** RGBA to RGBa or LA to La in place-free form ({@code rgbA2rgba}, {@code lA2la}): colour times alpha. */
    static byte[] premultiply(byte[] in, int bands) {
        byte[] out = new byte[in.length];
        for (int p = 0; p < in.length; p += bands) {
            int alpha = in[p + bands - 1] & 0xFF;
            for (int c = 0; c < bands - 1; c++) out[p + c] = (byte) mulDiv255(in[p + c] & 0xFF, alpha);
            out[p + bands - 1] = (byte) alpha;
        }
        return out;
    }

    /** RGBa to RGBA ({@code rgba2rgbA}, {@code la2lA}): integer division by alpha, kept as is for alpha 0 or 255. */
    static byte[] unpremultiply(byte[] in, int bands) {
        byte[] out = new byte[in.length];
        for (int p = 0; p < in.length; p += bands) {
            int alpha = in[p + bands - 1] & 0xFF;
            for (int c = 0; c < bands - 1; c++) {
                int v = in[p + c] & 0xFF;
                out[p + c] = (byte) (alpha == 255 || alpha == 0 ? v : clip8(255 * v / alpha));
            }
            out[p + bands - 1] = (byte) alpha;
        }
        return out;
    }
}

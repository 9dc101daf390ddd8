package dev.palate.preprocess;

import java.nio.charset.StandardCharsets;

/**
 * What a file declares about its image before any pixel is decoded: the format and the dimensions, read from the
 * header alone (PNG IHDR, JPEG SOF, WebP VP8/VP8L/VP8X, GIF logical screen, BMP info header, TIFF first IFD).
 *
 * @param format PNG, JPEG, WebP, GIF, BMP, TIFF, or "image" when the header is not one of these
 * @param width  declared width, or -1 when unknown
 * @param height declared height, or -1 when unknown
 */
public record ImageHeader(String format, int width, int height) {
    static final ImageHeader UNKNOWN = new ImageHeader("image", -1, -1);

    /** Whether the dimensions were read. */
    public boolean known() { return width >= 0 && height >= 0; }

    public long pixels() { return known() ? (long) width * height : -1; }

    /**
     * Reads the header of encoded bytes; cheap (no decompression). Malformed headers are left for decoding to
     * report: this returns {@code UNKNOWN}-sized headers rather than throwing.
     */
    public static ImageHeader probe(byte[] d) {
        try {
            if (PngStructure.isPng(d)) {
                if (d.length < 24) return new ImageHeader("PNG", -1, -1);
                return new ImageHeader("PNG", be32(d, 16), be32(d, 20));
            }
            if (JpegStructure.isJpeg(d)) return JpegStructure.frameSize(d);
            if (d.length >= 30 && ascii(d, 0, 4).equals("RIFF") && ascii(d, 8, 4).equals("WEBP")) return webp(d);
            if (d.length >= 10 && ascii(d, 0, 4).equals("GIF8")) return new ImageHeader("GIF", le16(d, 6), le16(d, 8));
            if (d.length >= 26 && d[0] == 'B' && d[1] == 'M') {
                int w = le32(d, 18), h = le32(d, 22);
                return new ImageHeader("BMP", Math.abs(w), Math.abs(h));
            }
            if (d.length >= 8 && ((d[0] == 'I' && d[1] == 'I' && d[2] == 42 && d[3] == 0) || (d[0] == 'M' && d[1] == 'M' && d[2] == 0 && d[3] == 42)))
                return tiff(d, d[0] == 'I');
        } catch (RuntimeException e) {
            // a header cut short: decoding reports it
        }
        return UNKNOWN;
    }

    /** libwebp's container: VP8 (lossy key frame), VP8L (lossless), VP8X (extended: canvas size). */
    private static ImageHeader webp(byte[] d) {
        String chunk = ascii(d, 12, 4);
        switch (chunk) {
            case "VP8 ":
                // frame tag (3 bytes), start code 9d 01 2a, then 14-bit width and height (2 scale bits each)
                return new ImageHeader("WebP", le16(d, 26) & 0x3FFF, le16(d, 28) & 0x3FFF);
            case "VP8L": {
                // signature 0x2f, then 14 bits width-1, 14 bits height-1
                int bits = le32(d, 21);
                return new ImageHeader("WebP", (bits & 0x3FFF) + 1, ((bits >>> 14) & 0x3FFF) + 1);
            }
            case "VP8X":
                return new ImageHeader("WebP", le24(d, 24) + 1, le24(d, 27) + 1);
            default:
                return new ImageHeader("WebP", -1, -1);
        }
    }

    /** The first IFD's ImageWidth (256) and ImageLength (257) tags, SHORT or LONG. */
    private static ImageHeader tiff(byte[] d, boolean little) {
        long ifd = u32(d, 4, little);
        int n = u16(d, (int) ifd, little);
        int w = -1, h = -1;
        for (int i = 0; i < n; i++) {
            int e = (int) ifd + 2 + 12 * i;
            int tag = u16(d, e, little), type = u16(d, e + 2, little);
            long v = type == 3 ? u16(d, e + 8, little) : u32(d, e + 8, little);
            if (tag == 256) w = (int) Math.min(Integer.MAX_VALUE, v);
            if (tag == 257) h = (int) Math.min(Integer.MAX_VALUE, v);
        }
        return new ImageHeader("TIFF", w, h);
    }

    private static String ascii(byte[] d, int at, int n) { return new String(d, at, n, StandardCharsets.ISO_8859_1); }

    private static int be32(byte[] d, int p) {
        long v = ((d[p] & 0xFFL) << 24) | ((d[p + 1] & 0xFF) << 16) | ((d[p + 2] & 0xFF) << 8) | (d[p + 3] & 0xFF);
        return (int) Math.min(Integer.MAX_VALUE, v);
    }

    private static int le16(byte[] d, int p) { return (d[p] & 0xFF) | ((d[p + 1] & 0xFF) << 8); }

    private static int le24(byte[] d, int p) { return le16(d, p) | ((d[p + 2] & 0xFF) << 16); }

    private static int le32(byte[] d, int p) { return le24(d, p) | ((d[p + 3] & 0xFF) << 24); }

    private static int u16(byte[] d, int p, boolean little) {
        return little ? le16(d, p) : ((d[p] & 0xFF) << 8) | (d[p + 1] & 0xFF);
    }

    private static long u32(byte[] d, int p, boolean little) {
        return little ? le32(d, p) & 0xFFFFFFFFL : ((d[p] & 0xFFL) << 24) | ((d[p + 1] & 0xFF) << 16) | ((d[p + 2] & 0xFF) << 8) | (d[p + 3] & 0xFF);
    }
}

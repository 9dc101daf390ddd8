package dev.palate.preprocess;

import java.util.zip.CRC32;

/**
 * Walks a PNG's chunks before decoding: checks every chunk's length and CRC (Pillow refuses a bad CRC) and that
 * the file reaches IEND, so a truncated file is an error instead of OpenCV's silently partial image; and reads
 * IHDR, whose colour type and bit depth decide the Pillow mode.
 */
record PngStructure(int width, int height, int bitDepth, int colorType) {
    static final int GRAY = 0, RGB = 2, PALETTE = 3, GRAY_ALPHA = 4, RGBA = 6;

    static boolean isPng(byte[] d) {
        return d.length >= 8 && (d[0] & 0xFF) == 0x89 && d[1] == 'P' && d[2] == 'N' && d[3] == 'G'
                && d[4] == 0x0D && d[5] == 0x0A && d[6] == 0x1A && d[7] == 0x0A;
    }

    static PngStructure check(byte[] d, String name) {
        int pos = 8;
        PngStructure header = null;
        boolean sawData = false;
        CRC32 crc = new CRC32();
        while (true) {
            if (pos + 8 > d.length)
                throw new ImageDecodeException(name + ": truncated PNG (file ends at byte " + d.length
                        + " before the IEND chunk); re-export or re-download the file");
            long length = readInt(d, pos) & 0xFFFFFFFFL;
            String type = new String(d, pos + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (pos + 12 + length > d.length)
                throw new ImageDecodeException(name + ": truncated PNG (chunk " + type + " at byte " + pos + " needs "
                        + length + " bytes, the file has " + (d.length - pos - 12) + " left); re-export or re-download the file");
            int len = (int) length;
            crc.reset();
            crc.update(d, pos + 4, 4 + len);
            if ((int) crc.getValue() != readInt(d, pos + 8 + len))
                throw new ImageDecodeException(name + ": corrupt PNG (bad CRC in chunk " + type + " at byte " + pos + ")");
            if (header == null) {
                if (!type.equals("IHDR") || len < 13) throw new ImageDecodeException(name + ": corrupt PNG (no IHDR chunk first)");
                header = new PngStructure(readInt(d, pos + 8), readInt(d, pos + 12), d[pos + 16] & 0xFF, d[pos + 17] & 0xFF);
            }
            if (type.equals("IDAT")) sawData = true;
            if (type.equals("IEND")) break;
            pos += 12 + len;
        }
        if (!sawData) throw new ImageDecodeException(name + ": corrupt PNG (no IDAT image data)");
        return header;
    }

    /** Pillow 9.4 {@code PngImagePlugin._MODES}: the mode this PNG opens in. */
    PilMode pilMode() {
        return switch (colorType) {
            case GRAY -> bitDepth == 1 ? PilMode.BILEVEL : bitDepth == 16 ? PilMode.I : PilMode.L;
            case PALETTE -> PilMode.P;
            case GRAY_ALPHA -> PilMode.LA;
            case RGBA -> PilMode.RGBA;
            default -> PilMode.RGB;
        };
    }

    private static int readInt(byte[] d, int p) {
        return ((d[p] & 0xFF) << 24) | ((d[p + 1] & 0xFF) << 16) | ((d[p + 2] & 0xFF) << 8) | (d[p + 3] & 0xFF);
    }
}

package dev.palate.preprocess;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Walks a PNG's chunks before decoding: checks every chunk's length and CRC (Pillow refuses a bad CRC) and that
 * the file reaches IEND, so a truncated file is an error instead of OpenCV's silently partial image; reads IHDR,
 * whose colour type and bit depth decide the Pillow mode; and checks the image data itself ({@link PngImageData}),
 * so that libpng, which prints its complaints on the process's stderr, is only ever handed a sound file.
 *
 * @param critical the file with only the chunks decoding needs (IHDR, PLTE, tRNS, IDAT, IEND): libpng warns on
 *                 stderr about odd ancillary chunks (iCCP, sRGB, ...) that neither it nor Pillow's
 *                 {@code convert} uses for the pixels
 */
record PngStructure(int width, int height, int bitDepth, int colorType, int interlace, byte[] critical) {
    static final int GRAY = 0, RGB = 2, PALETTE = 3, GRAY_ALPHA = 4, RGBA = 6;
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};

    static boolean isPng(byte[] d) {
        if (d.length < 8) return false;
        for (int i = 0; i < 8; i++) if (d[i] != SIGNATURE[i]) return false;
        return true;
    }

    static PngStructure check(byte[] d, String name) {
        int pos = 8;
        int[] ihdr = null;
        List<int[]> idat = new ArrayList<>();      // {offset, length} of each IDAT's data
        List<int[]> keep = new ArrayList<>();      // {offset, length} of each whole chunk to keep
        CRC32 crc = new CRC32();
        while (true) {
            if (pos + 8 > d.length)
                throw new ImageDecodeException(name + ": truncated PNG (file ends at byte " + d.length
                        + " before the IEND chunk); re-export or re-download the file");
            long length = readInt(d, pos) & 0xFFFFFFFFL;
            String type = new String(d, pos + 4, 4, StandardCharsets.ISO_8859_1);
            if (pos + 12 + length > d.length)
                throw new ImageDecodeException(name + ": truncated PNG (chunk " + type + " at byte " + pos + " needs "
                        + length + " bytes, the file has " + (d.length - pos - 12) + " left); re-export or re-download the file");
            int len = (int) length;
            crc.reset();
            crc.update(d, pos + 4, 4 + len);
            if ((int) crc.getValue() != readInt(d, pos + 8 + len))
                throw new ImageDecodeException(name + ": corrupt PNG (bad CRC in chunk " + type + " at byte " + pos + ")");
            if (ihdr == null) {
                if (!type.equals("IHDR") || len < 13) throw new ImageDecodeException(name + ": corrupt PNG (no IHDR chunk first)");
                ihdr = new int[] {readInt(d, pos + 8), readInt(d, pos + 12), d[pos + 16] & 0xFF, d[pos + 17] & 0xFF, d[pos + 20] & 0xFF};
            }
            switch (type) {
                case "IDAT" -> {
                    idat.add(new int[] {pos + 8, len});
                    keep.add(new int[] {pos, 12 + len});
                }
                case "IHDR", "PLTE", "tRNS", "IEND" -> keep.add(new int[] {pos, 12 + len});
                default -> { }
            }
            if (type.equals("IEND")) break;
            pos += 12 + len;
        }
        if (idat.isEmpty())
            throw new ImageDecodeException(name + ": PNG without image data (the header declares " + ihdr[0] + "x" + ihdr[1]
                    + " but there is no IDAT chunk); the file was written incompletely: re-export it");
        PngImageData.Check data = PngImageData.check(d, idat, ihdr[0], ihdr[1], ihdr[2], ihdr[3], ihdr[4], name);
        return new PngStructure(ihdr[0], ihdr[1], ihdr[2], ihdr[3], ihdr[4], critical(d, keep, data));
    }

    /** The signature and the kept chunks; the image data re-encoded when the stream holds more than the image. */
    private static byte[] critical(byte[] d, List<int[]> keep, PngImageData.Check data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(d.length);
        out.write(SIGNATURE, 0, 8);
        boolean idatWritten = false;
        for (int[] c : keep) {
            String type = new String(d, c[0] + 4, 4, StandardCharsets.ISO_8859_1);
            if (type.equals("IDAT") && data.exact() != null) {
                if (!idatWritten) out.writeBytes(chunk("IDAT", data.exact()));
                idatWritten = true;
                continue;
            }
            out.write(d, c[0], c[1]);
        }
        return out.toByteArray();
    }

    private static byte[] chunk(String type, byte[] data) {
        byte[] out = new byte[12 + data.length];
        writeInt(out, 0, data.length);
        byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(t, 0, out, 4, 4);
        System.arraycopy(data, 0, out, 8, data.length);
        CRC32 crc = new CRC32();
        crc.update(out, 4, 4 + data.length);
        writeInt(out, 8 + data.length, (int) crc.getValue());
        return out;
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

    static int readInt(byte[] d, int p) {
        return ((d[p] & 0xFF) << 24) | ((d[p + 1] & 0xFF) << 16) | ((d[p + 2] & 0xFF) << 8) | (d[p + 3] & 0xFF);
    }

    private static void writeInt(byte[] d, int p, int v) {
        d[p] = (byte) (v >>> 24);
        d[p + 1] = (byte) (v >>> 16);
        d[p + 2] = (byte) (v >>> 8);
        d[p + 3] = (byte) v;
    }
}

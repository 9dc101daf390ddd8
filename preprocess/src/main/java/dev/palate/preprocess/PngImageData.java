package dev.palate.preprocess;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Checks a PNG's image data before libpng sees it: the IDAT stream must inflate (zlib) to exactly the filtered rows
 * IHDR declares (PNG spec §7: each row is a filter-type byte 0..4 and its bytes; Adam7 interlacing, §8, gives seven
 * passes of smaller rows), so missing data, a corrupt stream and bad filter bytes become errors that say so, where
 * libpng would print "Not enough image data" on stderr and OpenCV return nothing. Streams the data through a small
 * buffer: nothing of the image is kept.
 */
final class PngImageData {
    private static final int[][] ADAM7 = {{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}};

    private PngImageData() {}

    /** @param exact null when the stream is exactly the image; else the image's bytes re-compressed (the stream held more) */
    record Check(byte[] exact) {}

    static Check check(byte[] d, List<int[]> idat, int width, int height, int depth, int colorType, int interlace, String name) {
        int channels = switch (colorType) {
            case PngStructure.GRAY -> 1;
            case PngStructure.RGB -> 3;
            case PngStructure.PALETTE -> 1;
            case PngStructure.GRAY_ALPHA -> 2;
            case PngStructure.RGBA -> 4;
            default -> throw new ImageDecodeException(name + ": corrupt PNG (colour type " + colorType + " in IHDR; 0, 2, 3, 4 or 6 allowed)");
        };
        if (depth != 1 && depth != 2 && depth != 4 && depth != 8 && depth != 16)
            throw new ImageDecodeException(name + ": corrupt PNG (bit depth " + depth + " in IHDR)");
        if (width <= 0 || height <= 0)
            throw new ImageDecodeException(name + ": corrupt PNG (IHDR declares " + Integer.toUnsignedString(width) + "x"
                    + Integer.toUnsignedString(height) + ")");
        if (interlace > 1) throw new ImageDecodeException(name + ": corrupt PNG (interlace method " + interlace + " in IHDR)");
        long[] rows = rowLengths(width, height, (long) channels * depth, interlace == 1); // bytes per row, filter byte included
        long expected = 0;
        for (long r : rows) expected += r;

        Inflater inflater = new Inflater();
        byte[] buf = new byte[1 << 16];
        long produced = 0;
        int row = 0;
        long nextRowStart = 0; // stream offset of the current row's filter byte
        int chunk = 0;
        try {
            while (!inflater.finished()) {
                if (inflater.needsInput()) {
                    if (chunk == idat.size()) break;
                    int[] c = idat.get(chunk++);
                    inflater.setInput(d, c[0], c[1]);
                    continue;
                }
                if (inflater.needsDictionary()) throw new ImageDecodeException(name + ": corrupt PNG (the image data asks for a zlib dictionary)");
                int n = inflater.inflate(buf);
                for (int i = 0; i < n && row < rows.length; ) {
                    long at = produced + i;
                    if (at == nextRowStart) {
                        int filter = buf[i] & 0xFF;
                        if (filter > 4)
                            throw new ImageDecodeException(name + ": corrupt PNG (row " + row + " of the image data has filter type "
                                    + filter + "; 0 to 4 allowed); re-export the file");
                        nextRowStart += rows[row++];
                    }
                    long skip = Math.min(n - i, Math.max(1, nextRowStart - at));
                    i += (int) skip;
                }
                produced += n;
                if (produced > expected + (1 << 20)) break; // far more than the image: enough to know
            }
            if (produced < expected)
                throw new ImageDecodeException(name + ": truncated PNG image data (the header declares " + width + "x" + height
                        + ", the data holds " + produced + " of its " + expected + " bytes"
                        + (inflater.finished() ? "" : ", the compressed stream is cut off") + "); the file was written"
                        + " incompletely: re-export or re-download it");
        } catch (DataFormatException e) {
            throw new ImageDecodeException(name + ": corrupt PNG (the compressed image data is invalid: " + e.getMessage()
                    + ", after " + produced + " of " + expected + " bytes); re-export or re-download the file");
        } finally {
            inflater.end();
        }
        return new Check(produced > expected ? recompressed(d, idat, expected) : null);
    }

    /** Bytes per stored row (filter byte included), pass by pass for Adam7. */
    private static long[] rowLengths(int width, int height, long bitsPerPixel, boolean adam7) {
        if (!adam7) {
            long[] out = new long[height];
            java.util.Arrays.fill(out, 1 + (width * bitsPerPixel + 7) / 8);
            return out;
        }
        java.util.List<Long> out = new java.util.ArrayList<>();
        for (int[] p : ADAM7) {
            long w = width > p[0] ? (width - p[0] + p[2] - 1) / p[2] : 0;
            long h = height > p[1] ? (height - p[1] + p[3] - 1) / p[3] : 0;
            if (w == 0 || h == 0) continue;
            for (long y = 0; y < h; y++) out.add(1 + (w * bitsPerPixel + 7) / 8);
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    /** The first {@code expected} bytes of the image data, compressed again (rare: streams with trailing data). */
    private static byte[] recompressed(byte[] d, List<int[]> idat, long expected) {
        if (expected > Integer.MAX_VALUE - 16) throw new ImageDecodeException("image data too large to re-encode");
        Inflater inflater = new Inflater();
        byte[] raw = new byte[(int) expected];
        int got = 0, chunk = 0;
        try {
            while (got < raw.length && !inflater.finished()) {
                if (inflater.needsInput()) {
                    int[] c = idat.get(chunk++);
                    inflater.setInput(d, c[0], c[1]);
                }
                got += inflater.inflate(raw, got, raw.length - got);
            }
        } catch (DataFormatException e) {
            throw new IllegalStateException(e); // inflated fine a moment ago
        } finally {
            inflater.end();
        }
        Deflater deflater = new Deflater(1);
        deflater.setInput(raw);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        while (!deflater.finished()) out.write(buf, 0, deflater.deflate(buf));
        deflater.end();
        return out.toByteArray();
    }
}

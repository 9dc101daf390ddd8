package dev.palate.preprocess;

/**
 * Walks a JPEG's marker segments before decoding: reads the frame header (component count) and the Adobe APP14
 * transform, and checks that an EOI marker follows the scan data, so a truncated file is an error instead of
 * OpenCV's silently grey-filled image (Pillow refuses truncated images by default).
 */
record JpegStructure(int width, int height, int components, int adobeTransform) {
    static final int NO_ADOBE = -1;

    static boolean isJpeg(byte[] d) {
        return d.length >= 3 && (d[0] & 0xFF) == 0xFF && (d[1] & 0xFF) == 0xD8 && (d[2] & 0xFF) == 0xFF;
    }

    static JpegStructure check(byte[] d, String name) {
        int pos = 2, width = -1, height = -1, components = -1, adobe = NO_ADOBE;
        while (true) {
            while (pos < d.length && (d[pos] & 0xFF) == 0xFF && pos + 1 < d.length && (d[pos + 1] & 0xFF) == 0xFF) pos++; // fill bytes
            if (pos + 4 > d.length) throw truncated(d, name);
            if ((d[pos] & 0xFF) != 0xFF) throw new ImageDecodeException(name + ": corrupt JPEG (no marker at byte " + pos + ")");
            int marker = d[pos + 1] & 0xFF;
            if (marker == 0xD9) throw new ImageDecodeException(name + ": corrupt JPEG (end of image before any scan)");
            int len = ((d[pos + 2] & 0xFF) << 8) | (d[pos + 3] & 0xFF);
            if (pos + 2 + len > d.length) throw truncated(d, name);
            boolean sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (sof && len >= 8) {
                height = ((d[pos + 5] & 0xFF) << 8) | (d[pos + 6] & 0xFF);
                width = ((d[pos + 7] & 0xFF) << 8) | (d[pos + 8] & 0xFF);
                components = d[pos + 9] & 0xFF;
            } else if (marker == 0xEE && len >= 14 && d[pos + 4] == 'A' && d[pos + 5] == 'd' && d[pos + 6] == 'o'
                    && d[pos + 7] == 'b' && d[pos + 8] == 'e') {
                adobe = d[pos + 15] & 0xFF;
            } else if (marker == 0xDA) {
                if (components < 0) throw new ImageDecodeException(name + ": corrupt JPEG (scan before frame header)");
                // Entropy-coded data never holds FF D9 (FF is stuffed as FF 00), so its presence means the data ended.
                // Only whether one exists matters: searched from the end, where it sits (a forward walk cost ~0.9 ms
                // of a 1024² decode, issue 12).
                for (int p = d.length - 2; p >= pos + 2 + len; p--)
                    if ((d[p] & 0xFF) == 0xFF && (d[p + 1] & 0xFF) == 0xD9) return new JpegStructure(width, height, components, adobe);
                throw truncated(d, name);
            }
            pos += 2 + len;
        }
    }

    /** The declared size from the first frame header (SOFn), without checking the rest of the file. */
    static ImageHeader frameSize(byte[] d) {
        int pos = 2;
        while (pos + 4 <= d.length) {
            if ((d[pos] & 0xFF) != 0xFF) break;
            int marker = d[pos + 1] & 0xFF;
            if (marker == 0xFF) { pos++; continue; }
            if (marker == 0xD9 || marker == 0xDA) break;
            int len = ((d[pos + 2] & 0xFF) << 8) | (d[pos + 3] & 0xFF);
            boolean sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (sof && pos + 9 <= d.length)
                return new ImageHeader("JPEG", ((d[pos + 7] & 0xFF) << 8) | (d[pos + 8] & 0xFF), ((d[pos + 5] & 0xFF) << 8) | (d[pos + 6] & 0xFF));
            pos += 2 + len;
        }
        return new ImageHeader("JPEG", -1, -1);
    }

    private static ImageDecodeException truncated(byte[] d, String name) {
        return new ImageDecodeException(name + ": truncated JPEG (no end-of-image marker; the file ends at byte "
                + d.length + "); re-export or re-download the file");
    }
}

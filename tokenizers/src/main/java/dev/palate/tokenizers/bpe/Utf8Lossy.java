package dev.palate.tokenizers.bpe;

/**
 * Rust's {@code String::from_utf8_lossy}: each maximal invalid subpart becomes one U+FFFD (the Unicode/WHATWG
 * "substitution of maximal subparts"; Python's {@code errors="replace"} agrees). {@code new String(bytes, UTF_8)}
 * differs on encoded surrogates: it replaces {@code ED A0} with one U+FFFD where Rust writes two.
 */
final class Utf8Lossy {

    private static final char REPLACEMENT = '\uFFFD';

    private Utf8Lossy() {}

    static String decode(byte[] b, int length) {
        StringBuilder out = new StringBuilder(length);
        int i = 0;
        while (i < length) {
            int b0 = b[i] & 0xFF;
            if (b0 < 0x80) {
                out.append((char) b0);
                i++;
                continue;
            }
            int width = b0 >= 0xC2 && b0 <= 0xDF ? 2 : b0 >= 0xE0 && b0 <= 0xEF ? 3 : b0 >= 0xF0 && b0 <= 0xF4 ? 4 : 0;
            if (width == 0) {
                out.append(REPLACEMENT);
                i++;
                continue;
            }
            // the second byte's range depends on the first (excludes overlongs, surrogates, > U+10FFFF)
            int lo = b0 == 0xE0 ? 0xA0 : b0 == 0xF0 ? 0x90 : 0x80;
            int hi = b0 == 0xED ? 0x9F : b0 == 0xF4 ? 0x8F : 0xBF;
            int cp = b0 & (0xFF >> (width + 1));
            int k = 1;
            for (; k < width; k++) {
                if (i + k >= length) {
                    break;
                }
                int bk = b[i + k] & 0xFF;
                if (bk < (k == 1 ? lo : 0x80) || bk > (k == 1 ? hi : 0xBF)) {
                    break;
                }
                cp = (cp << 6) | (bk & 0x3F);
            }
            if (k < width) {
                out.append(REPLACEMENT); // the valid prefix b0..b(k-1) is one maximal subpart
                i += k;
            } else {
                out.appendCodePoint(cp);
                i += width;
            }
        }
        return out.toString();
    }
}

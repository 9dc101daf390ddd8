package dev.palate.tokenizers.clip;

/**
 * Bytes 0x80..0x9F read as Windows-1252, the five undefined ones passed through (Python's
 * {@code html._invalid_charrefs} and ftfy's "sloppy-windows-1252" agree on this table).
 */
final class Windows1252 {

    private static final char[] C1 = {
        '\u20AC', '\u0081', '\u201A', '\u0192', '\u201E', '\u2026', '\u2020', '\u2021',
        '\u02C6', '\u2030', '\u0160', '\u2039', '\u0152', '\u008D', '\u017D', '\u008F',
        '\u0090', '\u2018', '\u2019', '\u201C', '\u201D', '\u2022', '\u2013', '\u2014',
        '\u02DC', '\u2122', '\u0161', '\u203A', '\u0153', '\u009D', '\u017E', '\u0178',
    };

    private Windows1252() {}

    /** @param c1 a code point in 0x80..0x9F */
    static char decode(int c1) {
        return C1[c1 - 0x80];
    }
}

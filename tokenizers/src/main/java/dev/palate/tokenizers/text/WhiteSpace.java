package dev.palate.tokenizers.text;

/**
 * The Unicode White_Space property: what {@code \s} matches in Python's {@code regex} module and in
 * Oniguruma (Hugging Face tokenizers), and what Rust's {@code char::is_whitespace} tests.
 */
public final class WhiteSpace {

    private WhiteSpace() {}

    public static boolean is(int cp) {
        if (cp <= 0x20) {
            return cp == 0x20 || (cp >= 0x09 && cp <= 0x0D);
        }
        if (cp < 0x85) {
            return false;
        }
        return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A)
                || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
    }
}

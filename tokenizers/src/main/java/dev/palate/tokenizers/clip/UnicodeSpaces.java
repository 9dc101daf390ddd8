package dev.palate.tokenizers.clip;

/** The two whitespace definitions the reference tokenizers use. */
final class UnicodeSpaces {

    private UnicodeSpaces() {}

    /**
     * The Unicode White_Space property: what {@code \s} matches in Python's {@code regex} module and in
     * Oniguruma (Hugging Face tokenizers), and what Rust's {@code char::is_whitespace} tests.
     */
    static boolean isWhiteSpace(int cp) {
        if (cp <= 0x20) {
            return cp == 0x20 || (cp >= 0x09 && cp <= 0x0D);
        }
        if (cp < 0x85) {
            return false;
        }
        return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A)
                || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
    }

    /** Python's {@code str.isspace()}, used by {@code str.strip()}: White_Space plus U+001C..U+001F. */
    static boolean isPythonSpace(int cp) {
        return isWhiteSpace(cp) || (cp >= 0x1C && cp <= 0x1F);
    }

    /** Python's {@code str.strip()} without arguments. */
    static String pythonStrip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isPythonSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isPythonSpace(s.charAt(end - 1))) {
            end--;
        }
        return start == 0 && end == s.length() ? s : s.substring(start, end);
    }

    /** Every run of White_Space characters replaced by one ASCII space ({@code re.sub(r'\s+', ' ', s)}). */
    static String collapseWhiteSpace(String s) {
        int n = s.length();
        int i = 0;
        // fast path: nothing to change when the only spaces are single ASCII spaces
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (isWhiteSpace(c) && (c != ' ' || (i + 1 < n && isWhiteSpace(s.charAt(i + 1))))) {
                break;
            }
        }
        if (i == n) {
            return s;
        }
        StringBuilder out = new StringBuilder(n).append(s, 0, i);
        while (i < n) {
            char c = s.charAt(i);
            if (isWhiteSpace(c)) {
                out.append(' ');
                while (i < n && isWhiteSpace(s.charAt(i))) {
                    i++;
                }
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}

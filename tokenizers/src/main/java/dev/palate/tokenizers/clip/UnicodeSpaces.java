package dev.palate.tokenizers.clip;

import dev.palate.tokenizers.text.WhiteSpace;

/** Python's whitespace handling on top of the Unicode White_Space property ({@link WhiteSpace}). */
final class UnicodeSpaces {

    private UnicodeSpaces() {}

    /** Python's {@code str.isspace()}, used by {@code str.strip()}: White_Space plus U+001C..U+001F. */
    static boolean isPythonSpace(int cp) {
        return WhiteSpace.is(cp) || (cp >= 0x1C && cp <= 0x1F);
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
            if (WhiteSpace.is(c) && (c != ' ' || (i + 1 < n && WhiteSpace.is(s.charAt(i + 1))))) {
                break;
            }
        }
        if (i == n) {
            return s;
        }
        StringBuilder out = new StringBuilder(n).append(s, 0, i);
        while (i < n) {
            char c = s.charAt(i);
            if (WhiteSpace.is(c)) {
                out.append(' ');
                while (i < n && WhiteSpace.is(s.charAt(i))) {
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

package dev.palate.models.judges;

import java.util.Map;

/** Python {@code str} built-ins the judges' parsers use, with Python 3.11's Unicode rules. */
final class PyText {
    /**
     * The characters of {@code str.isspace()} (bidirectional class WS, B or S, or category Zs), as the body of a Java
     * character class. Python's {@code re} {@code \s}, {@code str.strip()} and {@code int()}/{@code float()} all use it.
     */
    static final String WHITESPACE_CLASS = "\\x{9}-\\x{d}\\x{1c}-\\x{20}\\x{85}\\x{a0}\\x{1680}\\x{2000}-\\x{200a}"
            + "\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}";

    private PyText() {}

    /** {@code chr(cp).isspace()}. */
    static boolean isSpace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x20) || cp == 0x85 || cp == 0xA0 || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F
                || cp == 0x3000;
    }

    /** {@code s.strip()}: Python's whitespace ({@link String#strip()} keeps U+001C–U+001F, U+0085, U+00A0 and U+202F). */
    static String strip(String s) {
        int start = 0, end = s.length();
        while (start < end && isSpace(s.charAt(start))) start++;
        while (end > start && isSpace(s.charAt(end - 1))) end--;
        return s.substring(start, end);
    }

    /** {@code type(v).__name__} of a value from {@link PyJson#loads}, for messages that quote Python's. */
    static String typeName(Object v) {
        if (v == null) return "NoneType";
        if (v instanceof Boolean) return "bool";
        if (v instanceof Double || v instanceof Float) return "float";
        if (v instanceof Number) return "int";
        if (v instanceof String) return "str";
        if (v instanceof Map) return "dict";
        if (v instanceof java.util.List) return "list";
        return v.getClass().getSimpleName();
    }
}

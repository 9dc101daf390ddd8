package dev.palate.models.judges;

import java.util.regex.Pattern;

/**
 * Python {@code re} patterns (str patterns, Python 3.11) compiled to {@link java.util.regex.Pattern} with Python's
 * meaning, so that the judges' regexes can be copied verbatim from DiffSynth's code.
 *
 * <p>What differs between the two engines, and what the translation does about it:
 * <ul>
 *   <li>{@code \d} is every Unicode decimal digit (category Nd: {@code ３}, {@code ٤}), Java's is ASCII:
 *       becomes {@code \p{Nd}}.</li>
 *   <li>{@code \s} is {@code str.isspace()} (adds U+001C–U+001F to Java's Unicode White_Space, e.g. U+3000
 *       ideographic space matches): becomes an explicit class, {@link PyText#WHITESPACE_CLASS}.</li>
 *   <li>{@code \w} is {@code str.isalnum()} or {@code _} (letters and numbers, no combining marks), and
 *       {@code \b}/{@code \B} are defined on it: become {@code [\p{L}\p{N}_]} and look-arounds.</li>
 *   <li>{@code .} excludes only {@code \n} (Java also {@code \r}, U+0085, U+2028/9): {@link Pattern#UNIX_LINES},
 *       which also gives {@code ^}/{@code $} Python's line ends.</li>
 *   <li>{@code re.I} folds Unicode case: {@link Pattern#CASE_INSENSITIVE} with {@link Pattern#UNICODE_CASE}.</li>
 *   <li>Inside a class every literal that is not an ASCII letter or digit is written as {@code \x{..}}, so Java's
 *       class syntax ({@code [} nesting, {@code &&}) cannot change its meaning; a range keeps Python's endpoints,
 *       e.g. {@code [^\n\r-+\d]} excludes U+000D–U+002B, the space included.</li>
 *   <li>{@code \Z} (end of string) becomes {@code \z}; {@code (?P<name>} becomes {@code (?<name>}.</li>
 * </ul>
 * Constructs outside this subset (back references, inline flags, conditionals, {@code \N{...}}, octal escapes) are
 * refused with an error rather than translated approximately. Unicode tables are Java's (Unicode 13 in Java 17;
 * Python 3.11 has Unicode 14: characters new in 14 may differ).
 */
final class PyRegex {
    /** Python's {@code re.I}. */
    static final int IGNORECASE = 1;
    /** Python's {@code re.S}. */
    static final int DOTALL = 2;
    /** Python's {@code re.M}. */
    static final int MULTILINE = 4;

    private static final String WORD = "\\p{L}\\p{N}_";
    private static final String WORD_CLASS = "[" + WORD + "]";

    private PyRegex() {}

    /** {@code re.compile(pattern, flags)} with Python's semantics; {@code flags} is a sum of the constants above. */
    static Pattern compile(String pattern, int flags) {
        int javaFlags = Pattern.UNIX_LINES;
        if ((flags & IGNORECASE) != 0) javaFlags |= Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
        if ((flags & DOTALL) != 0) javaFlags |= Pattern.DOTALL;
        if ((flags & MULTILINE) != 0) javaFlags |= Pattern.MULTILINE;
        return Pattern.compile(translate(pattern), javaFlags);
    }

    /** The Java regex source with the meaning of the Python pattern {@code p}. */
    static String translate(String p) {
        StringBuilder out = new StringBuilder(p.length() * 2);
        int i = 0;
        while (i < p.length()) {
            char c = p.charAt(i);
            if (c == '\\') {
                i = escapeOutside(p, i, out);
            } else if (c == '[') {
                i = characterClass(p, i, out);
            } else if (c == '(') {
                i = group(p, i, out);
            } else if (c == '{') {
                i = brace(p, i, out);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static int escapeOutside(String p, int i, StringBuilder out) {
        if (i + 1 >= p.length()) throw refuse(p, "a trailing backslash");
        char e = p.charAt(i + 1);
        switch (e) {
            case 'd': out.append("\\p{Nd}"); return i + 2;
            case 'D': out.append("\\P{Nd}"); return i + 2;
            case 's': out.append('[').append(PyText.WHITESPACE_CLASS).append(']'); return i + 2;
            case 'S': out.append("[^").append(PyText.WHITESPACE_CLASS).append(']'); return i + 2;
            case 'w': out.append(WORD_CLASS); return i + 2;
            case 'W': out.append("[^").append(WORD).append(']'); return i + 2;
            case 'b': out.append("(?:(?<=" + WORD_CLASS + ")(?!" + WORD_CLASS + ")|(?<!" + WORD_CLASS + ")(?=" + WORD_CLASS + "))"); return i + 2;
            case 'B': out.append("(?:(?<=" + WORD_CLASS + ")(?=" + WORD_CLASS + ")|(?<!" + WORD_CLASS + ")(?!" + WORD_CLASS + "))"); return i + 2;
            case 'A': out.append("\\A"); return i + 2;
            case 'Z': out.append("\\z"); return i + 2;
            default:
                int[] lit = literalEscape(p, i);
                hex(lit[0], out);
                return lit[1];
        }
    }

    /** A literal escape ({@code \n}, {@code \x41}, {@code \u00e9}, {@code \.}): {code point, next index}. */
    private static int[] literalEscape(String p, int i) {
        char e = p.charAt(i + 1);
        switch (e) {
            case 'n': return new int[] {'\n', i + 2};
            case 'r': return new int[] {'\r', i + 2};
            case 't': return new int[] {'\t', i + 2};
            case 'f': return new int[] {'\f', i + 2};
            case 'v': return new int[] {0x0B, i + 2};
            case 'a': return new int[] {0x07, i + 2};
            case 'x': return new int[] {hexDigits(p, i + 2, 2), i + 4};
            case 'u': return new int[] {hexDigits(p, i + 2, 4), i + 6};
            case 'U': return new int[] {hexDigits(p, i + 2, 8), i + 10};
            default:
                if (Character.isLetterOrDigit(e) && e < 128) throw refuse(p, "the escape \\" + e);
                int cp = p.codePointAt(i + 1);
                return new int[] {cp, i + 1 + Character.charCount(cp)};
        }
    }

    private static int hexDigits(String p, int at, int n) {
        if (at + n > p.length()) throw refuse(p, "a short hex escape");
        return Integer.parseInt(p.substring(at, at + n), 16);
    }

    private static void hex(int cp, StringBuilder out) {
        out.append("\\x{").append(Integer.toHexString(cp)).append('}');
    }

    /** {@code [...]}: Python's rules ({@code ]} first is literal, {@code -} first/last is literal). */
    private static int characterClass(String p, int i, StringBuilder out) {
        out.append('[');
        i++;
        if (i < p.length() && p.charAt(i) == '^') {
            out.append('^');
            i++;
        }
        boolean first = true;
        while (true) {
            if (i >= p.length()) throw refuse(p, "an unterminated character class");
            char c = p.charAt(i);
            if (c == ']' && !first) {
                out.append(']');
                return i + 1;
            }
            first = false;
            if (c == '-' && i + 1 < p.length() && p.charAt(i + 1) != ']' && out.charAt(out.length() - 1) != '['
                    && out.charAt(out.length() - 1) != '^') {
                out.append('-'); // a range operator between two endpoints
                i++;
                continue;
            }
            if (c == '\\') {
                if (i + 1 >= p.length()) throw refuse(p, "a trailing backslash");
                char e = p.charAt(i + 1);
                switch (e) {
                    case 'd': out.append("\\p{Nd}"); i += 2; continue;
                    case 'D': out.append("\\P{Nd}"); i += 2; continue;
                    case 's': out.append(PyText.WHITESPACE_CLASS); i += 2; continue;
                    case 'S': out.append("[^").append(PyText.WHITESPACE_CLASS).append(']'); i += 2; continue;
                    case 'w': out.append(WORD); i += 2; continue;
                    case 'W': out.append("[^").append(WORD).append(']'); i += 2; continue;
                    case 'b': hex(0x08, out); i += 2; continue; // \b in a class is backspace
                    default:
                        int[] lit = literalEscape(p, i);
                        hex(lit[0], out);
                        i = lit[1];
                        continue;
                }
            }
            int cp = p.codePointAt(i);
            if (cp < 128 && Character.isLetterOrDigit(cp)) out.append((char) cp);
            else hex(cp, out);
            i += Character.charCount(cp);
        }
    }

    private static int group(String p, int i, StringBuilder out) {
        if (p.startsWith("(?P<", i)) {
            out.append("(?<");
            return i + 4;
        }
        if (p.startsWith("(?", i)) {
            for (String ok : new String[] {"(?:", "(?=", "(?!", "(?<=", "(?<!"})
                if (p.startsWith(ok, i)) {
                    out.append(ok);
                    return i + ok.length();
                }
            throw refuse(p, "the group syntax at index " + i);
        }
        out.append('(');
        return i + 1;
    }

    /** Python reads {@code {m}}, {@code {m,}}, {@code {,n}}, {@code {m,n}} as repeats and any other brace literally. */
    private static int brace(String p, int i, StringBuilder out) {
        int close = p.indexOf('}', i);
        if (close > 0) {
            String body = p.substring(i + 1, close);
            if (body.matches("[0-9]*(,[0-9]*)?") && !body.isEmpty() && !body.equals(",")) {
                out.append('{').append(body.startsWith(",") ? "0" + body : body).append('}');
                return close + 1;
            }
        }
        out.append("\\{");
        return i + 1;
    }

    private static IllegalArgumentException refuse(String p, String what) {
        return new IllegalArgumentException("PyRegex does not translate " + what + " in the pattern " + p);
    }
}

package dev.palate.tokenizers.bpe;

import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Translates an Oniguruma pattern (what tokenizers' {@code SysRegex} compiles: {@code onig::Regex::new}, Ruby
 * syntax, UTF-8) to an equivalent {@link Pattern}. The escapes whose meaning differs are rewritten to explicit
 * Unicode properties, so no global {@code UNICODE_CHARACTER_CLASS} flag is needed:
 * <ul>
 *   <li>{@code \s}/{@code \S}: Oniguruma's Unicode {@code \s} (9–D, U+0085, Zs, Zl, Zp) is exactly the
 *       White_Space property → {@code \p{IsWhite_Space}}; java.util.regex's {@code \s} is ASCII-only.</li>
 *   <li>{@code \d} → {@code \p{Nd}}; {@code \w} → {@code [\p{IsAlphabetic}\p{M}\p{Nd}\p{Pc}]} (Oniguruma's Unicode
 *       word: Ⅰ and Ⓐ are in, ZWJ is out);
 *       {@code \h} (Oniguruma: hex digit, java: horizontal space) → {@code [0-9a-fA-F]}; {@code \v} → U+000B.</li>
 *   <li>{@code \p{L}}, {@code \p{N}}, {@code \p{M}} and the other general categories are the same in both;
 *       a script name becomes {@code \p{IsName}}; {@code \p{^X}} becomes {@code \P{X}}.</li>
 *   <li>{@code (?i…)} becomes {@code (?iu…)}: Unicode case-insensitivity. For the ASCII letters in the GPT-2 and
 *       Qwen contraction groups ({@code 's 't 're 've 'm 'll 'd}) this matches what Oniguruma's case folding
 *       matches: the ASCII pair plus U+017F ſ for s (both engines; U+0130 İ would differ for an {@code i}).</li>
 *   <li>Ruby's {@code (?m)} (dot matches newline) becomes {@code (?s)}; {@code ^} and {@code $} are line anchors
 *       with {@code \n} as the only line end in both ({@code MULTILINE | UNIX_LINES}).</li>
 * </ul>
 * Constructs whose semantics were not checked (back-references, POSIX brackets, {@code \b}, {@code \K},
 * {@code \R}, {@code \X}, {@code (?x)}, …) are refused with an error rather than guessed.
 * java.util.regex and Oniguruma are both backtracking engines with leftmost-first alternation, so
 * {@code \s+(?!\S)} and the greedy classes backtrack the same way. Unicode data: the JDK's (Unicode 13 on
 * Java 17) against Oniguruma's; they differ only on characters assigned since.
 */
final class OnigurumaRegex {

    private static final Set<String> GENERAL_CATEGORIES = Set.of(
            "L", "Lu", "Ll", "Lt", "Lm", "Lo", "M", "Mn", "Mc", "Me", "N", "Nd", "Nl", "No",
            "P", "Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "S", "Sm", "Sc", "Sk", "So",
            "Z", "Zs", "Zl", "Zp", "C", "Cc", "Cf", "Cs", "Co", "Cn");
    private static final String WORD = "\\p{IsAlphabetic}\\p{M}\\p{Nd}\\p{Pc}";
    private static final String HEX = "0-9a-fA-F";

    private OnigurumaRegex() {}

    /** @param source file and field for error messages */
    static Pattern compile(String oniguruma, String source) {
        String java = translate(oniguruma, source);
        try {
            return Pattern.compile(java, Pattern.MULTILINE | Pattern.UNIX_LINES);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(source + ": the regex " + quote(oniguruma) + " (as java.util.regex: "
                    + quote(java) + ") does not compile: " + e.getDescription(), e);
        }
    }

    /** A literal string pattern ({@code Split.pattern.String}): tokenizers escapes it, so do we. */
    static Pattern literal(String text) {
        return Pattern.compile(Pattern.quote(text));
    }

    static String translate(String p, String source) {
        StringBuilder out = new StringBuilder(p.length() + 32);
        int classDepth = 0;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            boolean inClass = classDepth > 0;
            if (c == '\\') {
                if (i + 1 >= p.length()) {
                    throw refuse(p, source, "it ends with a lone backslash");
                }
                char e = p.charAt(++i);
                switch (e) {
                    case 's' -> out.append("\\p{IsWhite_Space}");
                    case 'S' -> out.append("\\P{IsWhite_Space}");
                    case 'd' -> out.append("\\p{Nd}");
                    case 'D' -> out.append("\\P{Nd}");
                    case 'w' -> out.append(inClass ? WORD : "[" + WORD + "]");
                    case 'h' -> out.append(inClass ? HEX : "[" + HEX + "]");
                    case 'W', 'H' -> {
                        if (inClass) {
                            throw refuse(p, source, "\\" + e + " inside a character class is not supported");
                        }
                        out.append("[^").append(e == 'W' ? WORD : HEX).append(']');
                    }
                    case 'v' -> out.append("\\x{0B}");
                    case 'p', 'P' -> i = property(p, i, e == 'P', out, source);
                    case 'r', 'n', 't', 'f', 'e', 'a', 'A', 'z', 'Z' -> out.append('\\').append(e);
                    case 'x' -> {
                        out.append("\\x");
                    }
                    case 'u' -> out.append("\\u");
                    default -> {
                        if (Character.isLetterOrDigit(e)) {
                            throw refuse(p, source, "the escape \\" + e + " is not supported");
                        }
                        out.append('\\').append(e); // an escaped punctuation char is a literal in both
                    }
                }
            } else if (c == '[') {
                if (inClass && i + 1 < p.length() && p.charAt(i + 1) == ':') {
                    throw refuse(p, source, "POSIX brackets ([:name:]) are not supported");
                }
                classDepth++;
                out.append(c);
                if (i + 1 < p.length() && p.charAt(i + 1) == '^') {
                    out.append('^');
                    i++;
                }
                if (i + 1 < p.length() && p.charAt(i + 1) == ']') {
                    out.append("\\]"); // a leading ']' is a literal in Oniguruma
                    i++;
                }
            } else if (c == ']' && inClass) {
                classDepth--;
                out.append(c);
            } else if (c == '(' && !inClass && i + 1 < p.length() && p.charAt(i + 1) == '?') {
                i = group(p, i, out, source);
            } else {
                out.append(c);
            }
        }
        if (classDepth != 0) {
            throw refuse(p, source, "a character class is not closed");
        }
        return out.toString();
    }

    /** {@code \p{Name}}, {@code \p{^Name}}, {@code \P{Name}}; returns the index of the closing brace. */
    private static int property(String p, int at, boolean negated, StringBuilder out, String source) {
        if (at + 1 >= p.length() || p.charAt(at + 1) != '{') {
            throw refuse(p, source, "\\p without {Name} is not supported");
        }
        int close = p.indexOf('}', at);
        if (close < 0) {
            throw refuse(p, source, "a \\p{ is not closed");
        }
        String name = p.substring(at + 2, close);
        if (name.startsWith("^")) {
            negated = !negated;
            name = name.substring(1);
        }
        String javaName;
        if (GENERAL_CATEGORIES.contains(name)) {
            javaName = name;
        } else {
            try {
                Character.UnicodeScript.forName(name);
            } catch (IllegalArgumentException notAScript) {
                throw refuse(p, source, "the property \\p{" + name + "} is neither a general category nor a script");
            }
            javaName = "Is" + name;
        }
        out.append(negated ? "\\P{" : "\\p{").append(javaName).append('}');
        return close;
    }

    /** {@code (?…}: look-arounds, atomic and named groups pass; inline options are rewritten. */
    private static int group(String p, int at, StringBuilder out, String source) {
        int j = at + 2;
        if (j < p.length() && ":=!>".indexOf(p.charAt(j)) >= 0) {
            out.append("(?").append(p.charAt(j));
            return j;
        }
        if (j + 1 < p.length() && p.charAt(j) == '<' && (p.charAt(j + 1) == '=' || p.charAt(j + 1) == '!')) {
            out.append("(?<").append(p.charAt(j + 1));
            return j + 1;
        }
        if (j < p.length() && p.charAt(j) == '<') {
            out.append("(?<");
            return j;
        }
        StringBuilder options = new StringBuilder("(?");
        for (; j < p.length(); j++) {
            char o = p.charAt(j);
            switch (o) {
                case 'i' -> options.append("iu");
                case 'm' -> options.append('s'); // Ruby's m is dot-all
                case '-' -> options.append('-');
                case ':', ')' -> {
                    out.append(options).append(o);
                    return j;
                }
                default -> throw refuse(p, source, "the group option (?" + o + " is not supported");
            }
        }
        throw refuse(p, source, "a group is not closed");
    }

    private static IllegalArgumentException refuse(String p, String source, String why) {
        return new IllegalArgumentException(source + ": cannot use the pre-tokenizer regex " + quote(p) + ": " + why
                + " (only the constructs whose Oniguruma semantics java.util.regex reproduces are translated)");
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r") + "\"";
    }
}

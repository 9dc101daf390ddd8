package dev.palate.tokenizers.chat;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Python 3.11 {@code str} semantics on Java strings: indices and lengths count code points (not UTF-16 units),
 * whitespace is {@code str.isspace()} (what {@code strip()}, {@code split()} and {@code re}'s {@code \s} use),
 * and {@code repr()} of strings and floats is spelled as CPython spells it.
 */
final class PyStrings {

    private PyStrings() {}

    /** CPython's {@code Py_UNICODE_ISSPACE} (Objects/unicodetype_db.h): the characters {@code str.isspace()} accepts. */
    static boolean isSpace(int cp) {
        return switch (cp) {
            case '\t', '\n', 0x0B, 0x0C, '\r', 0x1C, 0x1D, 0x1E, 0x1F, ' ', 0x85, 0xA0, 0x1680,
                 0x2028, 0x2029, 0x202F, 0x205F, 0x3000 -> true;
            default -> cp >= 0x2000 && cp <= 0x200A;
        };
    }

    static int length(String s) {
        return s.codePointCount(0, s.length());
    }

    static int[] codePoints(String s) {
        return s.codePoints().toArray();
    }

    static String fromCodePoints(int[] cps, int from, int to) {
        return new String(cps, from, to - from);
    }

    /** {@code s.strip(chars)}: {@code chars} null strips whitespace. {@code left}/{@code right} select lstrip/rstrip. */
    static String strip(String s, String chars, boolean left, boolean right) {
        int[] cps = codePoints(s);
        int[] strip = chars == null ? null : codePoints(chars);
        int from = 0;
        int to = cps.length;
        if (left) {
            while (from < to && stripped(cps[from], strip)) {
                from++;
            }
        }
        if (right) {
            while (to > from && stripped(cps[to - 1], strip)) {
                to--;
            }
        }
        return fromCodePoints(cps, from, to);
    }

    private static boolean stripped(int cp, int[] chars) {
        if (chars == null) {
            return isSpace(cp);
        }
        for (int c : chars) {
            if (c == cp) {
                return true;
            }
        }
        return false;
    }

    /** {@code s.split(sep, maxsplit)}; {@code sep} null splits on whitespace runs and drops empty pieces. */
    static List<Object> split(String s, String sep, long maxSplit) {
        List<Object> out = new ArrayList<>();
        if (sep == null) {
            int[] cps = codePoints(s);
            int i = 0;
            long splits = 0;
            while (i < cps.length) {
                while (i < cps.length && isSpace(cps[i])) {
                    i++;
                }
                if (i == cps.length) {
                    break;
                }
                if (maxSplit >= 0 && splits == maxSplit) {
                    out.add(fromCodePoints(cps, i, cps.length)); // the remainder keeps its trailing whitespace
                    return out;
                }
                int start = i;
                while (i < cps.length && !isSpace(cps[i])) {
                    i++;
                }
                out.add(fromCodePoints(cps, start, i));
                splits++;
            }
            return out;
        }
        if (sep.isEmpty()) {
            throw TemplateError.value("empty separator");
        }
        int from = 0;
        long splits = 0;
        while (maxSplit < 0 || splits < maxSplit) {
            int at = s.indexOf(sep, from);
            if (at < 0) {
                break;
            }
            out.add(s.substring(from, at));
            from = at + sep.length();
            splits++;
        }
        out.add(s.substring(from));
        return out;
    }

    /** {@code s.rsplit(sep, maxsplit)}. */
    static List<Object> rsplit(String s, String sep, long maxSplit) {
        if (maxSplit < 0) {
            return split(s, sep, -1);
        }
        List<Object> out = new ArrayList<>();
        if (sep == null) {
            int[] cps = codePoints(s);
            int i = cps.length;
            long splits = 0;
            while (i > 0) {
                while (i > 0 && isSpace(cps[i - 1])) {
                    i--;
                }
                if (i == 0) {
                    break;
                }
                if (splits == maxSplit) {
                    out.add(0, fromCodePoints(cps, 0, i)); // the remainder keeps its leading whitespace
                    return out;
                }
                int end = i;
                while (i > 0 && !isSpace(cps[i - 1])) {
                    i--;
                }
                out.add(0, fromCodePoints(cps, i, end));
                splits++;
            }
            return out;
        }
        if (sep.isEmpty()) {
            throw TemplateError.value("empty separator");
        }
        int to = s.length();
        long splits = 0;
        while (splits < maxSplit) {
            int at = s.lastIndexOf(sep, to - sep.length());
            if (at < 0) {
                break;
            }
            out.add(0, s.substring(at + sep.length(), to));
            to = at;
            splits++;
        }
        out.add(0, s.substring(0, to));
        return out;
    }

    /** {@code s.replace(old, new, count)}; an empty {@code old} inserts between code points as Python does. */
    static String replace(String s, String old, String replacement, long count) {
        if (count < 0) {
            count = Long.MAX_VALUE;
        }
        StringBuilder out = new StringBuilder();
        if (old.isEmpty()) {
            int[] cps = codePoints(s);
            long done = 0;
            for (int i = 0; i <= cps.length; i++) {
                if (done < count) {
                    out.append(replacement);
                    done++;
                }
                if (i < cps.length) {
                    out.appendCodePoint(cps[i]);
                }
            }
            return out.toString();
        }
        int from = 0;
        long done = 0;
        while (done < count) {
            int at = s.indexOf(old, from);
            if (at < 0) {
                break;
            }
            out.append(s, from, at).append(replacement);
            from = at + old.length();
            done++;
        }
        return out.append(s.substring(from)).toString();
    }

    /** {@code s.count(sub)}: non-overlapping occurrences; an empty {@code sub} counts len(s) + 1. */
    static long count(String s, String sub) {
        if (sub.isEmpty()) {
            return length(s) + 1L;
        }
        long n = 0;
        for (int at = s.indexOf(sub); at >= 0; at = s.indexOf(sub, at + sub.length())) {
            n++;
        }
        return n;
    }

    /** {@code s.find(sub)} / {@code s.rfind(sub)} in code points. */
    static long find(String s, String sub, boolean last) {
        int at = last ? s.lastIndexOf(sub) : s.indexOf(sub);
        return at < 0 ? -1 : s.codePointCount(0, at);
    }

    /** {@code s.capitalize()} (Python ≥ 3.8: first character title-cased, the rest lower-cased). */
    static String capitalize(String s) {
        if (s.isEmpty()) {
            return s;
        }
        int first = s.codePointAt(0);
        String rest = s.substring(Character.charCount(first));
        return new StringBuilder().appendCodePoint(Character.toTitleCase(first)).append(lower(rest)).toString();
    }

    static String lower(String s) {
        return s.toLowerCase(java.util.Locale.ROOT);
    }

    static String upper(String s) {
        return s.toUpperCase(java.util.Locale.ROOT);
    }

    /** CPython's {@code unicode_repr}: single quotes unless the text has ' and no ", escapes for the unprintable. */
    static String repr(String s) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder out = new StringBuilder(s.length() + 2).append(quote);
        s.codePoints().forEach(cp -> {
            if (cp == quote || cp == '\\') {
                out.append('\\').appendCodePoint(cp);
            } else if (cp == '\t') {
                out.append("\\t");
            } else if (cp == '\n') {
                out.append("\\n");
            } else if (cp == '\r') {
                out.append("\\r");
            } else if (cp < 0x20 || cp == 0x7F) {
                out.append(String.format("\\x%02x", cp));
            } else if (cp < 0x7F || isPrintable(cp)) {
                out.appendCodePoint(cp);
            } else if (cp <= 0xFF) {
                out.append(String.format("\\x%02x", cp));
            } else if (cp <= 0xFFFF) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.append(String.format("\\U%08x", cp));
            }
        });
        return out.append(quote).toString();
    }

    /** {@code str.isprintable()} per character: not Cc, Cf, Cs, Co, Cn, Zl, Zp, or Zs other than the space. */
    private static boolean isPrintable(int cp) {
        if (cp == ' ') {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED,
                 Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.SPACE_SEPARATOR -> false;
            default -> true;
        };
    }

    /**
     * {@code repr(float)} (Python ≥ 3.1, {@code float_repr_style 'short'}): the shortest decimal that reads back to
     * the same double, in positional notation when its decimal-point position {@code decpt} is in (-4, 16], else
     * {@code d.ddde±XX}; integral values keep a {@code .0}. Python/pystrtod.c {@code format_float_short}.
     */
    static String floatRepr(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        BigDecimal exact = new BigDecimal(d);
        BigDecimal shortest = exact;
        for (int precision = 1; precision <= 17; precision++) {
            BigDecimal candidate = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
            if (candidate.doubleValue() == d) {
                shortest = candidate;
                break;
            }
        }
        shortest = shortest.stripTrailingZeros();
        String digits = shortest.unscaledValue().abs().toString();
        int decpt = digits.length() - shortest.scale(); // value = 0.DIGITS × 10^decpt
        StringBuilder out = new StringBuilder();
        if (d < 0) {
            out.append('-');
        }
        if (decpt <= -4 || decpt > 16) {
            out.append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits, 1, digits.length());
            }
            int exponent = decpt - 1;
            out.append('e').append(exponent < 0 ? '-' : '+');
            String e = Integer.toString(Math.abs(exponent));
            out.append(e.length() < 2 ? "0" + e : e);
        } else if (decpt <= 0) {
            out.append("0.").append("0".repeat(-decpt)).append(digits);
        } else if (decpt >= digits.length()) {
            out.append(digits).append("0".repeat(decpt - digits.length())).append(".0");
        } else {
            out.append(digits, 0, decpt).append('.').append(digits, decpt, digits.length());
        }
        return out.toString();
    }
}

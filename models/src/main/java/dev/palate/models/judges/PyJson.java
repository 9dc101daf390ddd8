package dev.palate.models.judges;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code json.loads} and {@code json.dumps} (CPython 3.11's C scanner, default arguments), for the judges'
 * parsers and the rows of {@code palate parse}.
 *
 * <p>Values are Python's, in Java types: {@code dict} = {@link LinkedHashMap} (insertion order; a duplicate key keeps
 * its first position and its last value, as {@code dict} does), {@code list} = {@link ArrayList}, {@code str} =
 * {@link String}, {@code int} = {@link Long} (or {@link BigInteger} beyond 64 bits), {@code float} = {@link Double},
 * {@code bool} = {@link Boolean}, {@code None} = {@code null}. What {@code json.loads} accepts and Gson does not:
 * {@code NaN}, {@code Infinity}, {@code -Infinity}, duplicate keys, lone surrogate escapes; what it refuses: control
 * characters inside strings, trailing commas, single quotes, a leading BOM, anything after the value but whitespace
 * ({@code ' \t\n\r'} only). An integer literal of more than 4300 digits raises {@code ValueError} (not a
 * {@code JSONDecodeError}); nesting deeper than about 990 raises {@code RecursionError} (Python's limit depends on
 * the caller's stack depth; 994 levels from an empty stack).
 *
 * <p>{@link #dumps} writes {@code json.dumps(value, ensure_ascii=False)}: separators {@code ", "} and {@code ": "},
 * floats as {@code repr(float)} (shortest round-trip digits, exponent form below 1e-4 and from 1e16), {@code NaN}
 * and {@code Infinity} bare.
 */
public final class PyJson {
    /** Nesting at which the scanner raises RecursionError (approximate, see the class comment). */
    static final int MAX_DEPTH = 990;
    /** {@code sys.get_int_max_str_digits()} default (Python 3.11+). */
    static final int MAX_INT_DIGITS = 4300;

    private final String s;
    private int depth;

    private PyJson(String s) {
        this.s = s;
    }

    /**
     * {@code json.loads(text)}. Throws {@link IllegalArgumentException} whose message starts with the Python exception
     * ({@code JSONDecodeError: Expecting value: line 1 column 1 (char 0)}, {@code ValueError: ...},
     * {@code RecursionError: ...}).
     */
    public static Object parse(String text) {
        try {
            return loads(text);
        } catch (PyException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** {@code json.loads(text)}, raising as Python does (see {@link PyException#type()}). */
    static Object loads(String text) {
        PyJson p = new PyJson(text);
        if (text.startsWith("\uFEFF")) throw p.error("Unexpected UTF-8 BOM (decode using utf-8-sig)", 0);
        int at = p.whitespace(0);
        Object[] value = new Object[1];
        int end = p.value(at, value);
        if (end < 0) throw p.error("Expecting value", at);
        end = p.whitespace(end);
        if (end != text.length()) throw p.error("Extra data", end);
        return value[0];
    }

    private int whitespace(int i) {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
            i++;
        }
        return i;
    }

    /** Scans one value at {@code i} into {@code out[0]}; the index after it, or -1 where no value starts. */
    private int value(int i, Object[] out) {
        if (i >= s.length()) return -1;
        char c = s.charAt(i);
        switch (c) {
            case '"': return string(i + 1, out);
            case '{': return object(i + 1, out);
            case '[': return array(i + 1, out);
            case 'n': return constant(i, "null", null, out);
            case 't': return constant(i, "true", Boolean.TRUE, out);
            case 'f': return constant(i, "false", Boolean.FALSE, out);
            case 'N': return constant(i, "NaN", Double.NaN, out);
            case 'I': return constant(i, "Infinity", Double.POSITIVE_INFINITY, out);
            case '-':
                if (s.startsWith("-Infinity", i)) {
                    out[0] = Double.NEGATIVE_INFINITY;
                    return i + 9;
                }
                return number(i, out);
            default:
                return number(i, out);
        }
    }

    private int constant(int i, String word, Object v, Object[] out) {
        if (!s.startsWith(word, i)) return -1;
        out[0] = v;
        return i + word.length();
    }

    /** {@code (-?(?:0|[1-9][0-9]*))(\.[0-9]+)?([eE][-+]?[0-9]+)?} with ASCII digits, as the C scanner matches it. */
    private int number(int start, Object[] out) {
        int i = start;
        if (i < s.length() && s.charAt(i) == '-') i++;
        if (i >= s.length() || !ascii(s.charAt(i))) return -1;
        if (s.charAt(i) == '0') i++;
        else while (i < s.length() && ascii(s.charAt(i))) i++;
        int intEnd = i;
        boolean isFloat = false;
        if (i + 1 < s.length() && s.charAt(i) == '.' && ascii(s.charAt(i + 1))) {
            i += 2;
            while (i < s.length() && ascii(s.charAt(i))) i++;
            isFloat = true;
        }
        if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            int j = i + 1;
            if (j < s.length() && (s.charAt(j) == '-' || s.charAt(j) == '+')) j++;
            if (j < s.length() && ascii(s.charAt(j))) {
                while (j < s.length() && ascii(s.charAt(j))) j++;
                i = j;
                isFloat = true;
            }
        }
        String literal = s.substring(start, isFloat ? i : intEnd);
        if (isFloat) {
            out[0] = Double.parseDouble(literal); // correctly rounded, overflow to infinity, as float(str)
            return i;
        }
        int digits = literal.length() - (literal.startsWith("-") ? 1 : 0);
        if (digits > MAX_INT_DIGITS)
            throw new PyException("ValueError", "Exceeds the limit (" + MAX_INT_DIGITS + " digits) for integer string conversion: value has "
                    + digits + " digits; use sys.set_int_max_str_digits() to increase the limit");
        out[0] = PyNumbers.integer(new BigInteger(literal));
        return intEnd;
    }

    private static boolean ascii(char c) {
        return c >= '0' && c <= '9';
    }

    private int string(int i, Object[] out) {
        int begin = i - 1;
        StringBuilder b = new StringBuilder();
        while (true) {
            if (i >= s.length()) throw error("Unterminated string starting at", begin);
            char c = s.charAt(i);
            if (c == '"') {
                out[0] = b.toString();
                return i + 1;
            }
            if (c < 0x20) throw error("Invalid control character at", i);
            if (c != '\\') {
                b.append(c);
                i++;
                continue;
            }
            if (i + 1 >= s.length()) throw error("Unterminated string starting at", begin);
            char e = s.charAt(i + 1);
            switch (e) {
                case '"': b.append('"'); break;
                case '\\': b.append('\\'); break;
                case '/': b.append('/'); break;
                case 'b': b.append('\b'); break;
                case 'f': b.append('\f'); break;
                case 'n': b.append('\n'); break;
                case 'r': b.append('\r'); break;
                case 't': b.append('\t'); break;
                case 'u':
                    if (i + 6 > s.length()) throw error("Invalid \\uXXXX escape", i + 1);
                    int cp = 0;
                    for (int k = i + 2; k < i + 6; k++) {
                        char h = s.charAt(k);
                        int d = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10 : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
                        if (d < 0) throw error("Invalid \\uXXXX escape", i + 1);
                        cp = cp * 16 + d;
                    }
                    b.append((char) cp); // UTF-16: an escaped surrogate pair becomes the pair, a lone one stays lone
                    i += 6;
                    continue;
                default:
                    throw error("Invalid \\escape", i);
            }
            i += 2;
        }
    }

    private int object(int i, Object[] out) {
        enter(i - 1, "object");
        Map<String, Object> map = new LinkedHashMap<>();
        i = whitespace(i);
        if (i < s.length() && s.charAt(i) == '}') {
            depth--;
            out[0] = map;
            return i + 1;
        }
        while (true) {
            if (i >= s.length() || s.charAt(i) != '"') throw error("Expecting property name enclosed in double quotes", i);
            Object[] key = new Object[1];
            i = string(i + 1, key);
            i = whitespace(i);
            if (i >= s.length() || s.charAt(i) != ':') throw error("Expecting ':' delimiter", i);
            i = whitespace(i + 1);
            Object[] v = new Object[1];
            int end = value(i, v);
            if (end < 0) throw error("Expecting value", i);
            map.put((String) key[0], v[0]);
            i = whitespace(end);
            if (i < s.length() && s.charAt(i) == '}') {
                depth--;
                out[0] = map;
                return i + 1;
            }
            if (i >= s.length() || s.charAt(i) != ',') throw error("Expecting ',' delimiter", i);
            i = whitespace(i + 1);
        }
    }

    private int array(int i, Object[] out) {
        enter(i - 1, "array");
        List<Object> list = new ArrayList<>();
        i = whitespace(i);
        if (i < s.length() && s.charAt(i) == ']') {
            depth--;
            out[0] = list;
            return i + 1;
        }
        while (true) {
            Object[] v = new Object[1];
            int end = value(i, v);
            if (end < 0) throw error("Expecting value", i);
            list.add(v[0]);
            i = whitespace(end);
            if (i < s.length() && s.charAt(i) == ']') {
                depth--;
                out[0] = list;
                return i + 1;
            }
            if (i >= s.length() || s.charAt(i) != ',') throw error("Expecting ',' delimiter", i);
            i = whitespace(i + 1);
        }
    }

    private void enter(int at, String what) {
        if (++depth > MAX_DEPTH)
            throw new PyException("RecursionError", "maximum recursion depth exceeded while decoding a JSON " + what + " from a unicode string");
    }

    /** {@code JSONDecodeError(msg, doc, pos)}: "msg: line L column C (char pos)". */
    private PyException error(String msg, int pos) {
        int line = 1, lastNewline = -1;
        for (int k = 0; k < pos && k < s.length(); k++)
            if (s.charAt(k) == '\n') {
                line++;
                lastNewline = k;
            }
        return new PyException("JSONDecodeError", msg + ": line " + line + " column " + (pos - lastNewline) + " (char " + pos + ")");
    }

    // ---- dumps ----

    /** {@code json.dumps(value, ensure_ascii=False)} for the value types {@link #parse} returns (plus Integer/Float). */
    public static String dumps(Object value) {
        StringBuilder b = new StringBuilder();
        write(value, b);
        return b.toString();
    }

    private static void write(Object v, StringBuilder b) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof Boolean) {
            b.append((Boolean) v ? "true" : "false");
        } else if (v instanceof Double || v instanceof Float) {
            b.append(floatRepr(((Number) v).doubleValue()));
        } else if (v instanceof Number) {
            b.append(v);
        } else if (v instanceof String) {
            string((String) v, b);
        } else if (v instanceof Map) {
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                if (!first) b.append(", ");
                first = false;
                string(String.valueOf(e.getKey()), b);
                b.append(": ");
                write(e.getValue(), b);
            }
            b.append('}');
        } else if (v instanceof Collection) {
            b.append('[');
            boolean first = true;
            for (Object o : (Collection<?>) v) {
                if (!first) b.append(", ");
                first = false;
                write(o, b);
            }
            b.append(']');
        } else {
            throw new IllegalArgumentException("Object of type " + v.getClass().getSimpleName() + " is not JSON serializable");
        }
    }

    private static void string(String s, StringBuilder b) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': b.append("\\\""); break;
                case '\\': b.append("\\\\"); break;
                case '\n': b.append("\\n"); break;
                case '\r': b.append("\\r"); break;
                case '\t': b.append("\\t"); break;
                case '\b': b.append("\\b"); break;
                case '\f': b.append("\\f"); break;
                default:
                    boolean lone = Character.isHighSurrogate(c) ? i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))
                            : Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
                    // Python writes a lone surrogate raw and then cannot encode it as UTF-8; escaping keeps the value
                    if (c < 0x20 || lone) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
            }
        }
        b.append('"');
    }

    /**
     * {@code repr(x)} as {@code json.dumps} writes a float: the shortest digits that read back as {@code x} (the
     * nearest such when several), fixed notation for 1e-4 ≤ |x| < 1e16, else {@code d.ddde±XX}; {@code NaN},
     * {@code Infinity}, {@code -Infinity}.
     */
    static String floatRepr(double x) {
        if (Double.isNaN(x)) return "NaN";
        if (Double.isInfinite(x)) return x > 0 ? "Infinity" : "-Infinity";
        if (x == 0) return (1 / x < 0) ? "-0.0" : "0.0";
        BigDecimal shortest = shortestDecimal(Math.abs(x));
        String digits = shortest.unscaledValue().toString();
        int decpt = digits.length() - shortest.scale(); // x = 0.digits × 10^decpt
        StringBuilder b = new StringBuilder();
        if (x < 0) b.append('-');
        if (decpt <= -4 || decpt > 16) {
            b.append(digits.charAt(0));
            if (digits.length() > 1) b.append('.').append(digits, 1, digits.length());
            int exp = decpt - 1;
            b.append('e').append(exp < 0 ? '-' : '+');
            if (Math.abs(exp) < 10) b.append('0');
            b.append(Math.abs(exp));
        } else if (decpt <= 0) {
            b.append("0.").append("0".repeat(-decpt)).append(digits);
        } else if (decpt >= digits.length()) {
            b.append(digits).append("0".repeat(decpt - digits.length())).append(".0");
        } else {
            b.append(digits, 0, decpt).append('.').append(digits, decpt, digits.length());
        }
        return b.toString();
    }

    /** The shortest decimal that rounds to {@code x > 0}, trailing zeros stripped (David Gay's mode 0, as CPython). */
    private static BigDecimal shortestDecimal(double x) {
        BigDecimal exact = new BigDecimal(x);
        for (int p = 1; p <= 17; p++) {
            BigDecimal nearest = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            if (nearest.doubleValue() == x) return nearest.stripTrailingZeros();
            // at a power of two the gap below is half the gap above: a neighbour may read back where the nearest does not
            for (BigDecimal other : new BigDecimal[] {nearest.add(nearest.ulp()), nearest.subtract(nearest.ulp())})
                if (other.signum() > 0 && other.doubleValue() == x) return other.stripTrailingZeros();
        }
        return exact.round(MathContext.DECIMAL64).stripTrailingZeros();
    }
}

package dev.palate.models.judges;

import java.math.BigDecimal;
import java.math.BigInteger;

/** Python's {@code int()} and {@code float()} on the values the judges' parsers meet (CPython 3.11 semantics). */
final class PyNumbers {
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private PyNumbers() {}

    /** A Python int as {@link PyJson} represents it: {@link Long} when it fits, else {@link BigInteger}. */
    static Number integer(BigInteger v) {
        return v.compareTo(LONG_MIN) >= 0 && v.compareTo(LONG_MAX) <= 0 ? (Number) v.longValue() : v;
    }

    static boolean isInt(Object v) {
        return v instanceof Long || v instanceof Integer || v instanceof BigInteger || v instanceof Short || v instanceof Byte;
    }

    static boolean isFloat(Object v) {
        return v instanceof Double || v instanceof Float;
    }

    /** {@code float(v)} for a Python int: correctly rounded; {@code OverflowError} beyond the double range. */
    static double intToFloat(Object v) {
        double d = v instanceof BigInteger ? ((BigInteger) v).doubleValue() : ((Number) v).doubleValue();
        if (Double.isInfinite(d)) throw new PyException("OverflowError", "int too large to convert to float");
        return d;
    }

    /**
     * {@code float(s)} of a match of {@code [-+]?\d*\.?\d+} (Unicode {@code \d}): Python maps every decimal digit
     * (category Nd, e.g. {@code ３}, {@code ٤}) to its ASCII value before parsing.
     */
    static double floatOfNumberMatch(String s) {
        StringBuilder ascii = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            if (cp == '-' || cp == '+' || cp == '.') ascii.append((char) cp);
            else {
                int d = Character.digit(cp, 10);
                if (d < 0 || Character.getType(cp) != Character.DECIMAL_DIGIT_NUMBER)
                    throw new IllegalArgumentException("not a number match: " + s);
                ascii.append((char) ('0' + d));
            }
        });
        return Double.parseDouble(ascii.toString());
    }

    /**
     * {@code int(v)}: truncation toward zero for floats, 0/1 for bools, Python's string rules (surrounding
     * whitespace, a sign, Unicode decimal digits, single underscores between digits; at most 4300 digits).
     * Raises {@code ValueError}, {@code TypeError} or {@code OverflowError} as Python does.
     */
    static BigInteger pyInt(Object v) {
        if (v instanceof Boolean) return (Boolean) v ? BigInteger.ONE : BigInteger.ZERO;
        if (v instanceof BigInteger) return (BigInteger) v;
        if (isInt(v)) return BigInteger.valueOf(((Number) v).longValue());
        if (isFloat(v)) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d)) throw new PyException("ValueError", "cannot convert float NaN to integer");
            if (Double.isInfinite(d)) throw new PyException("OverflowError", "cannot convert float infinity to integer");
            return new BigDecimal(d).toBigInteger(); // truncates toward zero
        }
        if (v instanceof String) return intOfString((String) v);
        throw new PyException("TypeError", "int() argument must be a string, a bytes-like object or a real number, not '"
                + PyText.typeName(v) + "'");
    }

    private static BigInteger intOfString(String s) {
        String t = PyText.strip(s);
        int i = 0;
        boolean negative = false;
        if (i < t.length() && (t.charAt(i) == '+' || t.charAt(i) == '-')) {
            negative = t.charAt(i) == '-';
            i++;
        }
        StringBuilder digits = new StringBuilder();
        boolean lastWasDigit = false;
        while (i < t.length()) {
            int cp = t.codePointAt(i);
            if (cp == '_' && lastWasDigit && i + 1 < t.length()) {
                lastWasDigit = false;
                i++;
                continue;
            }
            if (Character.getType(cp) != Character.DECIMAL_DIGIT_NUMBER) throw invalidLiteral(s);
            digits.append((char) ('0' + Character.digit(cp, 10)));
            lastWasDigit = true;
            i += Character.charCount(cp);
        }
        if (digits.length() == 0 || !lastWasDigit) throw invalidLiteral(s);
        if (digits.length() > PyJson.MAX_INT_DIGITS)
            throw new PyException("ValueError", "Exceeds the limit (" + PyJson.MAX_INT_DIGITS
                    + " digits) for integer string conversion: value has " + digits.length() + " digits");
        BigInteger n = new BigInteger(digits.toString());
        return negative ? n.negate() : n;
    }

    private static PyException invalidLiteral(String s) {
        return new PyException("ValueError", "invalid literal for int() with base 10: " + PyJson.dumps(s));
    }
}

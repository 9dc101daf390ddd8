package dev.palate.tokenizers.chat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Python value semantics for the values a template sees. The mapping: Python {@code None} = Java {@code null},
 * {@code bool} = {@link Boolean}, {@code int} = {@link Long} (also accepted: Integer, Short, Byte; 64-bit, overflow is
 * an error), {@code float} = {@link Double} (also Float), {@code str} = {@link String}, {@code list} = {@link List},
 * {@code tuple} = {@link PyTuple}, {@code dict} = {@link Map} (insertion order as given), plus Jinja's
 * {@link Undefined} and {@link Namespace}. Truthiness, {@code ==}, ordering, arithmetic, {@code in}, iteration,
 * {@code len()}, {@code str()} and {@code repr()} follow CPython 3.11; anything else raises a {@link TemplateError}.
 */
final class PyValues {

    private PyValues() {}

    static boolean isInt(Object o) {
        return o instanceof Long || o instanceof Integer || o instanceof Short || o instanceof Byte;
    }

    static boolean isFloat(Object o) {
        return o instanceof Double || o instanceof Float;
    }

    /** {@code isinstance(o, numbers.Number)}: bool counts, as in Python. */
    static boolean isNumber(Object o) {
        return isInt(o) || isFloat(o) || o instanceof Boolean;
    }

    static long toLong(Object o) {
        if (o instanceof Boolean b) {
            return b ? 1 : 0;
        }
        return ((Number) o).longValue();
    }

    static double toDouble(Object o) {
        if (o instanceof Boolean b) {
            return b ? 1 : 0;
        }
        return ((Number) o).doubleValue();
    }

    static boolean isSequence(Object o) {
        return o instanceof List<?>;
    }

    /** Python's {@code type(o).__name__}. */
    static String typeName(Object o) {
        if (o == null) {
            return "NoneType";
        }
        if (o instanceof Boolean) {
            return "bool";
        }
        if (isInt(o)) {
            return "int";
        }
        if (isFloat(o)) {
            return "float";
        }
        if (o instanceof String) {
            return "str";
        }
        if (o instanceof PyTuple) {
            return "tuple";
        }
        if (o instanceof PyView v) {
            return v.pythonType;
        }
        if (o instanceof List<?>) {
            return "list";
        }
        if (o instanceof Map<?, ?>) {
            return "dict";
        }
        if (o instanceof Undefined) {
            return "Undefined";
        }
        if (o instanceof Namespace) {
            return "Namespace";
        }
        if (o instanceof PyCallable c) {
            return c.pythonType();
        }
        if (o instanceof LoopContext) {
            return "LoopContext";
        }
        return o.getClass().getSimpleName();
    }

    /** Jinja's {@code object_type_repr}: {@code 'dict object'}, {@code 'None'}. */
    static String typeDescription(Object o) {
        return o == null ? "None" : typeName(o) + " object";
    }

    static boolean truthy(Object o) {
        if (o == null || o instanceof Undefined) {
            return false;
        }
        if (o instanceof Boolean b) {
            return b;
        }
        if (isInt(o)) {
            return toLong(o) != 0;
        }
        if (isFloat(o)) {
            return toDouble(o) != 0;
        }
        if (o instanceof String s) {
            return !s.isEmpty();
        }
        if (o instanceof Collection<?> c) {
            return !c.isEmpty();
        }
        if (o instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        return true;
    }

    /** Python's {@code str(o)} as Jinja prints {@code {{ o }}}. */
    static String str(Object o) {
        if (o instanceof String s) {
            return s;
        }
        if (o instanceof Undefined) {
            return "";
        }
        return repr(o);
    }

    /** Python's {@code repr(o)}. */
    static String repr(Object o) {
        if (o == null) {
            return "None";
        }
        if (o instanceof String s) {
            return PyStrings.repr(s);
        }
        if (o instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (isInt(o)) {
            return Long.toString(toLong(o));
        }
        if (isFloat(o)) {
            return PyStrings.floatRepr(toDouble(o));
        }
        if (o instanceof PyTuple t) {
            if (t.size() == 1) {
                return "(" + repr(t.get(0)) + ",)";
            }
            return "(" + joinRepr(t) + ")";
        }
        if (o instanceof PyView v) {
            if (v.rangeText != null) {
                return v.rangeText;
            }
            throw TemplateError.unsupported("printing a " + v.pythonType + " object");
        }
        if (o instanceof List<?> l) {
            return "[" + joinRepr(l) + "]";
        }
        if (o instanceof Map<?, ?> m) {
            StringBuilder out = new StringBuilder("{");
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (out.length() > 1) {
                    out.append(", ");
                }
                out.append(repr(e.getKey())).append(": ").append(repr(e.getValue()));
            }
            return out.append('}').toString();
        }
        if (o instanceof Undefined) {
            return "Undefined";
        }
        if (o instanceof Namespace ns) {
            return "<Namespace " + repr(ns.attributes) + ">";
        }
        throw TemplateError.unsupported("printing a " + typeName(o) + " object (Python would print its repr, which Palate"
                + " cannot reproduce)");
    }

    private static String joinRepr(List<?> items) {
        StringBuilder out = new StringBuilder();
        for (Object x : items) {
            if (!out.isEmpty()) {
                out.append(", ");
            }
            out.append(repr(x));
        }
        return out.toString();
    }

    /** Python's {@code a == b} for these types (never raises; unrelated types are unequal). */
    static boolean eq(Object a, Object b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        if (a instanceof Undefined || b instanceof Undefined) {
            return a instanceof Undefined && b instanceof Undefined;
        }
        if (isNumber(a) && isNumber(b)) {
            return compareNumbers(a, b) == 0;
        }
        if (a instanceof String || b instanceof String) {
            return a.equals(b);
        }
        if (a instanceof PyView || b instanceof PyView) {
            if (a instanceof PyView va && b instanceof PyView vb && va.rangeText != null && vb.rangeText != null) {
                return listsEqual(va, vb);
            }
            return false; // dict views compare as sets and iterators by identity: never equal to what templates build
        }
        if (a instanceof List<?> la && b instanceof List<?> lb) {
            if ((a instanceof PyTuple) != (b instanceof PyTuple)) {
                return false;
            }
            return listsEqual(la, lb);
        }
        if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
            if (ma.size() != mb.size()) {
                return false;
            }
            for (Map.Entry<?, ?> e : ma.entrySet()) {
                Object key = findKey(mb, e.getKey());
                if (key == MISSING || !eq(e.getValue(), mb.get(key))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    private static boolean listsEqual(List<?> a, List<?> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!eq(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Marks "no such key" in {@link #findKey}. */
    static final Object MISSING = new Object();

    /** The key of {@code map} equal to {@code key} under Python's {@code ==} (1 == 1.0 == True), or {@link #MISSING}. */
    static Object findKey(Map<?, ?> map, Object key) {
        if (map.containsKey(key)) {
            return key;
        }
        if (key instanceof String || key instanceof Undefined) {
            return MISSING;
        }
        for (Object k : map.keySet()) {
            if (!(k instanceof String) && eq(k, key)) {
                return k;
            }
        }
        return MISSING;
    }

    /** -1, 0, 1, or 2 when unordered (NaN); int against float compares exactly, as CPython does. */
    static int compareNumbers(Object a, Object b) {
        if (!isFloat(a) && !isFloat(b)) {
            return Long.compare(toLong(a), toLong(b));
        }
        if (isFloat(a) && isFloat(b)) {
            double x = toDouble(a);
            double y = toDouble(b);
            return x < y ? -1 : x > y ? 1 : x == y ? 0 : 2;
        }
        double f = isFloat(a) ? toDouble(a) : toDouble(b);
        if (Double.isNaN(f)) {
            return 2;
        }
        if (Double.isInfinite(f)) {
            return (f > 0) == isFloat(a) ? 1 : -1;
        }
        BigDecimal left = isFloat(a) ? new BigDecimal(toDouble(a)) : BigDecimal.valueOf(toLong(a));
        BigDecimal right = isFloat(b) ? new BigDecimal(toDouble(b)) : BigDecimal.valueOf(toLong(b));
        return left.compareTo(right);
    }

    /** Python's {@code a OP b} for {@code <, <=, >, >=}: numbers, strings (by code point) and same-kind sequences. */
    static boolean order(String op, Object a, Object b) {
        if (a instanceof Undefined u) {
            throw u.fail();
        }
        if (b instanceof Undefined u) {
            throw u.fail();
        }
        int c;
        if (isNumber(a) && isNumber(b)) {
            c = compareNumbers(a, b);
            if (c == 2) {
                return false; // NaN: every ordering is false
            }
        } else if (a instanceof String x && b instanceof String y) {
            c = compareCodePoints(x, y);
        } else if (a instanceof List<?> x && b instanceof List<?> y && !(a instanceof PyView) && !(b instanceof PyView)
                && (a instanceof PyTuple) == (b instanceof PyTuple)) {
            int n = Math.min(x.size(), y.size());
            for (int i = 0; i < n; i++) {
                if (!eq(x.get(i), y.get(i))) {
                    return order(op, x.get(i), y.get(i));
                }
            }
            c = Integer.compare(x.size(), y.size());
        } else {
            throw TemplateError.type("'" + op + "' not supported between instances of '" + typeName(a) + "' and '"
                    + typeName(b) + "'");
        }
        return switch (op) {
            case "<" -> c < 0;
            case "<=" -> c <= 0;
            case ">" -> c > 0;
            case ">=" -> c >= 0;
            default -> throw new IllegalArgumentException(op);
        };
    }

    private static int compareCodePoints(String x, String y) {
        int i = 0;
        int j = 0;
        while (i < x.length() && j < y.length()) {
            int a = x.codePointAt(i);
            int b = y.codePointAt(j);
            if (a != b) {
                return Integer.compare(a, b);
            }
            i += Character.charCount(a);
            j += Character.charCount(b);
        }
        return Integer.compare(x.length() - i, y.length() - j);
    }

    /** Python's {@code item in container}. */
    static boolean contains(Object container, Object item) {
        if (container instanceof Undefined) {
            return false; // Undefined iterates as empty
        }
        if (item instanceof Undefined u && !(container instanceof List<?>)) {
            throw u.fail();
        }
        if (container instanceof String s) {
            if (!(item instanceof String sub)) {
                throw TemplateError.type("'in <string>' requires string as left operand, not " + typeName(item));
            }
            return s.contains(sub);
        }
        if (container instanceof Map<?, ?> m) {
            return findKey(m, item) != MISSING;
        }
        if (container instanceof List<?> l) {
            for (Object x : l) {
                if (eq(x, item)) {
                    return true;
                }
            }
            return false;
        }
        throw TemplateError.type("argument of type '" + typeName(container) + "' is not iterable");
    }

    /** The items a {@code for} loop (or {@code |list}) sees: list items, dict keys, string characters. */
    static List<Object> iterate(Object o) {
        if (o instanceof Undefined) {
            return List.of();
        }
        if (o instanceof List<?> l) {
            return new ArrayList<>(l);
        }
        if (o instanceof Map<?, ?> m) {
            return new ArrayList<>(m.keySet());
        }
        if (o instanceof String s) {
            List<Object> chars = new ArrayList<>();
            s.codePoints().forEach(cp -> chars.add(new String(Character.toChars(cp))));
            return chars;
        }
        if (o instanceof Iterable<?> it) {
            List<Object> items = new ArrayList<>();
            for (Iterator<?> i = it.iterator(); i.hasNext(); ) {
                items.add(i.next());
            }
            return items;
        }
        throw TemplateError.type("'" + typeName(o) + "' object is not iterable");
    }

    /** Python's {@code len(o)} (0 for Undefined, as Jinja's Undefined defines). */
    static long length(Object o) {
        if (o instanceof Undefined) {
            return 0;
        }
        if (o instanceof String s) {
            return PyStrings.length(s);
        }
        if (o instanceof PyView v && !v.sized) {
            throw TemplateError.type("object of type '" + v.pythonType + "' has no len()");
        }
        if (o instanceof Collection<?> c) {
            return c.size();
        }
        if (o instanceof Map<?, ?> m) {
            return m.size();
        }
        throw TemplateError.type("object of type '" + typeName(o) + "' has no len()");
    }

    // ---- arithmetic ----------------------------------------------------------------------------------------------

    static Object binary(String op, Object a, Object b) {
        if (a instanceof Undefined u) {
            throw u.fail();
        }
        if (b instanceof Undefined u) {
            throw u.fail();
        }
        boolean numbers = isNumber(a) && isNumber(b);
        boolean floats = numbers && (isFloat(a) || isFloat(b));
        switch (op) {
            case "+" -> {
                if (numbers) {
                    return floats ? (Object) (toDouble(a) + toDouble(b)) : exact(() -> Math.addExact(toLong(a), toLong(b)));
                }
                if (a instanceof String x && b instanceof String y) {
                    return x + y;
                }
                if (a instanceof PyTuple x && b instanceof PyTuple y) {
                    List<Object> all = new ArrayList<>(x);
                    all.addAll(y);
                    return new PyTuple(all);
                }
                if (a instanceof List<?> x && b instanceof List<?> y && plainList(a) && plainList(b)) {
                    List<Object> all = new ArrayList<>(x);
                    all.addAll(y);
                    return all;
                }
                if (a instanceof String) {
                    throw TemplateError.type("can only concatenate str (not \"" + typeName(b) + "\") to str");
                }
                if (plainList(a) || a instanceof PyTuple) {
                    throw TemplateError.type("can only concatenate " + typeName(a) + " (not \"" + typeName(b) + "\") to "
                            + typeName(a));
                }
            }
            case "-" -> {
                if (numbers) {
                    return floats ? (Object) (toDouble(a) - toDouble(b)) : exact(() -> Math.subtractExact(toLong(a), toLong(b)));
                }
            }
            case "*" -> {
                if (numbers) {
                    return floats ? (Object) (toDouble(a) * toDouble(b)) : exact(() -> Math.multiplyExact(toLong(a), toLong(b)));
                }
                Object seq = isInt(b) || b instanceof Boolean ? a : b;
                Object times = seq == a ? b : a;
                if ((isInt(times) || times instanceof Boolean) && (seq instanceof String || plainList(seq) || seq instanceof PyTuple)) {
                    long n = Math.max(0, toLong(times));
                    if (seq instanceof String s) {
                        return s.repeat(Math.toIntExact(n));
                    }
                    List<Object> all = new ArrayList<>();
                    for (long i = 0; i < n; i++) {
                        all.addAll((List<?>) seq);
                    }
                    return seq instanceof PyTuple ? new PyTuple(all) : all;
                }
            }
            case "/" -> {
                if (numbers) {
                    double y = toDouble(b);
                    if (y == 0) {
                        throw new TemplateError("ZeroDivisionError", "division by zero");
                    }
                    if (!floats && (Math.abs(toLong(a)) > (1L << 53) || Math.abs(toLong(b)) > (1L << 53))) {
                        return new BigDecimal(toLong(a)).divide(new BigDecimal(toLong(b)), java.math.MathContext.DECIMAL128)
                                .doubleValue(); // int / int is correctly rounded in CPython; below 2^53 plain division is
                    }
                    return toDouble(a) / y;
                }
            }
            case "//" -> {
                if (numbers) {
                    if (toDouble(b) == 0) {
                        throw new TemplateError("ZeroDivisionError", "integer division or modulo by zero");
                    }
                    if (floats) {
                        return Math.floor(toDouble(a) / toDouble(b)) + 0.0;
                    }
                    return Math.floorDiv(toLong(a), toLong(b));
                }
            }
            case "%" -> {
                if (numbers) {
                    if (toDouble(b) == 0) {
                        throw new TemplateError("ZeroDivisionError", "integer division or modulo by zero");
                    }
                    if (floats) {
                        double x = toDouble(a);
                        double y = toDouble(b);
                        double m = x % y;
                        if (m != 0 && ((m < 0) != (y < 0))) {
                            m += y;
                        }
                        return m == 0 ? Math.copySign(0.0, y) : m;
                    }
                    return Math.floorMod(toLong(a), toLong(b));
                }
                if (a instanceof String) {
                    throw TemplateError.unsupported("printf-style string formatting ('...' % value)");
                }
            }
            case "**" -> {
                if (numbers) {
                    if (!floats && toLong(b) >= 0) {
                        long base = toLong(a);
                        long result = 1;
                        for (long i = 0; i < toLong(b); i++) {
                            long r = result;
                            result = exact(() -> Math.multiplyExact(r, base));
                        }
                        return result;
                    }
                    double base = toDouble(a);
                    double exponent = toDouble(b);
                    if (base < 0 && exponent != Math.rint(exponent)) {
                        throw TemplateError.unsupported("complex results of ** (a negative base to a fractional power)");
                    }
                    if (base == 0 && exponent < 0) {
                        throw new TemplateError("ZeroDivisionError", "0.0 cannot be raised to a negative power");
                    }
                    return Math.pow(base, exponent);
                }
            }
            default -> throw new IllegalArgumentException(op);
        }
        throw TemplateError.type("unsupported operand type(s) for " + op + ": '" + typeName(a) + "' and '" + typeName(b) + "'");
    }

    static Object negate(Object a, boolean minus) {
        if (a instanceof Undefined u) {
            throw u.fail();
        }
        if (isFloat(a)) {
            return minus ? -toDouble(a) : toDouble(a);
        }
        if (isInt(a) || a instanceof Boolean) {
            return minus ? exact(() -> Math.negateExact(toLong(a))) : toLong(a);
        }
        throw TemplateError.type("bad operand type for unary " + (minus ? "-" : "+") + ": '" + typeName(a) + "'");
    }

    private static boolean plainList(Object o) {
        return o instanceof List<?> && !(o instanceof PyTuple) && !(o instanceof PyView);
    }

    private interface LongOp {
        long get();
    }

    private static long exact(LongOp op) {
        try {
            return op.get();
        } catch (ArithmeticException e) {
            throw TemplateError.unsupported("integer arithmetic beyond 64 bits");
        }
    }
}

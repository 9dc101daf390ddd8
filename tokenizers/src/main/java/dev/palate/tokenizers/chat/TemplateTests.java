package dev.palate.tokenizers.chat;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** The {@code is} tests of jinja2/tests.py ({@code TESTS}) that Palate implements; the rest are refused at parse time. */
final class TemplateTests {

    private TemplateTests() {}

    static final Set<String> SUPPORTED = Set.of("odd", "even", "divisibleby", "defined", "undefined", "none", "boolean",
            "false", "true", "integer", "float", "lower", "upper", "string", "mapping", "number", "sequence", "iterable",
            "callable", "sameas", "in", "==", "eq", "equalto", "!=", "ne", ">", "gt", "greaterthan", "ge", ">=", "<", "lt",
            "lessthan", "<=", "le");
    private static final Set<String> JINJA_ONLY = Set.of("filter", "test", "escaped");

    static void checkSupported(String name, int line, String origin) {
        if (SUPPORTED.contains(name)) {
            return;
        }
        String why = JINJA_ONLY.contains(name) ? "the Jinja test '" + name + "' is not supported by Palate's chat"
                + " template renderer" : "No test named '" + name + "'";
        throw new ChatTemplateException(origin + " line " + line + ": " + why, line, false);
    }

    static boolean apply(String name, Object v, Args args) {
        return switch (name) {
            case "defined" -> !(none(args, v) instanceof Undefined);
            case "undefined" -> none(args, v) instanceof Undefined;
            case "none" -> none(args, v) == null;
            case "boolean" -> none(args, v) instanceof Boolean;
            case "true" -> Boolean.TRUE.equals(none(args, v));
            case "false" -> Boolean.FALSE.equals(none(args, v));
            case "integer" -> PyValues.isInt(none(args, v));
            case "float" -> PyValues.isFloat(none(args, v));
            case "number" -> PyValues.isNumber(none(args, v));
            case "string" -> none(args, v) instanceof String;
            case "mapping" -> none(args, v) instanceof Map<?, ?>;
            // len() and __getitem__: str, list, tuple, dict, range, and Jinja's Undefined (which defines both)
            case "sequence" -> none(args, v) instanceof String || v instanceof Map<?, ?> || v instanceof Undefined
                    || (v instanceof List<?> && !(v instanceof PyView pv && pv.rangeText == null));
            // iter() succeeds
            case "iterable" -> none(args, v) instanceof String || v instanceof Map<?, ?> || v instanceof List<?>
                    || v instanceof Undefined || v instanceof LoopContext;
            // Undefined and LoopContext define __call__
            case "callable" -> none(args, v) instanceof PyCallable || v instanceof Undefined || v instanceof LoopContext;
            case "odd" -> PyValues.eq(PyValues.binary("%", none(args, v), 2L), 1L);
            case "even" -> PyValues.eq(PyValues.binary("%", none(args, v), 2L), 0L);
            case "divisibleby" -> PyValues.eq(PyValues.binary("%", v, args.supported("num").required(0, "num")), 0L);
            case "lower" -> casedAll(PyValues.str(none(args, v)), true);
            case "upper" -> casedAll(PyValues.str(none(args, v)), false);
            case "sameas" -> sameAs(v, args.supported("other").required(0, "other"));
            case "in" -> PyValues.contains(args.supported("seq").required(0, "seq"), v);
            case "==", "eq", "equalto" -> PyValues.eq(v, args.supported("b").required(0, "b"));
            case "!=", "ne" -> !PyValues.eq(v, args.supported("b").required(0, "b"));
            case ">", "gt", "greaterthan" -> PyValues.order(">", v, args.supported("b").required(0, "b"));
            case ">=", "ge" -> PyValues.order(">=", v, args.supported("b").required(0, "b"));
            case "<", "lt", "lessthan" -> PyValues.order("<", v, args.supported("b").required(0, "b"));
            case "<=", "le" -> PyValues.order("<=", v, args.supported("b").required(0, "b"));
            default -> throw new IllegalStateException("test " + name + " passed checkSupported but has no implementation");
        };
    }

    private static Object none(Args args, Object value) {
        args.supported();
        return value;
    }

    /** Python's {@code is}: None, bools and the small-int cache are singletons; otherwise Java identity. */
    private static boolean sameAs(Object a, Object b) {
        if (a == null || b == null || a instanceof Boolean || b instanceof Boolean) {
            return a == b || (a instanceof Boolean && a.equals(b));
        }
        if (PyValues.isInt(a) && PyValues.isInt(b)) {
            long x = PyValues.toLong(a);
            if (x >= -5 && x <= 256) {
                return x == PyValues.toLong(b);
            }
        }
        if (a instanceof String || PyValues.isNumber(a)) {
            throw TemplateError.unsupported("'sameas' on a str or number (Python's result depends on interning)");
        }
        return a == b;
    }

    /** {@code str.islower()} / {@code str.isupper()}: at least one cased character and all cased ones in that case. */
    private static boolean casedAll(String s, boolean lower) {
        boolean cased = false;
        for (int cp : s.codePoints().toArray()) {
            boolean isLower = Character.isLowerCase(cp);
            boolean isUpper = Character.isUpperCase(cp) || Character.isTitleCase(cp);
            if (lower ? isUpper : (isLower || Character.isTitleCase(cp))) {
                return false;
            }
            cased |= lower ? isLower : isUpper;
        }
        return cased;
    }
}

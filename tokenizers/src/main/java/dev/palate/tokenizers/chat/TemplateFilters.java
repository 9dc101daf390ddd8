package dev.palate.tokenizers.chat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The filters Palate implements, each as jinja2/filters.py does it with autoescape off (the chat-template
 * environment's setting), and {@code tojson} as transformers overrides it. Jinja's other built-in filters are
 * refused at parse time by name.
 */
final class TemplateFilters {

    private TemplateFilters() {}

    static final Set<String> SUPPORTED = Set.of("abs", "capitalize", "count", "d", "default", "first", "float", "int",
            "items", "join", "last", "length", "list", "lower", "replace", "reverse", "safe", "string", "tojson", "trim",
            "upper");
    /** jinja2/filters.py {@code FILTERS}: known to Jinja, not implemented here. */
    private static final Set<String> JINJA_ONLY = Set.of("attr", "batch", "center", "dictsort", "e", "escape",
            "filesizeformat", "forceescape", "format", "groupby", "indent", "map", "min", "max", "pprint", "random",
            "reject", "rejectattr", "round", "select", "selectattr", "slice", "sort", "striptags", "sum", "title",
            "truncate", "unique", "urlencode", "urlize", "wordcount", "wordwrap", "xmlattr");

    static void checkSupported(String name, int line, String origin) {
        if (SUPPORTED.contains(name)) {
            return;
        }
        String why = JINJA_ONLY.contains(name) ? "the Jinja filter '" + name + "' is not supported by Palate's chat"
                + " template renderer (supported: " + String.join(", ", SUPPORTED.stream().sorted().toList()) + ")"
                : "No filter named '" + name + "'";
        throw new ChatTemplateException(origin + " line " + line + ": " + why, line, false);
    }

    static Object apply(String name, Object value, Args args) {
        return switch (name) {
            case "length", "count" -> PyValues.length(noArgs(args, value));
            case "string", "safe" -> PyValues.str(noArgs(args, value));
            case "trim" -> PyStrings.strip(PyValues.str(value), args.supported("chars").optionalString(0, "chars"), true, true);
            case "lower" -> PyStrings.lower(PyValues.str(noArgs(args, value)));
            case "upper" -> PyStrings.upper(PyValues.str(noArgs(args, value)));
            case "capitalize" -> PyStrings.capitalize(PyValues.str(noArgs(args, value)));
            case "default", "d" -> {
                args.supported("default_value", "boolean");
                boolean useDefault = value instanceof Undefined
                        || (PyValues.truthy(args.get(1, "boolean", false)) && !PyValues.truthy(value));
                yield useDefault ? args.get(0, "default_value", "") : value;
            }
            case "tojson" -> {
                args.supported("ensure_ascii", "indent", "separators", "sort_keys");
                yield PyJson.dumps(value, PyValues.truthy(args.get(0, "ensure_ascii", false)), args.get(1, "indent", null),
                        args.get(2, "separators", null), PyValues.truthy(args.get(3, "sort_keys", false)));
            }
            case "items" -> {
                noArgs(args, value);
                if (value instanceof Undefined) {
                    yield PyView.iterator("generator", List.of());
                }
                if (!(value instanceof Map<?, ?> m)) {
                    throw TemplateError.type("Can only get item pairs from a mapping.");
                }
                List<Object> pairs = new ArrayList<>();
                m.forEach((k, v) -> pairs.add(new PyTuple(java.util.Arrays.asList(k, v))));
                yield PyView.iterator("generator", pairs);
            }
            case "list" -> PyValues.iterate(noArgs(args, value));
            case "first" -> {
                List<Object> items = PyValues.iterate(noArgs(args, value));
                yield items.isEmpty() ? Undefined.plain() : items.get(0);
            }
            case "last" -> {
                noArgs(args, value);
                if (value instanceof PyView v && !v.sized) {
                    throw TemplateError.type("'" + v.pythonType + "' object is not reversible");
                }
                if (!(value instanceof String || value instanceof List<?> || value instanceof Map<?, ?> || value instanceof Undefined)) {
                    throw TemplateError.type("'" + PyValues.typeName(value) + "' object is not reversible");
                }
                List<Object> items = PyValues.iterate(value);
                yield items.isEmpty() ? Undefined.plain() : items.get(items.size() - 1);
            }
            case "reverse" -> {
                noArgs(args, value);
                if (value instanceof String s) {
                    yield new StringBuilder(s).reverse().toString(); // surrogate pairs stay in order, as code points
                }
                List<Object> items = PyValues.iterate(value);
                Collections.reverse(items);
                boolean reversible = value instanceof List<?> && !(value instanceof PyView v && !v.sized) || value instanceof Map<?, ?>;
                yield reversible ? PyView.iterator("reversed", items) : items;
            }
            case "join" -> {
                args.supported("d");
                yield joinExact(PyValues.iterate(value), PyValues.str(args.get(0, "d", "")));
            }
            case "replace" -> {
                args.supported("old", "new", "count");
                Object count = args.get(2, "count", null);
                yield PyStrings.replace(PyValues.str(value), PyValues.str(args.required(0, "old")),
                        PyValues.str(args.required(1, "new")), count == null ? -1 : PyValues.toLong(count));
            }
            case "abs" -> {
                noArgs(args, value);
                if (PyValues.isFloat(value)) {
                    yield Math.abs(PyValues.toDouble(value));
                }
                if (PyValues.isInt(value) || value instanceof Boolean) {
                    yield PyValues.negate(value, PyValues.toLong(value) < 0);
                }
                throw TemplateError.type("bad operand type for abs(): '" + PyValues.typeName(value) + "'");
            }
            case "int" -> toInt(value, args.supported("default", "base"));
            case "float" -> toFloat(value, args.supported("default").get(0, "default", 0.0));
            default -> throw new IllegalStateException("filter " + name + " passed checkSupported but has no implementation");
        };
    }

    private static String joinExact(List<Object> items, String separator) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.append(separator);
            }
            out.append(PyValues.str(items.get(i)));
        }
        return out.toString();
    }

    private static Object noArgs(Args args, Object value) {
        args.supported();
        return value;
    }

    /** Python's {@code int(str)} syntax (base 10) and {@code float(str)} syntax, ASCII digits. */
    private static final Pattern INT_TEXT = Pattern.compile("[+-]?\\d+(?:_\\d+)*");
    private static final Pattern FLOAT_TEXT = Pattern.compile(
            "[+-]?(?:(?:\\d+(?:_\\d+)*)?\\.\\d+(?:_\\d+)*|\\d+(?:_\\d+)*\\.?)(?:[eE][+-]?\\d+(?:_\\d+)*)?");
    private static final Pattern FLOAT_SPECIAL = Pattern.compile("[+-]?(?:inf|infinity|nan)", Pattern.CASE_INSENSITIVE);

    /** jinja2 {@code do_int}: int(value), else int(float(value)), else the default. */
    private static Object toInt(Object value, Args args) {
        Object fallback = args.get(0, "default", 0L);
        if (args.integer(1, "base", 10) != 10) {
            throw TemplateError.unsupported("the int filter with a base other than 10");
        }
        if (value instanceof Undefined u) {
            throw u.fail();
        }
        if (value instanceof Boolean || PyValues.isInt(value)) {
            return PyValues.toLong(value);
        }
        if (PyValues.isFloat(value)) {
            return truncate(PyValues.toDouble(value), fallback);
        }
        if (value instanceof String s) {
            String text = PyStrings.strip(s, null, true, true);
            if (INT_TEXT.matcher(text).matches()) {
                try {
                    return Long.parseLong(text.replace("_", ""));
                } catch (NumberFormatException e) {
                    throw TemplateError.unsupported("integers beyond 64 bits");
                }
            }
            Object f = parseFloat(s);
            return f == null ? fallback : truncate((Double) f, fallback);
        }
        return fallback;
    }

    private static Object truncate(double d, Object fallback) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return fallback;
        }
        if (Math.abs(d) >= 0x1p63) {
            throw TemplateError.unsupported("integers beyond 64 bits");
        }
        return (long) d;
    }

    /** jinja2 {@code do_float}: float(value), else the default. */
    private static Object toFloat(Object value, Object fallback) {
        if (value instanceof Undefined u) {
            throw u.fail();
        }
        if (PyValues.isNumber(value)) {
            return PyValues.toDouble(value);
        }
        if (value instanceof String s) {
            Object f = parseFloat(s);
            return f == null ? fallback : f;
        }
        return fallback;
    }

    private static Double parseFloat(String s) {
        String text = PyStrings.strip(s, null, true, true);
        if (FLOAT_SPECIAL.matcher(text).matches()) {
            boolean negative = text.startsWith("-");
            return text.toLowerCase(java.util.Locale.ROOT).contains("nan") ? Double.NaN
                    : negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (!FLOAT_TEXT.matcher(text).matches()) {
            return null;
        }
        return Double.parseDouble(text.replace("_", ""));
    }
}

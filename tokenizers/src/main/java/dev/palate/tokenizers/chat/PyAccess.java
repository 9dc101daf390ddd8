package dev.palate.tokenizers.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code obj.name} and {@code obj[key]} as Jinja2's {@code ImmutableSandboxedEnvironment} resolves them
 * (jinja2/sandbox.py {@code getattr}/{@code getitem}): an attribute wins over an item for {@code .name}, an item
 * wins for {@code [key]}, a missing one is {@link Undefined}; methods that mutate a list or dict are "unsafe"
 * (an Undefined that raises {@code SecurityError} when used). The Python methods templates call on {@code str},
 * {@code dict}, {@code list} and {@code tuple} are implemented here; Python's other methods are refused by name.
 */
final class PyAccess {

    private PyAccess() {}

    /** Python 3.11's public {@code str} attributes (dir(str)); those not implemented below are refused. */
    private static final Set<String> STR_ATTRIBUTES = Set.of("capitalize", "casefold", "center", "count", "encode",
            "endswith", "expandtabs", "find", "format", "format_map", "index", "isalnum", "isalpha", "isascii",
            "isdecimal", "isdigit", "isidentifier", "islower", "isnumeric", "isprintable", "isspace", "istitle",
            "isupper", "join", "ljust", "lower", "lstrip", "maketrans", "partition", "removeprefix", "removesuffix",
            "replace", "rfind", "rindex", "rjust", "rpartition", "rsplit", "rstrip", "split", "splitlines",
            "startswith", "strip", "swapcase", "title", "translate", "upper", "zfill");
    private static final Set<String> DICT_ATTRIBUTES = Set.of("clear", "copy", "fromkeys", "get", "items", "keys",
            "pop", "popitem", "setdefault", "update", "values");
    /** jinja2/sandbox.py {@code _mutable_spec}: the methods the immutable sandbox blocks. */
    private static final Set<String> DICT_MUTATORS = Set.of("clear", "pop", "popitem", "setdefault", "update");
    private static final Set<String> LIST_ATTRIBUTES = Set.of("append", "clear", "copy", "count", "extend", "index",
            "insert", "pop", "remove", "reverse", "sort");
    private static final Set<String> LIST_MUTATORS = Set.of("append", "clear", "pop", "reverse", "insert", "sort",
            "extend", "remove");
    private static final Set<String> NUMBER_ATTRIBUTES = Set.of("as_integer_ratio", "bit_count", "bit_length",
            "conjugate", "denominator", "from_bytes", "imag", "numerator", "real", "to_bytes", "fromhex", "hex",
            "is_integer");

    /** {@code obj.name}. */
    static Object getattr(Object obj, String name) {
        if (obj instanceof Undefined u) {
            throw u.fail();
        }
        Object attribute = attribute(obj, name);
        if (attribute != PyValues.MISSING) {
            return attribute;
        }
        Object item = subscript(obj, name);
        return item != PyValues.MISSING ? item : Undefined.attribute(obj, name);
    }

    /** {@code obj[key]}; {@code key} may be a {@link Slice}. */
    static Object getitem(Object obj, Object key) {
        if (obj instanceof Undefined u) {
            throw u.fail();
        }
        Object item = subscript(obj, key);
        if (item != PyValues.MISSING) {
            return item;
        }
        if (key instanceof String name) {
            Object attribute = attribute(obj, name);
            if (attribute != PyValues.MISSING) {
                return attribute;
            }
        }
        return Undefined.item(obj, key);
    }

    /** A slice {@code [start:stop:step]}; each part null when omitted. */
    record Slice(Object start, Object stop, Object step) {}

    /** {@code obj[key]} in Python, or MISSING where Python raises TypeError/LookupError (Jinja then tries getattr). */
    private static Object subscript(Object obj, Object key) {
        if (obj instanceof Map<?, ?> m) {
            if (key instanceof Slice) {
                throw TemplateError.type("unhashable type: 'slice'");
            }
            Object k = PyValues.findKey(m, key);
            return k == PyValues.MISSING ? PyValues.MISSING : m.get(k);
        }
        if (obj instanceof String || (obj instanceof List<?> && !(obj instanceof PyView v && v.rangeText == null))) {
            if (key instanceof Slice s) {
                if (obj instanceof PyView) {
                    throw TemplateError.unsupported("slicing a range");
                }
                return slice(obj, s);
            }
            if (!(PyValues.isInt(key) || key instanceof Boolean)) {
                return PyValues.MISSING;
            }
            long n = PyValues.length(obj);
            long i = PyValues.toLong(key);
            if (i < 0) {
                i += n;
            }
            if (i < 0 || i >= n) {
                return PyValues.MISSING;
            }
            if (obj instanceof String s) {
                int at = s.offsetByCodePoints(0, (int) i);
                return new String(Character.toChars(s.codePointAt(at)));
            }
            return ((List<?>) obj).get((int) i);
        }
        return PyValues.MISSING;
    }

    /** CPython's {@code PySlice_AdjustIndices} applied to a str, list or tuple. */
    private static Object slice(Object seq, Slice s) {
        long n = PyValues.length(seq);
        long step = s.step() == null ? 1 : sliceIndex(s.step());
        if (step == 0) {
            throw TemplateError.value("slice step cannot be zero");
        }
        long lower = step > 0 ? 0 : -1;
        long upper = step > 0 ? n : n - 1;
        long start = s.start() == null ? (step < 0 ? upper : lower) : clamp(sliceIndex(s.start()), n, lower, upper);
        long stop = s.stop() == null ? (step < 0 ? lower : upper) : clamp(sliceIndex(s.stop()), n, lower, upper);
        if (seq instanceof String str) {
            int[] cps = PyStrings.codePoints(str);
            StringBuilder out = new StringBuilder();
            for (long i = start; step > 0 ? i < stop : i > stop; i += step) {
                out.appendCodePoint(cps[(int) i]);
            }
            return out.toString();
        }
        List<?> items = (List<?>) seq;
        List<Object> picked = new ArrayList<>();
        for (long i = start; step > 0 ? i < stop : i > stop; i += step) {
            picked.add(items.get((int) i));
        }
        return seq instanceof PyTuple ? new PyTuple(picked) : picked;
    }

    private static long sliceIndex(Object v) {
        if (PyValues.isInt(v) || v instanceof Boolean) {
            return PyValues.toLong(v);
        }
        if (v instanceof Undefined u) {
            throw u.fail();
        }
        throw TemplateError.type("slice indices must be integers or None or have an __index__ method");
    }

    private static long clamp(long i, long n, long lower, long upper) {
        if (i < 0) {
            i += n;
            return Math.max(i, lower);
        }
        return Math.min(i, upper);
    }

    /** Python's {@code getattr(obj, name)} with the sandbox's checks, or MISSING for AttributeError. */
    private static Object attribute(Object obj, String name) {
        if (name.startsWith("_")) {
            return PyValues.MISSING; // the sandbox hides private and dunder attributes
        }
        if (obj instanceof Namespace ns) {
            return ns.attributes.containsKey(name) ? ns.attributes.get(name) : PyValues.MISSING;
        }
        if (obj instanceof LoopContext loop) {
            return loop.attribute(name);
        }
        if (obj instanceof String s) {
            return STR_ATTRIBUTES.contains(name) ? stringMethod(s, name) : PyValues.MISSING;
        }
        if (obj instanceof Map<?, ?> m) {
            if (!DICT_ATTRIBUTES.contains(name)) {
                return PyValues.MISSING;
            }
            return DICT_MUTATORS.contains(name) ? Undefined.unsafe(obj, name) : dictMethod(m, name);
        }
        if (obj instanceof PyView) {
            return PyValues.MISSING;
        }
        if (obj instanceof PyTuple t) {
            return name.equals("count") || name.equals("index") ? sequenceMethod(t, name) : PyValues.MISSING;
        }
        if (obj instanceof List<?> l) {
            if (!LIST_ATTRIBUTES.contains(name)) {
                return PyValues.MISSING;
            }
            if (LIST_MUTATORS.contains(name)) {
                return Undefined.unsafe(obj, name);
            }
            return sequenceMethod(l, name);
        }
        if (PyValues.isNumber(obj)) {
            if (NUMBER_ATTRIBUTES.contains(name)) {
                throw TemplateError.unsupported("the attribute '" + name + "' of " + PyValues.typeName(obj));
            }
            return PyValues.MISSING;
        }
        if (obj == null || obj instanceof PyCallable) {
            return PyValues.MISSING;
        }
        throw TemplateError.unsupported("reading the attribute '" + name + "' of a Java " + obj.getClass().getName());
    }

    private static PyCallable stringMethod(String s, String name) {
        String function = "str." + name;
        return switch (name) {
            case "startswith", "endswith" -> args -> {
                Object affix = args.supported("prefix").required(0, "prefix");
                List<?> options = affix instanceof PyTuple t ? t : List.of(affix);
                for (Object o : options) {
                    if (!(o instanceof String a)) {
                        throw TemplateError.type(name + " first arg must be str or a tuple of str, not " + PyValues.typeName(o));
                    }
                    if (name.equals("startswith") ? s.startsWith(a) : s.endsWith(a)) {
                        return true;
                    }
                }
                return false;
            };
            case "strip", "lstrip", "rstrip" -> args -> PyStrings.strip(s, args.supported("chars").optionalString(0, "chars"),
                    !name.equals("rstrip"), !name.equals("lstrip"));
            case "split", "rsplit" -> args -> {
                args.supported("sep", "maxsplit");
                String sep = args.optionalString(0, "sep");
                long max = args.integer(1, "maxsplit", -1);
                return name.equals("split") ? PyStrings.split(s, sep, max) : PyStrings.rsplit(s, sep, max);
            };
            case "replace" -> args -> {
                args.supported("old", "new", "count");
                return PyStrings.replace(s, args.string(0, "old"), args.string(1, "new"), args.integer(2, "count", -1));
            };
            case "upper" -> args -> PyStrings.upper(s);
            case "lower" -> args -> PyStrings.lower(s);
            case "capitalize" -> args -> PyStrings.capitalize(s);
            case "find", "rfind" -> args -> PyStrings.find(s, args.supported("sub").string(0, "sub"), name.equals("rfind"));
            case "count" -> args -> PyStrings.count(s, args.supported("sub").string(0, "sub"));
            case "removeprefix" -> args -> {
                String p = args.supported("prefix").string(0, "prefix");
                return s.startsWith(p) ? s.substring(p.length()) : s;
            };
            case "removesuffix" -> args -> {
                String p = args.supported("suffix").string(0, "suffix");
                return !p.isEmpty() && s.endsWith(p) ? s.substring(0, s.length() - p.length()) : s;
            };
            case "join" -> args -> {
                List<Object> items = PyValues.iterate(args.supported("iterable").required(0, "iterable"));
                StringBuilder out = new StringBuilder();
                for (int i = 0; i < items.size(); i++) {
                    if (!(items.get(i) instanceof String item)) {
                        throw TemplateError.type("sequence item " + i + ": expected str instance, "
                                + PyValues.typeName(items.get(i)) + " found");
                    }
                    if (i > 0) {
                        out.append(s);
                    }
                    out.append(item);
                }
                return out.toString();
            };
            default -> throw TemplateError.unsupported("the Python string method " + function + "()");
        };
    }

    private static PyCallable dictMethod(Map<?, ?> m, String name) {
        return switch (name) {
            case "get" -> args -> {
                args.supported("key", "default");
                Object k = PyValues.findKey(m, args.required(0, "key"));
                return k == PyValues.MISSING ? args.get(1, "default", null) : m.get(k);
            };
            case "items" -> args -> {
                args.supported();
                List<Object> pairs = new ArrayList<>();
                m.forEach((k, v) -> pairs.add(new PyTuple(java.util.Arrays.asList(k, v))));
                return PyView.view("dict_items", pairs);
            };
            case "keys" -> args -> {
                args.supported();
                return PyView.view("dict_keys", new ArrayList<>(m.keySet()));
            };
            case "values" -> args -> {
                args.supported();
                return PyView.view("dict_values", new ArrayList<>(m.values()));
            };
            default -> throw TemplateError.unsupported("the Python dict method dict." + name + "()");
        };
    }

    private static PyCallable sequenceMethod(List<?> l, String name) {
        return switch (name) {
            case "count" -> args -> {
                Object x = args.supported("value").required(0, "value");
                return l.stream().filter(y -> PyValues.eq(y, x)).count();
            };
            case "index" -> args -> {
                Object x = args.supported("value").required(0, "value");
                for (int i = 0; i < l.size(); i++) {
                    if (PyValues.eq(l.get(i), x)) {
                        return (long) i;
                    }
                }
                throw TemplateError.value(PyValues.repr(x) + " is not in list");
            };
            default -> throw TemplateError.unsupported("the Python list method list." + name + "()");
        };
    }
}

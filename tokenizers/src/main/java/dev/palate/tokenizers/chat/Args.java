package dev.palate.tokenizers.chat;

import java.util.List;
import java.util.Map;

/**
 * The arguments of one call, filter or test, read the way Python binds them: by position or by keyword, with
 * defaults. Arguments Palate does not implement for a function are refused by {@link #supported}, never ignored.
 */
final class Args {

    final String function;
    final List<Object> positional;
    final Map<String, Object> keywords;

    Args(String function, List<Object> positional, Map<String, Object> keywords) {
        this.function = function;
        this.positional = positional;
        this.keywords = keywords;
    }

    /** Refuses positional arguments beyond {@code names.length} and keywords not in {@code names}. */
    Args supported(String... names) {
        if (positional.size() > names.length) {
            throw TemplateError.unsupported(function + "() with " + positional.size() + " positional argument(s)");
        }
        for (String k : keywords.keySet()) {
            if (!List.of(names).contains(k)) {
                throw TemplateError.unsupported("the '" + k + "' argument of " + function + "()");
            }
        }
        return this;
    }

    /** The argument at {@code index} or named {@code name}, else {@code fallback}. */
    Object get(int index, String name, Object fallback) {
        boolean byPosition = index < positional.size();
        if (byPosition && keywords.containsKey(name)) {
            throw TemplateError.type(function + "() got multiple values for argument '" + name + "'");
        }
        if (byPosition) {
            return positional.get(index);
        }
        return keywords.containsKey(name) ? keywords.get(name) : fallback;
    }

    Object required(int index, String name) {
        Object v = get(index, name, MISSING);
        if (v == MISSING) {
            throw TemplateError.type(function + "() missing required argument '" + name + "'");
        }
        return v;
    }

    String string(int index, String name) {
        Object v = required(index, name);
        if (v instanceof String s) {
            return s;
        }
        throw TemplateError.type(function + "() argument '" + name + "' must be str, not " + PyValues.typeName(v));
    }

    /** A {@code str} or {@code None} argument (None given or absent → null). */
    String optionalString(int index, String name) {
        Object v = get(index, name, null);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw TemplateError.type(function + "() argument '" + name + "' must be str or None, not " + PyValues.typeName(v));
    }

    long integer(int index, String name, long fallback) {
        Object v = get(index, name, fallback);
        if (PyValues.isInt(v) || v instanceof Boolean) {
            return PyValues.toLong(v);
        }
        throw TemplateError.type(function + "() argument '" + name + "' must be int, not " + PyValues.typeName(v));
    }

    static final Object MISSING = new Object();
}

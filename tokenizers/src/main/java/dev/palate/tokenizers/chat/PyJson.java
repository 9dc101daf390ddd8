package dev.palate.tokenizers.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code json.dumps(x, ensure_ascii, indent, separators, sort_keys)} (json/encoder.py), which is what
 * transformers' chat-template {@code tojson} filter calls (utils/chat_template_utils.py, default
 * {@code ensure_ascii=False}): {@code ", "}/{@code ": "} separators (item separator {@code ","} once indenting),
 * floats as {@code repr}, {@code NaN}/{@code Infinity}, non-string keys converted, insertion order unless sorted.
 */
final class PyJson {

    private final boolean ensureAscii;
    private final String indent;
    private final String itemSeparator;
    private final String keySeparator;
    private final boolean sortKeys;

    private PyJson(boolean ensureAscii, String indent, String itemSeparator, String keySeparator, boolean sortKeys) {
        this.ensureAscii = ensureAscii;
        this.indent = indent;
        this.itemSeparator = itemSeparator;
        this.keySeparator = keySeparator;
        this.sortKeys = sortKeys;
    }

    /** {@code indent}: null, an int (spaces) or a str; {@code separators}: null or a 2-item list/tuple of str. */
    static String dumps(Object value, boolean ensureAscii, Object indent, Object separators, boolean sortKeys) {
        String indentText = null;
        if (indent instanceof String s) {
            indentText = s;
        } else if (PyValues.isInt(indent)) {
            indentText = " ".repeat((int) Math.max(0, PyValues.toLong(indent)));
        } else if (indent != null) {
            throw TemplateError.type("tojson indent must be an int, a str or None, not " + PyValues.typeName(indent));
        }
        String item = indentText == null ? ", " : ",";
        String key = ": ";
        if (separators != null) {
            if (!(separators instanceof List<?> l) || l.size() != 2 || !(l.get(0) instanceof String)
                    || !(l.get(1) instanceof String)) {
                throw TemplateError.type("tojson separators must be a pair of str");
            }
            item = (String) l.get(0);
            key = (String) l.get(1);
        }
        StringBuilder out = new StringBuilder();
        new PyJson(ensureAscii, indentText, item, key, sortKeys).write(value, out, 0);
        return out.toString();
    }

    private void write(Object o, StringBuilder out, int level) {
        if (o == null) {
            out.append("null");
        } else if (o instanceof Boolean b) {
            out.append(b ? "true" : "false");
        } else if (PyValues.isInt(o)) {
            out.append(PyValues.toLong(o));
        } else if (PyValues.isFloat(o)) {
            out.append(floatText(PyValues.toDouble(o)));
        } else if (o instanceof String s) {
            string(s, out);
        } else if (o instanceof List<?> l && !(o instanceof PyView)) {
            if (l.isEmpty()) {
                out.append("[]");
                return;
            }
            out.append('[');
            for (int i = 0; i < l.size(); i++) {
                out.append(i == 0 ? "" : itemSeparator);
                newline(out, level + 1);
                write(l.get(i), out, level + 1);
            }
            newline(out, level);
            out.append(']');
        } else if (o instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                out.append("{}");
                return;
            }
            List<Map.Entry<?, ?>> entries = new ArrayList<>(m.entrySet());
            if (sortKeys) {
                entries.sort((a, b) -> PyValues.eq(a.getKey(), b.getKey()) ? 0
                        : PyValues.order("<", a.getKey(), b.getKey()) ? -1 : 1);
            }
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : entries) {
                out.append(first ? "" : itemSeparator);
                first = false;
                newline(out, level + 1);
                string(keyText(e.getKey()), out);
                out.append(keySeparator);
                write(e.getValue(), out, level + 1);
            }
            newline(out, level);
            out.append('}');
        } else {
            throw TemplateError.type("Object of type " + PyValues.typeName(o) + " is not JSON serializable");
        }
    }

    private void newline(StringBuilder out, int level) {
        if (indent != null) {
            out.append('\n').append(indent.repeat(level));
        }
    }

    private static String floatText(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        return PyStrings.floatRepr(d);
    }

    /** json/encoder.py: str keys as they are; float, int, bool and None keys converted; anything else a TypeError. */
    private static String keyText(Object k) {
        if (k instanceof String s) {
            return s;
        }
        if (PyValues.isFloat(k)) {
            return floatText(PyValues.toDouble(k));
        }
        if (k instanceof Boolean b) {
            return b ? "true" : "false";
        }
        if (k == null) {
            return "null";
        }
        if (PyValues.isInt(k)) {
            return Long.toString(PyValues.toLong(k));
        }
        throw TemplateError.type("keys must be str, int, float, bool or None, not " + PyValues.typeName(k));
    }

    /** json/encoder.py {@code py_encode_basestring(_ascii)}. */
    private void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || (ensureAscii && c > 0x7E)) {
                        out.append(String.format("\\u%04x", (int) c)); // UTF-16 units: surrogate pairs as Python writes them
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}

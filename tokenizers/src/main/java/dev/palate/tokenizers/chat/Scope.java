package dev.palate.tokenizers.chat;

import java.util.HashMap;
import java.util.Map;

/**
 * One level of Jinja2's variable frames: the globals, the render variables, the template's top level, a macro call,
 * one {@code for} iteration (fresh each iteration, so a {@code set} inside a loop never outlives it: that is what
 * {@code namespace()} is for), a {@code with} or block body. {@code if} bodies share their enclosing scope.
 * Lookups walk outwards at the time of the lookup, which gives macros Jinja's late binding of outer variables.
 */
final class Scope {

    static final Object MISSING = PyValues.MISSING;

    private final Scope parent;
    private final Map<String, Object> variables = new HashMap<>(); // HashMap: None is a null value

    Scope(Scope parent) {
        this.parent = parent;
    }

    Object lookup(String name) {
        for (Scope s = this; s != null; s = s.parent) {
            if (s.variables.containsKey(name)) {
                return s.variables.get(name);
            }
        }
        return MISSING;
    }

    void set(String name, Object value) {
        variables.put(name, value);
    }

    void setAll(Map<String, ?> values) {
        variables.putAll(values);
    }
}

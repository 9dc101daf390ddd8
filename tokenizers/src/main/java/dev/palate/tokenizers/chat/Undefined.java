package dev.palate.tokenizers.chat;

/**
 * Jinja2's default {@code Undefined}: prints as "", is falsy, iterates as empty, has length 0, equals only
 * another Undefined; any other use (attribute, item, arithmetic, call, ordering) raises with {@link #message}.
 */
final class Undefined {

    /** Jinja's {@code _undefined_message}, e.g. {@code 'x' is undefined}, {@code 'dict object' has no attribute 'y'}. */
    final String message;
    /** The exception kind raised on use: {@code UndefinedError}, or {@code SecurityError} for unsafe attributes. */
    final String kind;

    private Undefined(String message, String kind) {
        this.message = message;
        this.kind = kind;
    }

    static Undefined name(String name) {
        return new Undefined("'" + name + "' is undefined", "UndefinedError");
    }

    static Undefined attribute(Object owner, String name) {
        return new Undefined("'" + PyValues.typeDescription(owner) + "' has no attribute '" + name + "'", "UndefinedError");
    }

    static Undefined item(Object owner, Object key) {
        return key instanceof String s ? attribute(owner, s)
                : new Undefined(PyValues.typeDescription(owner) + " has no element " + PyValues.repr(key), "UndefinedError");
    }

    static Undefined unsafe(Object owner, String name) {
        return new Undefined("access to attribute '" + name + "' of '" + PyValues.typeName(owner) + "' object is unsafe.",
                "SecurityError");
    }

    static Undefined missingArgument(String parameter) {
        return new Undefined("parameter '" + parameter + "' was not provided", "UndefinedError");
    }

    static Undefined plain() {
        return new Undefined("the value is undefined", "UndefinedError");
    }

    TemplateError fail() {
        return new TemplateError(kind, message);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Undefined;
    }

    @Override
    public int hashCode() {
        return 0;
    }

    @Override
    public String toString() {
        return "";
    }
}

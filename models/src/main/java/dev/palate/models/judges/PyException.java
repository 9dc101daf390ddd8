package dev.palate.models.judges;

/**
 * Where DiffSynth's Python code raises: the Python exception type ({@code JSONDecodeError}, {@code ValueError},
 * {@code RecursionError}, {@code AttributeError}, {@code OverflowError}) and its message. The parsers catch exactly
 * what upstream catches; anything else ends the parse as upstream's call would end, and the judge reports it as the
 * result's {@code parse_error} with a null score.
 */
final class PyException extends RuntimeException {
    private final String type;

    PyException(String type, String message) {
        super(type + ": " + message);
        this.type = type;
    }

    /** The Python class name, e.g. {@code "JSONDecodeError"}. */
    String type() {
        return type;
    }

    /** {@code json.JSONDecodeError} is a subclass of {@code ValueError}. */
    boolean isValueError() {
        return type.equals("ValueError") || type.equals("JSONDecodeError");
    }
}

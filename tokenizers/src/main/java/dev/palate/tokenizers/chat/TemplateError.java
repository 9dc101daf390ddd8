package dev.palate.tokenizers.chat;

/**
 * Internal error raised while evaluating, before the renderer knows the line; {@link TemplateRenderer} turns it
 * into a {@link ChatTemplateException} naming the template and line. {@code kind} is the Python/Jinja exception
 * the reference would raise ({@code TypeError}, {@code UndefinedError}, ...), or {@code Unsupported}.
 */
final class TemplateError extends RuntimeException {

    final String kind;

    TemplateError(String kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    static TemplateError type(String message) {
        return new TemplateError("TypeError", message);
    }

    static TemplateError value(String message) {
        return new TemplateError("ValueError", message);
    }

    /** A construct or method Jinja2 has but Palate does not implement; never guessed at. */
    static TemplateError unsupported(String what) {
        return new TemplateError("Unsupported", what + " is not supported by Palate's chat template renderer"
                + " (see ChatTemplate's javadoc for what is)");
    }
}

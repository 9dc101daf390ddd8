package dev.palate.tokenizers.chat;

/**
 * A chat template could not be parsed or rendered: a syntax error, a Jinja construct Palate does not implement
 * (named in the message), a Python-level error Jinja2 would raise too (undefined attribute access, a type error),
 * or the template's own {@code raise_exception(...)} (then {@link #raisedByTemplate()} is true and the message ends
 * with the template's text). The message starts with the template's origin and line, e.g.
 * {@code chat_template.jinja line 53: the template raised an error: System message must be at the beginning.}
 */
public final class ChatTemplateException extends RuntimeException {

    private final int line;
    private final boolean raisedByTemplate;

    ChatTemplateException(String message, int line, boolean raisedByTemplate) {
        super(message);
        this.line = line;
        this.raisedByTemplate = raisedByTemplate;
    }

    /** Line in the template source (1-based), or 0 when unknown. */
    public int line() {
        return line;
    }

    /** True when the template called {@code raise_exception(message)} (an input it rejects, not a bug). */
    public boolean raisedByTemplate() {
        return raisedByTemplate;
    }
}

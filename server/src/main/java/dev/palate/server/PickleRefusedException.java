package dev.palate.server;

/**
 * A request body that {@link DataUnpickler} does not turn into data: it names a global or an opcode that only code
 * could use ({@link #unsafe()}), or it is not a well-formed pickle. Nothing in the pickle was executed either way.
 */
public final class PickleRefusedException extends RuntimeException {
    private final boolean unsafe;

    private PickleRefusedException(String message, boolean unsafe) {
        super(message);
        this.unsafe = unsafe;
    }

    /** The pickle asks for something beyond plain data (a global, REDUCE, BUILD, an object opcode). */
    static PickleRefusedException unsafe(String message) {
        return new PickleRefusedException(message, true);
    }

    /** The pickle is cut short or inconsistent. */
    static PickleRefusedException malformed(String message) {
        return new PickleRefusedException(message, false);
    }

    /** Whether the pickle asked for code (as opposed to being malformed). */
    public boolean unsafe() { return unsafe; }
}

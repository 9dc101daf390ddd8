package dev.palate.engine.weights;

import java.nio.file.Path;

/** A weight file that cannot be read: malformed, truncated, unsafe or not a state dict. The message names the file. */
public class WeightFileException extends RuntimeException {
    private final transient Path file;

    public WeightFileException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public WeightFileException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file the problem is in. */
    public Path file() { return file; }
}

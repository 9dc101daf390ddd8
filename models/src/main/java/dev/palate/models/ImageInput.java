package dev.palate.models;

import java.nio.file.Path;
import java.util.Objects;

/**
 * An image to score: a file, or encoded bytes with a name for error messages.
 *
 * <p>An {@code ImageInput} decodes at most once and keeps the decoded pixels, so the same input list can be handed
 * to several scorers and each image is decoded a single time (each scorer then applies its own resize/normalise).
 * Safe to share between threads.
 */
public final class ImageInput {
    private final String name;
    private final Path path;      // null when given as bytes
    private final byte[] bytes;   // null when given as a path
    private volatile Object decoded; // a dev.palate.preprocess.DecodedImage once decoded

    private ImageInput(String name, Path path, byte[] bytes, Object decoded) {
        this.name = name;
        this.path = path;
        this.bytes = bytes;
        this.decoded = decoded;
    }

    public static ImageInput of(Path path) {
        Objects.requireNonNull(path, "path");
        return new ImageInput(path.toString(), path, null, null);
    }

    /** Encoded image bytes (PNG, JPEG, WebP, ...); {@code name} appears in error messages. */
    public static ImageInput of(byte[] encoded, String name) {
        Objects.requireNonNull(encoded, "encoded");
        return new ImageInput(name, null, encoded, null);
    }

    /** The file name or the name given with the bytes. */
    public String name() { return name; }

    /** The file, or null when the image was given as bytes or pixels. */
    public Path path() { return path; }

    /** The encoded bytes, or null when the image was given as a file or pixels. */
    byte[] encodedBytes() { return bytes; }

    Object cachedDecode() { return decoded; }

    void cacheDecode(Object d) { decoded = d; }

    @Override
    public String toString() { return name; }
}

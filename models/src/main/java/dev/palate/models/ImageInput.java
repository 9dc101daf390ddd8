package dev.palate.models;

import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;

import dev.palate.preprocess.DecodeLimits;
import dev.palate.preprocess.DecodedImage;
import dev.palate.preprocess.ImageDecoder;
import dev.palate.preprocess.ImageTransform;

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
    private final DecodeLimits limits;
    private volatile DecodedImage decoded;
    private final Map<ImageTransform, float[]> preprocessed = new IdentityHashMap<>(2); // per transform instance
    private final Map<String, Object> attributes = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<Object, Object> derived = new IdentityHashMap<>(2); // per key instance, see derived()

    private ImageInput(String name, Path path, byte[] bytes, DecodedImage decoded, DecodeLimits limits) {
        this.name = name;
        this.path = path;
        this.bytes = bytes;
        this.decoded = decoded;
        this.limits = limits;
    }

    /** A file, decoded within Pillow's default size limit ({@link DecodeLimits#PILLOW}). */
    public static ImageInput of(Path path) {
        return of(path, DecodeLimits.PILLOW);
    }

    /** A file; an image declaring more pixels than {@code limits} allow fails without being decoded. */
    public static ImageInput of(Path path, DecodeLimits limits) {
        Objects.requireNonNull(path, "path");
        return new ImageInput(path.toString(), path, null, null, Objects.requireNonNull(limits, "limits"));
    }

    /** Encoded image bytes (PNG, JPEG, WebP, ...) within Pillow's default size limit; {@code name} appears in error messages. */
    public static ImageInput of(byte[] encoded, String name) {
        return of(encoded, name, DecodeLimits.PILLOW);
    }

    /** Encoded image bytes; {@code name} appears in error messages. */
    public static ImageInput of(byte[] encoded, String name, DecodeLimits limits) {
        Objects.requireNonNull(encoded, "encoded");
        return new ImageInput(name, null, encoded, null, Objects.requireNonNull(limits, "limits"));
    }

    /** Pixels decoded already (e.g. once for several metrics, or generated in memory). */
    public static ImageInput of(DecodedImage image) {
        Objects.requireNonNull(image, "image");
        return new ImageInput(image.name(), null, null, image, DecodeLimits.NONE);
    }

    /**
     * The decoded image, decoding on first use (then kept: later calls and other scorers reuse it).
     *
     * @throws dev.palate.preprocess.ImageDecodeException naming the file when it cannot be decoded
     */
    public DecodedImage decoded() {
        DecodedImage d = decoded;
        if (d == null) {
            synchronized (this) {
                d = decoded;
                if (d == null) {
                    d = path != null ? ImageDecoder.decode(path, limits) : ImageDecoder.decode(bytes, name, limits);
                    decoded = d;
                }
            }
        }
        return d;
    }

    /**
     * The image through {@code transform} ({@code [3, S, S]} CHW float32), computed on first use and kept for that
     * transform, so a background thread can preprocess a batch ({@link Scorer#prepare}) while a model works on the
     * previous one. The array is shared: do not modify it.
     */
    public float[] pixels(ImageTransform transform) {
        synchronized (preprocessed) {
            float[] cached = preprocessed.get(transform);
            if (cached != null) return cached;
        }
        float[] px = transform.apply(decoded()); // outside the lock: preprocessing may run on several threads
        synchronized (preprocessed) {
            preprocessed.putIfAbsent(transform, px);
            return preprocessed.get(transform);
        }
    }

    /**
     * A value computed from the decoded image by {@code compute} (e.g. a vision model's variable-size patches), on
     * first use and kept under {@code key} (compared by identity: use one key object per preprocessor). Like
     * {@link #pixels}, for preparing a batch on another thread; the value is shared, do not modify it.
     */
    @SuppressWarnings("unchecked")
    public <T> T derived(Object key, java.util.function.Function<DecodedImage, T> compute) {
        synchronized (derived) {
            Object cached = derived.get(key);
            if (cached != null) return (T) cached;
        }
        T value = compute.apply(decoded());
        synchronized (derived) {
            derived.putIfAbsent(key, value);
            return (T) derived.get(key);
        }
    }

    /**
     * Attaches a value of this item's input row for metrics that need more than one image and a prompt (a judge's
     * {@code source} image as another {@code ImageInput}, a per-row {@code task}); see {@link #attribute}.
     */
    public ImageInput attach(String key, Object value) {
        attributes.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /** A value attached with {@link #attach}, or null. */
    public Object attribute(String key) { return attributes.get(key); }

    /** The file name or the name given with the bytes. */
    public String name() { return name; }

    /** The file, or null when the image was given as bytes or pixels. */
    public Path path() { return path; }

    /**
     * Drops the decoded pixels but keeps what was computed from them ({@link #pixels}, {@link #derived}): after
     * {@link Scorer#prepare} a batch needs only those, so a run can hold many prepared images without their full-size
     * pixels. A later {@link #decoded()} decodes again.
     */
    public void releaseDecoded() {
        if (path != null || bytes != null) decoded = null;
    }

    /** Drops the decoded pixels (they are decoded again on next use); for long runs over many images. */
    public void forgetDecoded() {
        if (path != null || bytes != null) decoded = null;
        synchronized (preprocessed) {
            preprocessed.clear();
        }
        synchronized (derived) {
            derived.clear();
        }
    }

    @Override
    public String toString() { return name; }
}

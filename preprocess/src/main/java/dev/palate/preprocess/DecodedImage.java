package dev.palate.preprocess;

import java.util.Objects;

/**
 * A decoded image in the Pillow mode its file opens in, pixels interleaved row-major ({@code [H, W, bands]}).
 * Mode {@link PilMode#I} holds ints, every other mode unsigned bytes. Instances are immutable: the arrays are
 * never handed out for writing.
 */
public final class DecodedImage {
    private final String name;
    private final PilMode mode;
    private final int width;
    private final int height;
    private final byte[] bytes; // [H, W, bands], null for mode I
    private final int[] ints;   // [H, W], mode I only

    private DecodedImage(String name, PilMode mode, int width, int height, byte[] bytes, int[] ints) {
        if (width <= 0 || height <= 0) throw new IllegalArgumentException(name + ": empty image " + width + "x" + height);
        long n = (long) width * height * mode.bands();
        if ((bytes != null && bytes.length != n) || (ints != null && ints.length != n))
            throw new IllegalArgumentException(name + ": pixel buffer does not match " + width + "x" + height + " " + mode);
        this.name = Objects.requireNonNull(name);
        this.mode = mode;
        this.width = width;
        this.height = height;
        this.bytes = bytes;
        this.ints = ints;
    }

    /** An 8-bit image (any mode but I); {@code pixels} is {@code [H, W, mode.bands()]} and is not copied. */
    public static DecodedImage ofBytes(String name, PilMode mode, int width, int height, byte[] pixels) {
        if (mode == PilMode.I) throw new IllegalArgumentException("mode I holds ints: use ofInts");
        return new DecodedImage(name, mode, width, height, Objects.requireNonNull(pixels), null);
    }

    /** A mode-I image; {@code values} is {@code [H, W]} and is not copied. */
    public static DecodedImage ofInts(String name, int width, int height, int[] values) {
        return new DecodedImage(name, PilMode.I, width, height, null, Objects.requireNonNull(values));
    }

    /** An RGB image from {@code [H, W, 3]} bytes (not copied). */
    public static DecodedImage ofRgb(String name, int width, int height, byte[] rgb) {
        return ofBytes(name, PilMode.RGB, width, height, rgb);
    }

    /** The file name (or the name given to {@link ImageDecoder#decode(byte[], String)}), for messages. */
    public String name() { return name; }

    public PilMode mode() { return mode; }

    public int width() { return width; }

    public int height() { return height; }

    /** Package-private: the pixel bytes themselves, not a copy. */
    byte[] bytes() { return bytes; }

    /** Package-private: the mode-I values themselves, not a copy. */
    int[] ints() { return ints; }

    /** A copy of the pixels ({@code [H, W, bands]}); not for mode I. */
    public byte[] pixelBytes() {
        if (bytes == null) throw new IllegalStateException(name + " is mode I: use pixelInts()");
        return bytes.clone();
    }

    /** A copy of the mode-I values ({@code [H, W]}). */
    public int[] pixelInts() {
        if (ints == null) throw new IllegalStateException(name + " is mode " + mode + ", not I: use pixelBytes()");
        return ints.clone();
    }

    /** What {@code image.convert("RGB")} gives: {@code [H, W, 3]} bytes (a fresh array). */
    public byte[] rgbBytes() { return PilConvert.toRgb(this); }

    /** This image converted as {@code convert("RGB")} does; returns this when it is RGB already. */
    public DecodedImage toRgb() {
        return mode == PilMode.RGB ? this : ofRgb(name, width, height, rgbBytes());
    }

    @Override
    public String toString() { return name + " (" + width + "x" + height + ", mode " + mode.pilName() + ")"; }
}

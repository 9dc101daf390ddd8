package dev.palate.preprocess;

/**
 * How large an image may be before decoding starts: the declared width × height (from the file's header, read
 * before any pixel is decoded) above {@code maxPixels} is refused, so a small file that declares a huge image (a
 * decompression bomb) costs nothing. Pillow's default is the reference: {@code Image.MAX_IMAGE_PIXELS} =
 * 89 478 485 gives a {@code DecompressionBombWarning} above it and a {@code DecompressionBombError} above twice it
 * (PIL/Image.py {@code _decompression_bomb_check}); {@link #PILLOW} refuses where Pillow raises and
 * {@link #warnPixels()} is where Pillow warns.
 *
 * @param maxPixels the most pixels an image may declare; {@code Long.MAX_VALUE} for no limit
 */
public record DecodeLimits(long maxPixels) {
    /** PIL/Image.py: {@code MAX_IMAGE_PIXELS = int(1024 * 1024 * 1024 // 4 // 3)}. */
    public static final long PIL_MAX_IMAGE_PIXELS = 1024L * 1024 * 1024 / 4 / 3;

    /** Refuses above 2 × {@link #PIL_MAX_IMAGE_PIXELS} = 178 956 970 pixels, where Pillow raises. */
    public static final DecodeLimits PILLOW = new DecodeLimits(2 * PIL_MAX_IMAGE_PIXELS);

    /** No limit but Java's (an image's bytes must fit one array). */
    public static final DecodeLimits NONE = new DecodeLimits(Long.MAX_VALUE);

    public DecodeLimits {
        if (maxPixels < 1) throw new IllegalArgumentException("the pixel limit must be at least 1, got " + maxPixels);
    }

    /** {@code maxPixels}, or no limit for 0. */
    public static DecodeLimits of(long maxPixels) {
        return maxPixels == 0 ? NONE : new DecodeLimits(maxPixels);
    }

    /** Half the limit: above it an image is suspicious (Pillow's warning threshold with the default limit). */
    public long warnPixels() {
        return maxPixels == Long.MAX_VALUE ? Long.MAX_VALUE : maxPixels / 2;
    }

    /**
     * @throws ImageDecodeException when {@code header} declares more than {@link #maxPixels()} pixels
     */
    public void check(ImageHeader header, String name) {
        if (header.known() && header.pixels() > maxPixels)
            throw new ImageDecodeException(name + ": " + header.format() + " of " + header.width() + "x" + header.height() + " = "
                    + header.pixels() + " pixels is above the limit of " + maxPixels + " pixels (a decompression bomb?);"
                    + " if the image is genuine, raise the limit (palate: --max-image-pixels N, 0 for none)");
    }
}

package dev.palate.models.fid;

import java.nio.file.Path;

import dev.palate.preprocess.DecodedImage;
import dev.palate.preprocess.ImageDecoder;

/**
 * An 8-bit RGB image, rows of interleaved R,G,B: what pytorch-fid's {@code Image.open(p).convert("RGB")} holds.
 * Decoded by {@link ImageDecoder} (Pillow modes, then Pillow's RGB conversion).
 */
public record RgbImage(int width, int height, byte[] rgb) {
    public RgbImage {
        if (rgb.length != width * height * 3)
            throw new IllegalArgumentException(rgb.length + " bytes do not hold a " + width + "x" + height + " RGB image");
    }

    /** Decodes {@code file}; fails naming the file when it is missing or not a readable image. */
    public static RgbImage read(Path file) {
        DecodedImage im = ImageDecoder.decode(file);
        return new RgbImage(im.width(), im.height(), im.rgbBytes());
    }

    /** Channel {@code c} (0 = R) of pixel (x, y), 0..255. */
    public int at(int x, int y, int c) { return rgb[(y * width + x) * 3 + c] & 0xFF; }
}

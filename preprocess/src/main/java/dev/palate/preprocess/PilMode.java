package dev.palate.preprocess;

/**
 * The Pillow image mode a file opens in ({@code Image.open(path).mode}), which decides how Pillow resizes it
 * and how {@code convert("RGB")} maps it.
 */
public enum PilMode {
    /** 8-bit grayscale. */
    L(1),
    /** 8-bit grayscale with alpha; resized premultiplied ({@code La}). */
    LA(2),
    RGB(3),
    /** Resized premultiplied ({@code RGBa}); {@code convert("RGB")} drops alpha without compositing. */
    RGBA(4),
    /** Palette image, held here with the palette already applied (3 bytes a pixel). Pillow resizes it NEAREST. */
    P(3),
    /** Pillow mode "1": bilevel, held as 0/255 bytes. Pillow resizes it NEAREST. */
    BILEVEL(1),
    /** CMYK in Pillow's convention (0 = no ink; Adobe JPEGs are stored inverted and Pillow undoes that). */
    CMYK(4),
    /** 32-bit signed integer grayscale, e.g. a 16-bit grayscale PNG; {@code convert("RGB")} clips to 0..255. */
    I(1);

    private final int bands;

    PilMode(int bands) { this.bands = bands; }

    /** Samples per pixel as held in {@link DecodedImage}. */
    public int bands() { return bands; }

    /** True for modes Pillow resizes with NEAREST whatever filter is asked for ({@code Image.resize}). */
    public boolean forcesNearest() { return this == P || this == BILEVEL; }

    /** Pillow's name of the mode. */
    public String pilName() { return this == BILEVEL ? "1" : name(); }
}

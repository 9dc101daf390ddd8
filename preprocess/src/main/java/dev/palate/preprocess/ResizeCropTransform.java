package dev.palate.preprocess;

/**
 * The CLIP-family "resize shortest side, center crop" transforms on Pillow images, P1 and P2 of models.md §1.3.
 *
 * <ul>
 *   <li>P1 (torchvision on PIL: open_clip, OpenAI CLIP, ImageReward, LAION aesthetic): resize in the image's own
 *       mode, crop with {@link CropRounding#PYTHON_ROUND}, then {@code convert("RGB")}, {@code x / 255f}.</li>
 *   <li>P2 (Hugging Face {@code CLIPImageProcessor}): {@code convert("RGB")} first, same resize,
 *       {@link CropRounding#FLOOR}, {@code float32(x * rescale_factor)} computed in double.</li>
 * </ul>
 * Both normalise in float32 as {@code (x - mean) / std}. Sizes: the short side becomes {@code resize} and the
 * long side {@code int(resize * long / short)} (truncation, torchvision {@code Resize(int)} and HF
 * {@code get_resize_output_image_size(default_to_square=False)}); with {@code exactResize} both sides become
 * {@code resize} (HF {@code size = {"height", "width"}}).
 */
public final class ResizeCropTransform implements ImageTransform {
    private final int resize;
    private final boolean exactResize;
    private final int crop;
    private final boolean convertFirst;
    private final CropRounding rounding;
    private final float[][] lut; // [3][256]: normalised value of each byte per channel

    /**
     * @param rescaleFactor null for torchvision's {@code x / 255f} in float32; otherwise HF's
     *                      {@code float32(double(x) * rescaleFactor)}; NaN for no rescale at all
     * @param normalization null for no normalisation
     */
    public ResizeCropTransform(int resize, boolean exactResize, int crop, boolean convertFirst, CropRounding rounding,
                               Double rescaleFactor, Normalization normalization) {
        if (resize <= 0 || crop <= 0) throw new IllegalArgumentException("resize and crop must be positive: " + resize + ", " + crop);
        this.resize = resize;
        this.exactResize = exactResize;
        this.crop = crop;
        this.convertFirst = convertFirst;
        this.rounding = rounding;
        this.lut = new float[3][256];
        for (int c = 0; c < 3; c++) {
            for (int b = 0; b < 256; b++) {
                float x;
                if (rescaleFactor == null) x = b / 255f;
                else if (Double.isNaN(rescaleFactor)) x = b;
                else x = (float) (b * rescaleFactor);
                lut[c][b] = normalization == null ? x : normalization.apply(c, x);
            }
        }
    }

    @Override
    public int size() { return crop; }

    /** The size an image of {@code w × h} is resized to before cropping: {@code {width, height}}. */
    public int[] resizedSize(int w, int h) {
        if (exactResize) return new int[] {resize, resize};
        return shortestSide(w, h, resize);
    }

    /** torchvision {@code _compute_resized_output_size} for one int: {@code {width, height}}. */
    public static int[] shortestSide(int w, int h, int size) {
        int shortSide = Math.min(w, h), longSide = Math.max(w, h);
        if (shortSide == size) return new int[] {w, h};
        int newLong = (int) ((double) size * longSide / shortSide); // Python int(size * long / short)
        return w <= h ? new int[] {size, newLong} : new int[] {newLong, size};
    }

    @Override
    public float[] apply(DecodedImage image) {
        DecodedImage src = convertFirst ? image.toRgb() : image;
        int[] wh = resizedSize(src.width(), src.height());
        int outW = wh[0], outH = wh[1];
        if (outW < crop || outH < crop)
            throw new IllegalArgumentException(image.name() + ": resized to " + outW + "x" + outH
                    + ", smaller than the " + crop + " crop; padding crops are not supported");
        int left = rounding.offset(outW, crop), top = rounding.offset(outH, crop);
        byte[] rgb = PilResampler.resizeCrop(src, outW, outH, left, top, crop, crop).rgbBytes(); // [S, S, 3]
        int plane = crop * crop;
        float[] out = new float[3 * plane]; // [3, S, S]
        for (int i = 0; i < plane; i++) {
            out[i] = lut[0][rgb[3 * i] & 0xFF];
            out[plane + i] = lut[1][rgb[3 * i + 1] & 0xFF];
            out[2 * plane + i] = lut[2][rgb[3 * i + 2] & 0xFF];
        }
        return out;
    }
}

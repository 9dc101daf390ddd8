package dev.palate.preprocess;

/** How a center crop places its window when the margin is odd. */
public enum CropRounding {
    /** torchvision {@code CenterCrop}: {@code int(round((H - S) / 2.0))}, Python's half-to-even round. */
    PYTHON_ROUND,
    /** Hugging Face {@code image_transforms.center_crop}: {@code (H - S) // 2}. */
    FLOOR;

    /** The offset of an S-wide window in a side of length {@code side}. */
    public int offset(int side, int crop) {
        int margin = side - crop;
        return this == FLOOR ? Math.floorDiv(margin, 2) : (int) Math.rint(margin / 2.0);
    }
}

package dev.palate.preprocess.qwen2vl;

import java.util.List;

/**
 * One image as the Qwen2-VL vision tower takes it: the processor's {@code pixel_values} rows for this image and its
 * {@code image_grid_thw}.
 *
 * @param pixelValues {@code [patches, patchDim]} row-major float32; rows in 2×2-window order (merge windows
 *                    row-major, the patches inside a window row-major), columns ordered (C, T, patch, patch). Held,
 *                    not copied: do not modify it.
 * @param patches     rows, {@code gridT · gridH · gridW}
 * @param patchDim    columns, {@code 3 · temporalPatchSize · patchSize²} (1176 for Qwen2-VL)
 * @param gridT       temporal patches (1 for a still image)
 * @param gridH       patch rows, resized height / patch size
 * @param gridW       patch columns, resized width / patch size
 */
public record VisionPatches(float[] pixelValues, int patches, int patchDim, int gridT, int gridH, int gridW) {
    public VisionPatches {
        if ((long) gridT * gridH * gridW != patches || (long) patches * patchDim != pixelValues.length)
            throw new IllegalArgumentException("pixel_values of " + pixelValues.length + " values do not match grid "
                    + gridT + "x" + gridH + "x" + gridW + " and patch dim " + patchDim);
    }

    /** {@code image_grid_thw} of this image: {@code {t, h, w}}. */
    public long[] gridThw() { return new long[] {gridT, gridH, gridW}; }

    /** The {@code <|image_pad|>} tokens the processor expands this image to: {@code t·h·w / mergeSize²}. */
    public int mergedTokens(int mergeSize) {
        int m2 = mergeSize * mergeSize;
        if (gridH % mergeSize != 0 || gridW % mergeSize != 0)
            throw new IllegalArgumentException("grid " + gridH + "x" + gridW + " is not a multiple of merge size " + mergeSize);
        return patches / m2;
    }

    /** The processor's batch {@code pixel_values}: the images' rows concatenated in order, {@code [Σ patches, patchDim]}. */
    public static float[] concatenate(List<VisionPatches> images) {
        if (images.isEmpty()) throw new IllegalArgumentException("concatenate needs at least one image");
        int dim = images.get(0).patchDim();
        long total = 0;
        for (VisionPatches v : images) {
            if (v.patchDim() != dim) throw new IllegalArgumentException("patch dims differ: " + dim + " and " + v.patchDim());
            total += v.pixelValues().length;
        }
        float[] out = new float[Math.toIntExact(total)];
        int at = 0;
        for (VisionPatches v : images) {
            System.arraycopy(v.pixelValues(), 0, out, at, v.pixelValues().length);
            at += v.pixelValues().length;
        }
        return out;
    }
}

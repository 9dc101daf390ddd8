package dev.palate.engine.nn;

import java.util.List;

/**
 * Index bookkeeping of the Qwen-VL vision towers, shared by the Qwen2-VL, Qwen3-VL and Qwen3.5 families: where each
 * patch sits in its image (the processor emits patches merge × merge window by window) and how a learned square
 * position table is resampled to an image's patch grid.
 */
public final class VisionGrid {
    private VisionGrid() {}

    /**
     * (row, column) of every patch in the processor's order, frame after frame, for grids (t, h, w) in patches:
     * merge × merge windows row-major, patches inside a window row-major (transformers vision_utils.py
     * {@code get_vision_position_ids}). {@code [N, 2]} row-major.
     */
    public static long[] rowColumns(List<int[]> grids, int merge) {
        int n = 0;
        for (int[] g : grids) n += g[0] * g[1] * g[2];
        long[] out = new long[2 * n];
        int i = 0;
        for (int[] g : grids)
            for (int f = 0; f < g[0]; f++)
                for (int bh = 0; bh < g[1] / merge; bh++)
                    for (int bw = 0; bw < g[2] / merge; bw++)
                        for (int mh = 0; mh < merge; mh++)
                            for (int mw = 0; mw < merge; mw++) {
                                out[i++] = (long) bh * merge + mh;
                                out[i++] = (long) bw * merge + mw;
                            }
        return out;
    }

    /** The 4 bilinear taps per patch into the flattened {@code side × side} table and their weights, {@code [N, 4]} each. */
    public record Taps(long[] indices, float[] weights) {}

    /**
     * The bilinear ({@code align_corners=True}) resampling of a learned {@code side × side} position table to each
     * image's patch grid, per patch in the processor's window order (vision_utils.py
     * {@code get_vision_interpolation_indices_and_weights} and {@code _interpolation_axis_taps_weights}, in float32
     * as there: {@code src = index · (side − 1) / max(size − 1, 1)}, weights {@code max(0, 1 − |src − floor(src) −
     * offset|)}, taps clamped to the border, 2-D weight = row weight · column weight, taps ordered (row, column)).
     */
    public static Taps bilinearTaps(List<int[]> grids, int side, int merge) {
        long[] rc = rowColumns(grids, merge);
        int n = rc.length / 2;
        long[] idx = new long[4 * n];
        float[] w = new float[4 * n];
        int p = 0;
        for (int[] grid : grids) {
            int patches = grid[0] * grid[1] * grid[2];
            for (int k = 0; k < patches; k++, p++) {
                float[] rw = new float[2], cw = new float[2];
                int[] rt = axis((int) rc[2 * p], grid[1], side, rw), ct = axis((int) rc[2 * p + 1], grid[2], side, cw);
                for (int i = 0; i < 2; i++)
                    for (int j = 0; j < 2; j++) {
                        idx[4 * p + 2 * i + j] = (long) rt[i] * side + ct[j];
                        w[4 * p + 2 * i + j] = rw[i] * cw[j];
                    }
            }
        }
        return new Taps(idx, w);
    }

    private static int[] axis(int index, int size, int side, float[] weights) {
        float src = (float) index * (float) (side - 1) / (float) Math.max(size - 1, 1);
        float floor = (float) Math.floor(src);
        int[] taps = new int[2];
        for (int o = 0; o < 2; o++) {
            taps[o] = Math.min(Math.max((int) floor + o, 0), side - 1);
            weights[o] = Math.max(1f - Math.abs(src - floor - (float) o), 0f);
        }
        return taps;
    }
}

package dev.palate.models.qwen35;

import java.util.List;

/**
 * The 4 bilinear taps and weights that resample the learned {@code side × side} position table to each image's patch
 * grid with {@code align_corners=True}, per patch in the processor's merge-window order (transformers vision_utils.py
 * {@code get_vision_interpolation_indices_and_weights} and {@code _interpolation_axis_taps_weights}, float32 as there:
 * {@code src = index · (side − 1) / max(size − 1, 1)}, weights {@code max(0, 1 − |src − floor(src) − offset|)}, taps
 * clamped to the border, 2-D weight = row weight · column weight, taps ordered (row tap, column tap)).
 */
record PositionTaps(long[] indices /* [N, 4] */, float[] weights /* [N, 4] */) {

    static PositionTaps of(List<int[]> grids, int side, int merge) {
        int n = 0;
        for (int[] g : grids) n += g[0] * g[1] * g[2];
        long[] idx = new long[4 * n];
        float[] w = new float[4 * n];
        int p = 0;
        for (int[] g : grids) {
            int h = g[1], wd = g[2];
            for (int f = 0; f < g[0]; f++)
                for (int bh = 0; bh < h / merge; bh++)
                    for (int bw = 0; bw < wd / merge; bw++)
                        for (int mh = 0; mh < merge; mh++)
                            for (int mw = 0; mw < merge; mw++, p++) {
                                Axis r = axis(bh * merge + mh, h, side), c = axis(bw * merge + mw, wd, side);
                                for (int i = 0; i < 2; i++)
                                    for (int j = 0; j < 2; j++) {
                                        idx[4 * p + 2 * i + j] = (long) r.taps[i] * side + c.taps[j];
                                        w[4 * p + 2 * i + j] = r.weights[i] * c.weights[j];
                                    }
                            }
        }
        return new PositionTaps(idx, w);
    }

    private record Axis(int[] taps, float[] weights) {}

    private static Axis axis(int index, int size, int side) {
        float src = (float) index * (float) (side - 1) / (float) Math.max(size - 1, 1);
        float floor = (float) Math.floor(src);
        int[] taps = new int[2];
        float[] weights = new float[2];
        for (int o = 0; o < 2; o++) {
            taps[o] = Math.min(Math.max((int) floor + o, 0), side - 1);
            float distance = Math.abs(src - floor - (float) o);
            weights[o] = Math.max(1f - distance, 0f);
        }
        return new Axis(taps, weights);
    }
}

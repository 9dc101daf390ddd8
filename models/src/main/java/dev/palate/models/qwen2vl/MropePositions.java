package dev.palate.models.qwen2vl;

import java.util.List;

/**
 * Position ids for the decoder's three M-RoPE streams (t, h, w), {@code [3, B, L]} row-major.
 */
public final class MropePositions {
    private MropePositions() {}

    /**
     * {@code arange(L)} on all three streams: what HPSv3's own forward gets, because it calls the language model with
     * {@code input_ids=None} and no grids (transformers 5.18 Qwen2VLTextModel.forward: {@code position_ids is None}).
     * Equal streams make M-RoPE ordinary 1-D RoPE.
     */
    public static long[] sequential(int batch, int length) {
        long[] p = new long[3 * batch * length];
        for (int s = 0; s < 3; s++)
            for (int b = 0; b < batch; b++)
                for (int i = 0; i < length; i++) p[(s * batch + b) * length + i] = i;
        return p;
    }

    /**
     * The 3-D ids of {@code Qwen2VLModel.get_rope_index} (modeling_qwen2_vl.py): text tokens count up on all streams;
     * the run of image tokens of each image gets (s, s + row, s + column) over its merged grid, and the text after
     * it restarts at s + max(rows, columns). Padding positions (beyond {@code lengths[b]}) are 0, as upstream.
     *
     * @param ids          [B, L] token ids
     * @param lengths      valid (unpadded) tokens per row
     * @param grids        (t, h, w) per image in patches, images in row order
     * @param imageTokenId {@code <|image_pad|>}
     */
    public static long[] multimodal(long[][] ids, int[] lengths, List<int[]> grids, int imageTokenId, int merge) {
        int batch = ids.length, length = ids[0].length;
        long[] p = new long[3 * batch * length];
        int image = 0;
        for (int b = 0; b < batch; b++) {
            long pos = 0;
            int i = 0;
            while (i < lengths[b]) {
                if (ids[b][i] != imageTokenId) {
                    for (int s = 0; s < 3; s++) p[(s * batch + b) * length + i] = pos;
                    pos++;
                    i++;
                    continue;
                }
                if (image >= grids.size()) throw new IllegalArgumentException("more image-token runs than images");
                int[] g = grids.get(image++);
                int t = g[0], h = g[1] / merge, w = g[2] / merge;
                for (int f = 0; f < t; f++)
                    for (int r = 0; r < h; r++)
                        for (int c = 0; c < w; c++, i++) {
                            if (i >= lengths[b] || ids[b][i] != imageTokenId)
                                throw new IllegalArgumentException("row " + b + ": the image-token run is shorter than the image's " + t * h * w + " tokens");
                            p[(0 * batch + b) * length + i] = pos + f;
                            p[(1 * batch + b) * length + i] = pos + r;
                            p[(2 * batch + b) * length + i] = pos + c;
                        }
                pos += Math.max(h, w);
            }
        }
        return p;
    }
}

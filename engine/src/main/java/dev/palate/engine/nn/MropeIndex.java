package dev.palate.engine.nn;

import java.util.List;

/**
 * The M-RoPE position ids of one prompt with images (modeling_qwen3_vl.py / modeling_qwen3_5.py
 * {@code get_rope_index}, the same rule in Qwen3-VL and Qwen3.5): text tokens count
 * up on all three streams; each image's run of {@code <|image_pad|>} tokens gets (s + frame, s + row, s + column) over
 * its merged grid and the text after it resumes at s + max(rows, columns). The rope delta (max position + 1 − length)
 * makes decoding position {@code length + step + delta} on every stream.
 *
 * @param ids   [3][n]: t, h, w position of each token
 * @param delta {@code mrope_position_deltas} of this row
 */
public record MropeIndex(long[][] ids, long delta) {

    /** @param grids (t, h, w) in patches of this prompt's images, in order */
    public static MropeIndex of(int[] tokens, List<int[]> grids, int imageTokenId, int merge) {
        int n = tokens.length;
        long[][] p = new long[3][n];
        long pos = 0, max = -1;
        int image = 0, i = 0;
        while (i < n) {
            if (tokens[i] != imageTokenId) {
                for (int s = 0; s < 3; s++) p[s][i] = pos;
                max = Math.max(max, pos);
                pos++;
                i++;
                continue;
            }
            if (image >= grids.size()) throw new IllegalArgumentException("more <|image_pad|> runs than images");
            int[] g = grids.get(image++);
            int t = g[0], h = g[1] / merge, w = g[2] / merge;
            for (int f = 0; f < t; f++)
                for (int r = 0; r < h; r++)
                    for (int c = 0; c < w; c++, i++) {
                        if (i >= n || tokens[i] != imageTokenId)
                            throw new IllegalArgumentException("an <|image_pad|> run is shorter than its image's " + t * h * w + " tokens");
                        p[0][i] = pos + f;
                        p[1][i] = pos + r;
                        p[2][i] = pos + c;
                        max = Math.max(max, Math.max(pos + f, Math.max(pos + r, pos + c)));
                    }
            pos += Math.max(h, w);
        }
        if (image != grids.size()) throw new IllegalArgumentException(grids.size() + " images but " + image + " <|image_pad|> runs in the prompt");
        return new MropeIndex(p, max + 1 - n);
    }
}

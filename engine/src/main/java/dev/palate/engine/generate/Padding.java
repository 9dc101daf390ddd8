package dev.palate.engine.generate;

import org.bytedeco.pytorch.Tensor;

import dev.palate.engine.DType;
import dev.palate.engine.Tensors;

/**
 * Left padding for a batch of prompts of different lengths: every row ends at the same column, so each decoding step
 * appends one column for all rows. Padded slots are hidden from every query by the masks built here; a padded query
 * attends to itself alone (its output is never used), so no softmax row is empty.
 */
public final class Padding {
    private final int[] lengths; // valid tokens per row
    private final int width;     // the padded prompt length

    public Padding(int[] lengths) {
        this.lengths = lengths.clone();
        int w = 0;
        for (int n : lengths) {
            if (n <= 0) throw new IllegalArgumentException("an empty prompt cannot be decoded");
            w = Math.max(w, n);
        }
        this.width = w;
    }

    public int rows() { return lengths.length; }

    /** The padded prompt length L. */
    public int width() { return width; }

    public int length(int row) { return lengths[row]; }

    /** Left pads of {@code row}: its first valid token sits at this column. */
    public int offset(int row) { return width - lengths[row]; }

    /** True when no row is padded (plain causal attention then needs no mask). */
    public boolean none() {
        for (int n : lengths) if (n != width) return false;
        return true;
    }

    /**
     * The prefill mask, bool {@code [B, 1, L, L]} (true = attend): causal over each row's valid columns, the diagonal
     * for padded queries; null when no row is padded.
     */
    public Tensor prefillMask(org.bytedeco.pytorch.Device device) {
        if (none()) return null;
        int b = lengths.length, l = width;
        byte[] m = new byte[b * l * l];
        for (int r = 0; r < b; r++) {
            int off = offset(r);
            for (int i = 0; i < l; i++) {
                if (i < off) { m[(r * l + i) * l + i] = 1; continue; }
                for (int j = off; j <= i; j++) m[(r * l + i) * l + j] = 1;
            }
        }
        return Tensors.fromBytes(m, b, 1, l, l).to(device, DType.BOOL.scalarType());
    }

    /** The mask of one decoding step over {@code keys} cached positions, bool {@code [B, 1, 1, keys]}; null when unpadded. */
    public Tensor stepMask(int keys, org.bytedeco.pytorch.Device device) {
        if (none()) return null;
        int b = lengths.length;
        byte[] m = new byte[b * keys];
        for (int r = 0; r < b; r++) for (int j = offset(r); j < keys; j++) m[r * keys + j] = 1;
        return Tensors.fromBytes(m, b, 1, 1, keys).to(device, DType.BOOL.scalarType());
    }
}

package dev.palate.engine.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

import dev.palate.engine.DType;
import dev.palate.engine.NativeScope;
import dev.palate.engine.Tensors;

/** Which position stream feeds each frequency slot, read back through acos of the cos table. */
class RotaryEmbeddingTest {

    /** 0 (t), 1 (h) or 2 (w) for each of the 2F slots. */
    private static int[] streams(int[] sections, RotaryEmbedding.MropeLayout layout) {
        int f = java.util.Arrays.stream(sections).sum();
        try (NativeScope s = NativeScope.open()) {
            // positions 1, 2, 3 for t, h, w and every inv_freq 0.1: angles 0.1, 0.2, 0.3 stay below π
            float[] invFreq = new float[f];
            java.util.Arrays.fill(invFreq, 0.1f);
            Tensor inv = Tensors.fromFloats(invFreq, f);
            Tensor pos = Tensors.fromLongs(new long[] {1, 2, 3}, 3, 1, 1);
            float[] cos = Tensors.toFloats(RotaryEmbedding.mrope(inv, pos, sections, layout, DType.F32).cos()); // [1, 1, 2f]
            int[] out = new int[2 * f];
            for (int k = 0; k < 2 * f; k++) out[k] = (int) Math.round(Math.acos(cos[k]) / 0.1) - 1;
            return out;
        }
    }

    @Test
    void contiguousSectionsTakeTHWInBlocksAsQwen2Vl() {
        assertArrayEquals(new int[] {0, 1, 2, 2, 0, 1, 2, 2}, streams(new int[] {1, 1, 2}, RotaryEmbedding.MropeLayout.CONTIGUOUS));
    }

    @Test
    void interleavedSlotsFollowQwen3VlRecomposition() {
        int[] sections = {24, 20, 20};
        int[] got = streams(sections, RotaryEmbedding.MropeLayout.INTERLEAVED);
        for (int k = 0; k < 64; k++) {
            // modeling_qwen3_vl.py: freqs_t[..., offset:3*section:3] = freq[dim] for (dim, offset) = (1, 1), (2, 2)
            int want = k % 3 == 1 && k < 60 ? 1 : k % 3 == 2 && k < 60 ? 2 : 0;
            assertEquals(want, got[k], "slot " + k);
            assertEquals(want, got[k + 64], "slot " + k + " (second half)");
        }
    }

    @Test
    void rotateHalfPairsDimensionIWithIPlusHalf() {
        try (NativeScope s = NativeScope.open()) {
            Tensor x = Tensors.fromFloats(new float[] {1, 2, 3, 4}, 1, 4);
            assertArrayEquals(new float[] {-3, -4, 1, 2}, Tensors.toFloats(RotaryEmbedding.rotateHalf(x)), 0f);
        }
    }
}

package dev.palate.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.bytedeco.pytorch.InferenceMode;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

class TensorsTest {
    @Test
    void floatsRoundTripThroughATensorExactly() {
        float[] data = {1f, -2.5f, 3.25f, 1e-7f, Float.MAX_VALUE, -0f};
        try (NativeScope s = NativeScope.open()) {
            Tensor t = Tensors.fromFloats(data, 2, 3);
            assertArrayEquals(new long[] {2, 3}, Tensors.shape(t));
            assertEquals(DType.F32, Tensors.dtype(t));
            assertArrayEquals(data, Tensors.toFloats(t));
            // a transposed (non-contiguous) view is read in its logical order
            assertArrayEquals(new float[] {1f, 1e-7f, -2.5f, Float.MAX_VALUE, 3.25f, -0f}, Tensors.toFloats(t.t()));
        }
    }

    @Test
    void scopeRestoresInferenceModeOnClose() {
        assertFalse(InferenceMode.is_enabled());
        try (NativeScope s = NativeScope.open()) {
            assertEquals(true, InferenceMode.is_enabled());
        }
        assertFalse(InferenceMode.is_enabled());
    }

    @Test
    void detachedTensorOutlivesItsScope() {
        Tensor kept;
        try (NativeScope s = NativeScope.open()) {
            kept = s.detach(Tensors.fromLongs(new long[] {7, 8, 9}, 3));
        }
        assertArrayEquals(new long[] {7, 8, 9}, Tensors.toLongs(kept));
        kept.close();
    }
}

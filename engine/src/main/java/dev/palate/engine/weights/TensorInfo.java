package dev.palate.engine.weights;

import java.util.Arrays;

import dev.palate.engine.DType;

/** What a checkpoint says about one tensor, without reading its data. */
public record TensorInfo(String key, DType dtype, long[] shape) {
    public TensorInfo {
        shape = shape.clone();
    }

    @Override
    public long[] shape() { return shape.clone(); }

    public long numel() {
        long n = 1;
        for (long d : shape) n = Math.multiplyExact(n, d);
        return n;
    }

    public long byteSize() { return Math.multiplyExact(numel(), dtype.byteSize()); }

    /** The same tensor under another name. */
    public TensorInfo withKey(String newKey) { return new TensorInfo(newKey, dtype, shape); }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && t.key.equals(key) && t.dtype == dtype && Arrays.equals(t.shape, shape);
    }

    @Override
    public int hashCode() { return key.hashCode() * 31 + Arrays.hashCode(shape); }

    /** {@code key F32 [1, 768]}. */
    @Override
    public String toString() { return key + " " + dtype + " " + Arrays.toString(shape); }
}

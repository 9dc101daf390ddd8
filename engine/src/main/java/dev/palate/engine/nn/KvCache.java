package dev.palate.engine.nn;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

import dev.palate.engine.DType;
import dev.palate.engine.Device;

/**
 * Keys and values of every attention layer for one batch of sequences, preallocated to the longest length the
 * generation can reach (prompt + max new tokens), so a decoding step writes in place and never re-allocates.
 * Layout per layer: {@code [B, Hkv, capacity, D]}; positions {@code 0 … length-1} are filled. All rows share one
 * length (left padding keeps them aligned; padded slots are masked, see {@link dev.palate.engine.generate.Padding}).
 *
 * <p>A step calls {@link #write} for each layer, then {@link #advance} once. Not thread-safe: one generation owns it.
 */
public final class KvCache implements AutoCloseable {
    private final Tensor[] keys, values;
    private final long capacity;
    private int length;

    public KvCache(int layers, long batch, long kvHeads, long capacity, long headDim, DType dtype, Device device) {
        keys = new Tensor[layers];
        values = new Tensor[layers];
        this.capacity = capacity;
        try (PointerScope scope = new PointerScope(); org.bytedeco.pytorch.Device dev = device.toTorch()) {
            TensorOptions o = new TensorOptions(dtype.scalarType()).device(new org.bytedeco.pytorch.DeviceOptional(dev));
            long[] shape = {batch, kvHeads, capacity, headDim};
            for (int l = 0; l < layers; l++) {
                keys[l] = torch.zeros(shape, o).retainReference();
                values[l] = torch.zeros(shape, o).retainReference();
            }
        }
    }

    /** Positions filled so far. */
    public int length() { return length; }

    public long capacity() { return capacity; }

    /**
     * Stores layer {@code layer}'s new keys and values {@code [B, Hkv, T, D]} at positions {@code length … length+T-1}
     * and returns the filled part, {@code [B, Hkv, length+T, D]} each (views, valid until the next write).
     */
    public Tensor[] write(int layer, Tensor k, Tensor v) {
        long t = k.size(2);
        if (length + t > capacity)
            throw new IllegalStateException("KV cache full: " + length + " + " + t + " positions > capacity " + capacity);
        keys[layer].narrow(2, length, t).copy_(k);
        values[layer].narrow(2, length, t).copy_(v);
        return new Tensor[] {keys[layer].narrow(2, 0, length + t), values[layer].narrow(2, 0, length + t)};
    }

    /** Forgets the positions from {@code length} on (benchmarks re-running a step; a prompt prefix reused). */
    public void rewind(int length) {
        if (length < 0 || length > this.length) throw new IllegalArgumentException("cannot rewind a cache of " + this.length + " to " + length);
        this.length = length;
    }

    /** Marks {@code t} more positions filled (after every layer wrote them). */
    public void advance(int t) { length += t; }

    @Override
    public void close() {
        for (Tensor[] side : new Tensor[][] {keys, values})
            for (int l = 0; l < side.length; l++)
                if (side[l] != null) { side[l].releaseReference(); side[l] = null; }
    }
}

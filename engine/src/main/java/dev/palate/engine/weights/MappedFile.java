package dev.palate.engine.weights;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

import dev.palate.engine.DType;
import dev.palate.engine.NativeRuntime;

/**
 * A weight file mapped read-only by libtorch ({@code torch.from_file}, MAP_PRIVATE) and the tensor views made on it
 * (engine.md §4, option A). libtorch owns the mapping and unmaps it when the last view dies.
 *
 * <p>Every tensor handed out is made in a private {@link PointerScope} and kept with one reference of its own, so a
 * caller's {@code NativeScope} neither frees it nor keeps it: it lives until {@link #close()}.
 */
final class MappedFile implements AutoCloseable {
    private final Path path;
    private final long size;
    private final List<Tensor> owned = new ArrayList<>();
    private Tensor bytes; // [size] uint8, mapped on first use
    private boolean closed;

    MappedFile(Path path, long size) {
        this.path = path;
        this.size = size;
    }

    Path path() { return path; }

    long size() { return size; }

    /** A contiguous tensor of {@code shape} whose data start at byte {@code offset} of the file. */
    synchronized Tensor contiguous(long offset, DType dtype, long[] shape) {
        long numel = numel(shape);
        return own(() -> numel == 0 ? empty(dtype, shape) : typedStorage(offset, dtype, numel).view(shape));
    }

    /**
     * A tensor as torch rebuilds it from a storage: the storage holds {@code storageNumel} elements from byte
     * {@code offset}, and the tensor is {@code as_strided(size, stride, storageOffset)} on it.
     */
    synchronized Tensor strided(long offset, DType dtype, long storageNumel, long[] size, long[] stride, long storageOffset) {
        return own(() -> {
            if (numel(size) == 0) return empty(dtype, size);
            Tensor storage = typedStorage(offset, dtype, storageNumel);
            return storage.as_strided(size, stride, new LongOptional(storage.storage_offset() + storageOffset));
        });
    }

    private Tensor typedStorage(long offset, DType dtype, long numel) {
        long nbytes = Math.multiplyExact(numel, (long) dtype.byteSize());
        if (offset < 0 || offset + nbytes > size)
            throw new WeightFileException(path, "tensor data [" + offset + ", " + (offset + nbytes) + ") lies outside the file ("
                    + size + " bytes); the file is truncated or corrupt");
        Tensor raw = bytes().narrow(0, offset, nbytes);
        // view(dtype) needs the byte offset to be a multiple of the element size; legacy torch files do not align
        // their records, so such a record is copied instead of viewed.
        if (offset % dtype.byteSize() != 0) raw = raw.clone();
        return raw.view(dtype.scalarType());
    }

    private Tensor bytes() {
        if (closed) throw new IllegalStateException(path + ": the weight file was closed; its tensors are no longer valid");
        if (bytes == null) {
            bytes = own(() -> torch.from_file(path.toString(), new BoolOptional(false), new LongOptional(size),
                    new TensorOptions(torch.ScalarType.Byte)));
        }
        return bytes;
    }

    private static Tensor empty(DType dtype, long[] shape) {
        return torch.empty(shape, new TensorOptions(dtype.scalarType()), new MemoryFormatOptional());
    }

    /** Runs {@code make} in a private scope (freeing its temporaries) and keeps one reference to the result. */
    private Tensor own(Supplier<Tensor> make) {
        NativeRuntime.ensureLoaded();
        Tensor t;
        try (PointerScope scope = new PointerScope()) {
            t = make.get();
            t.retainReference();
        }
        owned.add(t);
        return t;
    }

    private static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) n = Math.multiplyExact(n, d);
        return n;
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        for (Tensor t : owned) t.releaseReference();
        owned.clear();
        bytes = null;
    }
}

package dev.palate.engine.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.Tensor;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import dev.palate.engine.DType;
import dev.palate.engine.NativeScope;
import dev.palate.engine.Tensors;

/**
 * Writes tensors as a {@code .safetensors} file: keys in sorted order (so the same tensors give the same bytes),
 * each tensor in its own dtype, row-major, little-endian, the header padded with spaces to a multiple of 8 bytes.
 * The file is written beside its destination and moved into place when complete.
 */
public final class SafetensorsWriter {
    private SafetensorsWriter() {}

    /**
     * Writes {@code tensors} (any device, dtype among {@link DType}, any strides) and optional string
     * {@code metadata} (stored as {@code __metadata__}; may be null) to {@code path}.
     */
    public static void write(Path path, Map<String, Tensor> tensors, Map<String, String> metadata) {
        Map<String, Tensor> sorted = new TreeMap<>(tensors);
        List<Tensor> contiguous = new ArrayList<>();
        Path tmp = path.resolveSibling(path.getFileName() + ".partial");
        try (NativeScope scope = NativeScope.open()) {
            JsonObject header = new JsonObject();
            if (metadata != null && !metadata.isEmpty()) {
                JsonObject meta = new JsonObject();
                new TreeMap<>(metadata).forEach(meta::addProperty);
                header.add("__metadata__", meta);
            }
            long offset = 0;
            for (Map.Entry<String, Tensor> e : sorted.entrySet()) {
                if (e.getKey().equals("__metadata__")) throw new IllegalArgumentException("'__metadata__' is not a valid tensor name");
                Tensor c = e.getValue().cpu().contiguous();
                DType dtype = Tensors.dtype(c);
                long nbytes = c.numel() * dtype.byteSize();
                JsonObject entry = new JsonObject();
                entry.addProperty("dtype", dtype.safetensorsName());
                JsonArray shape = new JsonArray();
                for (long d : Tensors.shape(c)) shape.add(d);
                entry.add("shape", shape);
                JsonArray offs = new JsonArray();
                offs.add(offset);
                offs.add(offset + nbytes);
                entry.add("data_offsets", offs);
                header.add(e.getKey(), entry);
                contiguous.add(c);
                offset += nbytes;
            }
            byte[] json = new Gson().toJson(header).getBytes(StandardCharsets.UTF_8);
            int padded = (json.length + 7) / 8 * 8;
            ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
            head.putLong(padded).put(json);
            while (head.hasRemaining()) head.put((byte) ' ');
            head.flip();
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                writeFully(ch, head);
                for (Tensor c : contiguous) writeTensor(ch, c);
            }
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the original error is the one to report
            }
            throw new WeightFileException(path, "cannot write: " + e.getMessage(), e);
        }
    }

    private static void writeTensor(FileChannel ch, Tensor c) throws IOException {
        long nbytes = c.numel() * c.element_size();
        if (nbytes == 0) return;
        BytePointer p = new BytePointer(c.data_ptr());
        final long chunk = 1L << 30; // a ByteBuffer holds at most 2 GiB
        for (long pos = 0; pos < nbytes; pos += chunk) {
            long n = Math.min(chunk, nbytes - pos);
            ByteBuffer b = p.position(pos).limit(pos + n).asByteBuffer();
            writeFully(ch, b);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) ch.write(b);
    }
}

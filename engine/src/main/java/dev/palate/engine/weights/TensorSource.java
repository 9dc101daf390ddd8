package dev.palate.engine.weights;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import org.bytedeco.pytorch.Tensor;

/** One opened weight file: its keys in file order, their infos, and tensors owned by it until it is closed. */
interface TensorSource extends AutoCloseable {
    Path file();

    Set<String> keys();

    /** The info of {@code key}, or null when the file has no such key. */
    TensorInfo info(String key);

    /** The CPU tensor of {@code key}, a view on the mapped file where possible; the same object on every call. */
    Tensor tensor(String key);

    /** String metadata the file carries (safetensors {@code __metadata__}); empty when none. */
    Map<String, String> metadata();

    @Override
    void close();
}

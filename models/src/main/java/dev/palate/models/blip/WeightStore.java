package dev.palate.models.blip;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.bytedeco.javacpp.Pointer;
import org.bytedeco.pytorch.Tensor;

import dev.palate.engine.DType;
import dev.palate.engine.Device;
import dev.palate.engine.NativeScope;
import dev.palate.engine.nn.LayerNorm;
import dev.palate.engine.nn.Linear;
import dev.palate.engine.weights.StateDict;
import dev.palate.engine.weights.TensorInfo;

/**
 * Takes tensors out of a {@link StateDict}, checks their shapes, moves them to the model's device and dtype, and
 * keeps them alive until {@link #close()} whatever scope the caller loads in: every kept handle holds its own
 * reference, so closing a {@link NativeScope} around the load does not free it. The state dict stays open as long
 * as the store, because on the CPU in the file's dtype the kept tensors are views on it.
 */
final class WeightStore implements AutoCloseable {
    private final StateDict weights;
    private final org.bytedeco.pytorch.Device device;
    private final List<Pointer> kept = new ArrayList<>();
    private final List<String> shapeErrors = new ArrayList<>();

    WeightStore(StateDict weights, Device device) {
        this.weights = weights;
        this.device = device.toTorch();
        keep(this.device);
    }

    /** The model's libtorch device (kept by this store). */
    org.bytedeco.pytorch.Device device() { return device; }

    /** The tensor {@code key} in {@code dtype} on the model's device; a wrong shape is recorded for {@link #checkShapes}. */
    Tensor get(String key, DType dtype, long... shape) {
        TensorInfo info = weights.info(key);
        if (!Arrays.equals(info.shape(), shape)) {
            shapeErrors.add(key + " has shape " + Arrays.toString(info.shape()) + ", the config implies "
                    + Arrays.toString(shape));
            return null;
        }
        return keep(weights.get(key).to(device, dtype.scalarType()));
    }

    Linear linear(ImageRewardKeys.LinearKeys k, DType dtype, long out, long in) {
        Tensor w = get(k.weight(), dtype, out, in);
        Tensor b = get(k.bias(), dtype, out);
        return w == null || b == null ? null : new Linear(w, b);
    }

    LayerNorm norm(ImageRewardKeys.NormKeys k, DType dtype, long width, double eps) {
        Tensor w = get(k.weight(), dtype, width);
        Tensor b = get(k.bias(), dtype, width);
        return w == null || b == null ? null : new LayerNorm(w, b, eps);
    }

    /** Fails listing every shape mismatch, after all modules were read. */
    void checkShapes(String hint) {
        if (shapeErrors.isEmpty()) return;
        throw new IllegalArgumentException(weights.source() + ": " + shapeErrors.size() + " weight(s) do not match the"
                + " model config: " + String.join("; ", shapeErrors.subList(0, Math.min(8, shapeErrors.size())))
                + (shapeErrors.size() > 8 ? "; ..." : "") + ". " + hint);
    }

    /** Makes {@code p} survive the scope it was made in; {@link #close()} drops it. */
    <P extends Pointer> P keep(P p) {
        p.retainReference();
        kept.add(p);
        return p;
    }

    @Override
    public void close() {
        for (Pointer p : kept) p.releaseReference();
        kept.clear();
        weights.close();
    }
}

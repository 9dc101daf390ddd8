package dev.palate.models.fid;

import java.util.Set;
import java.util.function.Function;

import org.bytedeco.pytorch.Tensor;

/**
 * Tensors by the released checkpoint's own key names, for the FID Inception and the VGG19 style network.
 *
 * <p>{@link #get} returns a CPU tensor the caller must not close and must not keep: networks copy (or fold) what they
 * need while they are being built. Two sources exist: {@link DeterministicWeights} (the fixture fill rule, for tests
 * and benchmarks) and a real checkpoint ({@code of(stateDict::get, stateDict.keys(), file)}).
 */
public interface WeightSource {
    /** The tensor stored under {@code key}; fails naming the source and the key when it is absent. */
    Tensor get(String key);

    Set<String> keys();

    /** Where the tensors come from, for error messages (a file path or a rule). */
    String describe();

    default boolean contains(String key) { return keys().contains(key); }

    static WeightSource of(Function<String, Tensor> getter, Set<String> keys, String description) {
        return new WeightSource() {
            @Override public Tensor get(String key) {
                if (!keys.contains(key))
                    throw new IllegalArgumentException(description + ": no tensor '" + key + "' (is this the right checkpoint?)");
                return getter.apply(key);
            }
            @Override public Set<String> keys() { return keys; }
            @Override public String describe() { return description; }
        };
    }
}

package dev.palate.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.bytedeco.pytorch.Tensor;

import dev.palate.engine.NativeScope;
import dev.palate.engine.weights.SafetensorsWriter;
import dev.palate.models.fid.DeterministicWeights;
import dev.palate.models.inception.FidInceptionV3;

/** The fixtures' deterministic Inception weights as a checkpoint in the released key naming, for FID command tests. */
public final class DeterministicInception {
    private DeterministicInception() {}

    /** Writes {@code inception.safetensors} into {@code dir} and returns it. */
    public static Path checkpoint(Path dir) {
        Path file = dir.resolve("inception.safetensors");
        DeterministicWeights w = new DeterministicWeights(DeterministicWeights.FIXTURE_SEED, FidInceptionV3.parameterShapes());
        try (NativeScope s = NativeScope.open()) {
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (String k : w.keys()) tensors.put(k, w.get(k));
            SafetensorsWriter.write(file, tensors, Map.of("note", "deterministic test weights"));
        }
        return file;
    }
}

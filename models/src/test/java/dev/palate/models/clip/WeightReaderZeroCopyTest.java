package dev.palate.models.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

import dev.palate.engine.DType;
import dev.palate.engine.Device;
import dev.palate.engine.Tensors;
import dev.palate.engine.weights.StateDict;

/** A CPU model in the checkpoint's dtype uses the memory-mapped tensors themselves; anything else converts. */
class WeightReaderZeroCopyTest {
    private static final Path FOLDER = Path.of(System.getProperty("palate.testdata")).resolve("clip/clip-tiny-gelu");
    private static final String KEY = "visual.transformer.resblocks.0.mlp.c_fc.weight";

    @Test
    void cpuFp32WeightsAreTheMappedFileAndOutliveTheStateDict() {
        List<Tensor> owned = new ArrayList<>();
        Tensor weight;
        float[] expected;
        try (StateDict sd = StateDict.load(FOLDER.resolve("model.safetensors"))) {
            expected = Tensors.toFloats(sd.get(KEY));
            weight = new WeightReader(sd::get, Device.CPU, DType.F32, owned).get(KEY);
            assertEquals(sd.get(KEY).data_ptr().address(), weight.data_ptr().address(), "a view of the mapping, not a copy");

            Tensor half = new WeightReader(sd::get, Device.CPU, DType.F16, owned).get(KEY);
            assertNotEquals(sd.get(KEY).data_ptr().address(), half.data_ptr().address(), "fp16 is a converted copy");
        }
        // the StateDict is closed; the model's reference keeps the mapping alive
        assertArrayEquals(expected, Tensors.toFloats(weight), 0f);
        for (Tensor t : owned) t.releaseReference();
    }
}

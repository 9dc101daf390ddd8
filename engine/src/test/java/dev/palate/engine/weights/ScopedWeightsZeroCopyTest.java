package dev.palate.engine.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

import dev.palate.engine.DType;
import dev.palate.engine.Device;
import dev.palate.engine.Tensors;

/**
 * A bf16 checkpoint read into a bf16 CPU model is the memory-mapped file itself (how a 7B HPSv3 "loads" in the time
 * of its header), and stays valid after the StateDict closes; another dtype is a converted copy. The fp32 head
 * weights of the same file are views too.
 */
class ScopedWeightsZeroCopyTest {
    private static final Path FILE = Path.of(System.getProperty("palate.testdata")).resolve("hpsv3/hpsv3-tiny/model.bf16.safetensors");
    private static final String KEY = "model.layers.0.mlp.gate_proj.weight";

    @Test
    void bf16CpuWeightsAreTheMappedFileAndOutliveTheStateDict() {
        List<Tensor> owned = new ArrayList<>();
        Set<String> used = new HashSet<>();
        Tensor weight, head;
        float[] expected;
        try (StateDict sd = StateDict.load(FILE)) {
            expected = Tensors.toFloats(sd.get(KEY));
            ScopedWeights w = new ScopedWeights(sd::get, Device.CPU, DType.BF16, owned, used);
            weight = w.at("model").at("layers").at(0).get("mlp.gate_proj.weight");
            assertEquals(sd.get(KEY).data_ptr().address(), weight.data_ptr().address(), "a view of the mapping, not a copy");
            head = w.at("rm_head").getFloat32("0.weight"); // kept fp32 in the file, as HPSv3 saves its head
            assertEquals(sd.get("rm_head.0.weight").data_ptr().address(), head.data_ptr().address(), "fp32 head: a view too");
            Tensor f32 = new ScopedWeights(sd::get, Device.CPU, DType.F32, owned, used).get(KEY);
            assertNotEquals(sd.get(KEY).data_ptr().address(), f32.data_ptr().address(), "fp32 from bf16 is a converted copy");
            assertTrue(used.contains(KEY) && used.contains("rm_head.0.weight"), used.toString());
        }
        assertArrayEquals(expected, Tensors.toFloats(weight), 0f);
        for (Tensor t : owned) t.releaseReference();
    }
}

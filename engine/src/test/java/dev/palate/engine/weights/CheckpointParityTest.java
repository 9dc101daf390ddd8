package dev.palate.engine.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import dev.palate.engine.DType;
import dev.palate.engine.NativeScope;
import dev.palate.engine.Tensors;

/** The same weights saved in different formats load to identical tensors (exact comparison, every key). */
class CheckpointParityTest {
    static final Path TESTDATA = Path.of(System.getProperty("palate.testdata"));

    @ParameterizedTest
    @ValueSource(strings = {"clip-tiny-gelu", "clip-tiny-quickgelu"})
    void zipLegacyAndSafetensorsLoadIdenticalTensors(String model) {
        Path dir = TESTDATA.resolve("clip").resolve(model);
        try (StateDict zip = StateDict.load(dir.resolve("open_clip_state.pt"));
             StateDict legacy = StateDict.load(dir.resolve("open_clip_state.legacy.pt"));
             StateDict st = StateDict.load(dir.resolve("model.safetensors"))) {
            assertTrue(st.size() > 50, "a CLIP state dict has many tensors, got " + st.size());
            assertEquals(st.keys(), zip.keys());
            assertEquals(st.keys(), legacy.keys());
            assertEquals(new ArrayList<>(zip.keys()), new ArrayList<>(legacy.keys()), "pickle order kept");
            assertAllEqual(st, zip, null);
            assertAllEqual(st, legacy, null);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"clip-tiny-gelu", "clip-tiny-quickgelu"})
    void halfAndBfloat16VariantsEqualTheFp32WeightsRounded(String model) {
        Path dir = TESTDATA.resolve("clip").resolve(model);
        try (StateDict fp32 = StateDict.load(dir.resolve("model.safetensors"));
             StateDict fp16 = StateDict.load(dir.resolve("open_clip_state.fp16.pt"));
             StateDict bf16 = StateDict.load(dir.resolve("model.bf16.safetensors"))) {
            assertEquals(fp32.keys(), fp16.keys());
            assertEquals(fp32.keys(), bf16.keys());
            assertAllEqual(fp32, fp16, DType.F16);
            assertAllEqual(fp32, bf16, DType.BF16);
        }
    }

    @Test
    void imageRewardPickleAndSafetensorsLoadIdenticalTensors() {
        Path dir = TESTDATA.resolve("imagereward");
        try (StateDict pt = StateDict.load(dir.resolve("ImageReward.pt"));
             StateDict st = StateDict.load(dir.resolve("model.safetensors"))) {
            assertEquals(st.keys(), pt.keys());
            assertTrue(pt.contains("mlp.layers.0.weight"));
            assertAllEqual(st, pt, null);
        }
    }

    @Test
    void aestheticV1LinearHeadHasWeightAndBias() {
        try (StateDict sd = StateDict.load(TESTDATA.resolve("aesthetic-weights/sa_0_4_vit_l_14_linear.pth"))) {
            assertEquals(List.of(new TensorInfo("weight", DType.F32, new long[] {1, 768}),
                    new TensorInfo("bias", DType.F32, new long[] {1})), sd.infos());
            assertArrayEquals(new long[] {1, 768}, Tensors.shape(sd.get("weight")));
        }
    }

    @Test
    void aestheticV2MlpHeadHasTheImprovedPredictorLayers() {
        // Shapes as read from the released file: 768 -> 1024 -> 128 -> 64 -> 16 -> 1 (dropouts at 1, 3, 5).
        Map<String, long[]> expected = new LinkedHashMap<>();
        expected.put("layers.0.weight", new long[] {1024, 768});
        expected.put("layers.0.bias", new long[] {1024});
        expected.put("layers.2.weight", new long[] {128, 1024});
        expected.put("layers.2.bias", new long[] {128});
        expected.put("layers.4.weight", new long[] {64, 128});
        expected.put("layers.4.bias", new long[] {64});
        expected.put("layers.6.weight", new long[] {16, 64});
        expected.put("layers.6.bias", new long[] {16});
        expected.put("layers.7.weight", new long[] {1, 16});
        expected.put("layers.7.bias", new long[] {1});
        try (StateDict sd = StateDict.load(TESTDATA.resolve("aesthetic-weights/sac+logos+ava1-l14-linearMSE.pth"))) {
            System.out.println(sd.describe());
            assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(sd.keys()));
            expected.forEach((k, shape) -> assertArrayEquals(shape, sd.info(k).shape(), k));
            expected.forEach((k, shape) -> assertArrayEquals(shape, Tensors.shape(sd.get(k)), k));
        }
    }

    /** Every tensor of {@code b} equals that of {@code a}, exactly; {@code roundTo}: a is first cast to that dtype. */
    static void assertAllEqual(StateDict a, StateDict b, DType roundTo) {
        try (NativeScope s = NativeScope.open()) {
            for (String k : a.keys()) {
                Tensor x = a.get(k), y = b.get(k);
                if (roundTo != null && Tensors.dtype(x).isFloatingPoint()) x = x.to(roundTo.scalarType());
                assertEquals(Tensors.dtype(x), Tensors.dtype(y), k);
                assertArrayEquals(Tensors.shape(x), Tensors.shape(y), k);
                assertTrue(torch.equal(x, y), k + " differs");
            }
        }
    }
}

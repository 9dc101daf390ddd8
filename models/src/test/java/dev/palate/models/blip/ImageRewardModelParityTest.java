package dev.palate.models.blip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.palate.engine.DType;
import dev.palate.engine.Device;
import dev.palate.engine.NativeScope;
import dev.palate.engine.Tensors;
import dev.palate.engine.weights.SafetensorsWriter;
import dev.palate.engine.weights.StateDict;

/**
 * The model against ImageReward's own BLIP modules (testdata/imagereward, small random config of the real
 * architecture, PyTorch 1.13 CPU fp32): from {@code pixel_values} and {@code input_ids}/{@code attention_mask}.
 */
class ImageRewardModelParityTest {
    private static final double TOLERANCE = 1e-4;
    private static final Path DIR = Path.of(System.getProperty("palate.testdata"), "imagereward");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ImageReward.pt", "model.safetensors"})
    void imageEmbedsTextHiddenClsAndRewardMatchImageRewardWithin1e4(String file) {
        try (ImageRewardModel model = ImageRewardModel.load(DIR.resolve(file), Device.CPU, DType.F32);
             StateDict expected = StateDict.load(DIR.resolve("expected.safetensors"));
             NativeScope s = NativeScope.open()) {
            assertEquals(48, model.imageSize());
            ImageRewardModel.Output out = model.forward(expected.get("pixel_values"), expected.get("input_ids"),
                    expected.get("attention_mask"));
            check(file, "image_embeds", expected.get("image_embeds"), out.imageEmbeds());
            check(file, "text_hidden", expected.get("text_hidden"), out.textHidden());
            check(file, "cls_features", expected.get("cls_features"), out.cls());
            check(file, "mlp_raw", expected.get("mlp_raw"), out.raw());
            check(file, "reward", expected.get("reward"), out.reward());
        }
    }

    /** Half precision towers (head still fp32) on the CPU; bounds set from measured differences with a margin of ~3×. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fp16", "bf16"})
    void halfPrecisionTowersStayNearTheFp32Reward(String dtype) {
        double bound = dtype.equals("fp16") ? 5e-3 : 5e-2;
        try (ImageRewardModel model = ImageRewardModel.load(DIR, Device.CPU, DType.parse(dtype));
             StateDict expected = StateDict.load(DIR.resolve("expected.safetensors"));
             NativeScope s = NativeScope.open()) {
            float[] e = Tensors.toFloats(expected.get("reward"));
            float[] a = Tensors.toFloats(model.forward(expected.get("pixel_values"), expected.get("input_ids"),
                    expected.get("attention_mask")).reward());
            double max = 0;
            for (int i = 0; i < e.length; i++) max = Math.max(max, Math.abs(e[i] - a[i]));
            System.out.printf("imagereward %s reward max |diff| vs fp32 reference = %.3e%n", dtype, max);
            assertTrue(max <= bound, dtype + ": max |diff| " + max + " > " + bound);
        }
    }

    @Test
    void oneRowAtATimeGivesTheBatchedRewardsWithin1e5() {
        try (ImageRewardModel model = ImageRewardModel.load(DIR, Device.CPU, DType.F32);
             StateDict expected = StateDict.load(DIR.resolve("expected.safetensors"));
             NativeScope s = NativeScope.open()) {
            Tensor px = expected.get("pixel_values");
            Tensor ids = expected.get("input_ids");
            Tensor mask = expected.get("attention_mask");
            float[] batched = Tensors.toFloats(model.forward(px, ids, mask).reward());
            for (int i = 0; i < batched.length; i++) {
                float single = Tensors.toFloats(model.forward(px.narrow(0, i, 1), ids.narrow(0, i, 1),
                        mask.narrow(0, i, 1)).reward())[0];
                assertEquals(batched[i], single, 1e-5, "row " + i);
            }
        }
    }

    @Test
    void missingVisionConfigAssumesVitL16AndSaysSo(@TempDir Path tmp) throws Exception {
        Files.copy(DIR.resolve("model.safetensors"), tmp.resolve("model.safetensors"));
        Files.copy(DIR.resolve("med_config.json"), tmp.resolve("med_config.json"));
        RuntimeException e = assertThrows(RuntimeException.class, () -> ImageRewardModel.load(tmp, Device.CPU, DType.F32));
        assertTrue(e.getMessage().contains("vision_config.json"), e.getMessage());
    }

    @Test
    void knownUnusedKeysAreSkippedAndUnknownOnesRejected(@TempDir Path tmp) throws Exception {
        Files.copy(DIR.resolve("med_config.json"), tmp.resolve("med_config.json"));
        Files.copy(DIR.resolve("vision_config.json"), tmp.resolve("vision_config.json"));
        try (StateDict src = StateDict.load(DIR.resolve("model.safetensors")); NativeScope s = NativeScope.open()) {
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (String k : src.keys()) tensors.put(k, src.get(k));
            tensors.put("blip.vision_proj.weight", Tensors.fromFloats(new float[4], 2, 2));
            tensors.put("blip.text_proj.bias", Tensors.fromFloats(new float[2], 2));
            SafetensorsWriter.write(tmp.resolve("model.safetensors"), tensors, null);
            try (ImageRewardModel m = ImageRewardModel.load(tmp, Device.CPU, DType.F32)) {
                assertEquals(48, m.imageSize());
            }
            tensors.put("blip.itm_head.weight", Tensors.fromFloats(new float[2], 1, 2));
            tensors.remove("mlp.layers.7.bias");
            SafetensorsWriter.write(tmp.resolve("model.safetensors"), tensors, null);
            RuntimeException e = assertThrows(RuntimeException.class, () -> ImageRewardModel.load(tmp, Device.CPU, DType.F32));
            assertTrue(e.getMessage().contains("blip.itm_head.weight") && e.getMessage().contains("mlp.layers.7.bias")
                    && e.getMessage().contains("model.safetensors"), e.getMessage());
        }
    }

    @Test
    void configsAreReadFromTheFolderWithEncoderWidthSetToTheVisionWidth() {
        ImageRewardConfig c = ImageRewardConfig.fromFolder(DIR);
        assertEquals(new BlipVisionConfig(48, 16, 64, 2, 4, 256, 1e-6), c.vision());
        assertEquals(64, c.text().encoderWidth());
        assertEquals(32, c.text().hiddenSize());
        assertEquals(30524, c.text().vocabSize());
        assertEquals(1e-12, c.text().layerNormEps());
        ImageRewardConfig v1 = ImageRewardConfig.v1();
        assertEquals(1024, v1.text().encoderWidth());
        assertEquals(197, v1.vision().tokens());
    }

    private static void check(String file, String name, Tensor expected, Tensor actual) {
        assertArrayEquals(Tensors.shape(expected), Tensors.shape(actual), name + " shape");
        float[] e = Tensors.toFloats(expected);
        float[] a = Tensors.toFloats(actual);
        double max = 0;
        for (int i = 0; i < e.length; i++) max = Math.max(max, Math.abs(e[i] - a[i]));
        System.out.printf("imagereward parity %-17s %-13s max |diff| = %.3e%n", file, name, max);
        assertTrue(max <= TOLERANCE, file + " " + name + ": max |diff| " + max + " > " + TOLERANCE);
    }
}

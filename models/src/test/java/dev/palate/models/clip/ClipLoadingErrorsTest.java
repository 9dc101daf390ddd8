package dev.palate.models.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.palate.engine.DType;
import dev.palate.engine.Device;
import dev.palate.engine.NativeScope;
import dev.palate.engine.Tensors;
import dev.palate.engine.weights.SafetensorsWriter;
import dev.palate.engine.weights.StateDict;
import org.bytedeco.pytorch.Tensor;
import dev.palate.engine.nn.Activation;

/** Loading fails loudly, naming the file and the keys; configs parse from both schemes. */
class ClipLoadingErrorsTest {
    static final Path TINY = Path.of(System.getProperty("palate.testdata")).resolve("clip/clip-tiny-gelu");

    @TempDir
    Path tmp;

    @Test
    void missingAndUnexpectedKeysAreListedWithTheFile() throws Exception {
        Path dir = tmp.resolve("broken");
        Files.createDirectories(dir);
        Files.copy(TINY.resolve("open_clip_config.json"), dir.resolve("open_clip_config.json"));
        try (StateDict sd = StateDict.load(TINY.resolve("model.safetensors")); NativeScope s = NativeScope.open()) {
            Map<String, Tensor> m = new LinkedHashMap<>();
            for (String k : sd.keys()) if (!k.equals("visual.ln_post.bias")) m.put(k, sd.get(k));
            m.put("visual.surprise", Tensors.fromFloats(new float[] {1f}, 1));
            SafetensorsWriter.write(dir.resolve("model.safetensors"), m, null);
        }
        Exception e = assertThrows(RuntimeException.class, () -> ClipModel.load(dir, Device.CPU, DType.F32));
        assertTrue(e.getMessage().contains("visual.ln_post.bias"), e.getMessage());
        assertTrue(e.getMessage().contains("visual.surprise"), e.getMessage());
        assertTrue(e.getMessage().contains("model.safetensors"), e.getMessage());
    }

    @Test
    void missingTensorsComeFromTheBaseCheckpointAsWithStrictFalse() throws Exception {
        // A fine-tune saved without its frozen half (ICT/HP load over the LAION base with strict=False).
        Path dir = tmp.resolve("partial");
        Files.createDirectories(dir);
        Files.copy(TINY.resolve("open_clip_config.json"), dir.resolve("open_clip_config.json"));
        try (StateDict sd = StateDict.load(TINY.resolve("model.safetensors")); NativeScope s = NativeScope.open()) {
            Map<String, Tensor> m = new LinkedHashMap<>();
            for (String k : sd.keys()) if (!k.startsWith("visual.transformer.resblocks.0.")) m.put(k, sd.get(k));
            SafetensorsWriter.write(dir.resolve("model.safetensors"), m, null);
        }
        assertThrows(RuntimeException.class, () -> ClipModel.load(dir, Device.CPU, DType.F32));
        ClipFixture fx = new ClipFixture("clip-tiny-gelu");
        try (ClipModel m = ClipModel.load(dir, TINY.resolve("open_clip_state.pt"), Device.CPU, DType.F32); NativeScope s = NativeScope.open()) {
            float[][] img = m.imageEmbeddings(Tensors.fromFloats(fx.pixelValues, fx.pixelShape));
            assertTrue(ClipFixture.maxAbsDiff(img, fx.imageEmbeds) <= 1e-4);
            assertTrue(m.toString().contains("12 missing tensors from"), m.toString());
        }
    }

    @Test
    void wrongConfigIsReportedAsAShapeMismatch() throws Exception {
        Path dir = tmp.resolve("wrongcfg");
        Files.createDirectories(dir);
        Files.copy(TINY.resolve("model.safetensors"), dir.resolve("model.safetensors"));
        Files.writeString(dir.resolve("open_clip_config.json"), Files.readString(TINY.resolve("open_clip_config.json"))
                .replace("\"embed_dim\": 32", "\"embed_dim\": 48"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClipModel.load(dir, Device.CPU, DType.F32));
        assertTrue(e.getMessage().contains("shape") && e.getMessage().contains("proj"), e.getMessage());
    }

    @Test
    void notAClipCheckpointSaysSo() {
        Path head = TINY.resolve("../../aesthetic-weights/sa_0_4_vit_l_14_linear.pth").normalize();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClipModel.load(head, Device.CPU, DType.F32));
        assertTrue(e.getMessage().contains("not a CLIP checkpoint"), e.getMessage());
    }

    @Test
    void huggingFaceConfigParsesWithDefaultsAndPresetsMatchModelsMd() throws Exception {
        Path cfg = tmp.resolve("config.json");
        Files.writeString(cfg, "{\"projection_dim\": 1024, \"text_config\": {\"hidden_size\": 1024, \"intermediate_size\": 4096,"
                + " \"num_attention_heads\": 16, \"num_hidden_layers\": 24, \"hidden_act\": \"gelu\"},"
                + " \"vision_config\": {\"hidden_size\": 1280, \"intermediate_size\": 5120, \"num_attention_heads\": 16,"
                + " \"num_hidden_layers\": 32, \"patch_size\": 14, \"hidden_act\": \"gelu\"}}");
        ClipConfig c = ClipConfig.parseHuggingFace(cfg);
        assertEquals(ClipConfig.vitH14().vision(), c.vision());
        assertEquals(ClipConfig.vitH14().text(), c.text());
        assertEquals(1024, c.embedDim());
        assertEquals(Activation.QUICK_GELU, ClipConfig.vitL14().vision().activation());
        assertEquals(257, ClipConfig.vitL14().vision().tokens());
        Files.writeString(cfg, Files.readString(cfg).replace("\"hidden_act\": \"gelu\"}}", "\"hidden_act\": \"relu\"}}"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClipConfig.parseHuggingFace(cfg));
        assertTrue(e.getMessage().contains("relu") && e.getMessage().contains(cfg.toString()), e.getMessage());
    }

    @Test
    void hfNamingTableRoundTripsEveryKey() {
        ClipConfig cfg = ClipConfig.parseOpenClip(TINY.resolve("open_clip_config.json"));
        int n = 0;
        for (String k : OpenClipNaming.canonicalKeys(cfg)) {
            ClipNaming.Mapping m = HfClipNaming.INSTANCE.map(k);
            assertEquals(m.transform() == ClipNaming.Transform.CONCAT_QKV ? 3 : 1, m.fileKeys().size(), k);
            n += m.fileKeys().size();
        }
        // 2 text + 2 vision blocks with 12 tensors (q/k/v split adds 2+2 per block), plus 13 tower-level and logit_scale
        assertEquals(OpenClipNaming.canonicalKeys(cfg).size() + 4 * 4, n);
    }
}

package dev.palate.models.clip;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;

import dev.palate.engine.NativeScope;
import dev.palate.engine.weights.SafetensorsWriter;
import dev.palate.engine.weights.StateDict;
import org.bytedeco.pytorch.Tensor;
import dev.palate.engine.nn.Activation;

/** Test support: writes an open_clip checkpoint as a Hugging Face CLIPModel folder through {@link HfClipNaming}'s table. */
final class HfCopyWriter {
    private HfCopyWriter() {}

    static void write(Path openClipWeights, ClipConfig cfg, Path outDir) throws IOException {
        write(openClipWeights, cfg, outDir, false);
    }

    /** With {@code sharded}, text-model tensors go to one shard and the rest to another, with the HF index file. */
    static void write(Path openClipWeights, ClipConfig cfg, Path outDir, boolean sharded) throws IOException {
        Files.createDirectories(outDir);
        try (StateDict sd = StateDict.load(openClipWeights); NativeScope s = NativeScope.open()) {
            Map<String, Tensor> hf = new LinkedHashMap<>();
            for (String key : OpenClipNaming.canonicalKeys(cfg)) {
                ClipNaming.Mapping m = HfClipNaming.INSTANCE.map(key);
                List<Tensor> parts = m.transform().fromCanonical(sd.get(key));
                for (int i = 0; i < parts.size(); i++) hf.put(m.fileKeys().get(i), parts.get(i));
            }
            if (!sharded) {
                SafetensorsWriter.write(outDir.resolve("model.safetensors"), hf, Map.of("format", "pt"));
            } else {
                Map<String, Tensor> a = new LinkedHashMap<>(), b = new LinkedHashMap<>();
                JsonObject weightMap = new JsonObject();
                for (Map.Entry<String, Tensor> e : hf.entrySet()) {
                    boolean first = e.getKey().startsWith("text_model.");
                    (first ? a : b).put(e.getKey(), e.getValue());
                    weightMap.addProperty(e.getKey(), first ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors");
                }
                SafetensorsWriter.write(outDir.resolve("model-00001-of-00002.safetensors"), a, Map.of("format", "pt"));
                SafetensorsWriter.write(outDir.resolve("model-00002-of-00002.safetensors"), b, Map.of("format", "pt"));
                JsonObject index = new JsonObject();
                index.add("metadata", new JsonObject());
                index.add("weight_map", weightMap);
                Files.writeString(outDir.resolve("model.safetensors.index.json"), index.toString());
            }
        }
        Files.writeString(outDir.resolve("config.json"), hfConfigJson(cfg));
    }

    static String hfConfigJson(ClipConfig cfg) {
        JsonObject root = new JsonObject();
        root.addProperty("model_type", "clip");
        root.addProperty("projection_dim", cfg.embedDim());
        JsonObject t = new JsonObject();
        t.addProperty("hidden_size", cfg.text().width());
        t.addProperty("intermediate_size", cfg.text().mlpWidth());
        t.addProperty("num_attention_heads", cfg.text().heads());
        t.addProperty("num_hidden_layers", cfg.text().layers());
        t.addProperty("max_position_embeddings", cfg.text().contextLength());
        t.addProperty("vocab_size", cfg.text().vocabSize());
        t.addProperty("hidden_act", act(cfg.text().activation()));
        t.addProperty("layer_norm_eps", cfg.text().eps());
        JsonObject v = new JsonObject();
        v.addProperty("hidden_size", cfg.vision().width());
        v.addProperty("intermediate_size", cfg.vision().mlpWidth());
        v.addProperty("num_attention_heads", cfg.vision().heads());
        v.addProperty("num_hidden_layers", cfg.vision().layers());
        v.addProperty("image_size", cfg.vision().imageSize());
        v.addProperty("patch_size", cfg.vision().patchSize());
        v.addProperty("hidden_act", act(cfg.vision().activation()));
        v.addProperty("layer_norm_eps", cfg.vision().eps());
        root.add("text_config", t);
        root.add("vision_config", v);
        return new GsonBuilder().setPrettyPrinting().create().toJson(root);
    }

    private static String act(Activation a) {
        return a == Activation.QUICK_GELU ? "quick_gelu" : a == Activation.GELU ? "gelu" : "gelu_new";
    }
}

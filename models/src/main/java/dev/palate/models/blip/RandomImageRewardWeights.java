package dev.palate.models.blip;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;

import dev.palate.engine.DType;
import dev.palate.engine.NativeScope;
import dev.palate.engine.weights.SafetensorsWriter;

/**
 * Writes a random-weight ImageReward folder of any size ({@code model.safetensors}, {@code med_config.json},
 * {@code vision_config.json}) for benchmarks and smoke tests: normal(0, 0.02) weights, unit LayerNorm scales.
 * The rewards it gives mean nothing.
 */
public final class RandomImageRewardWeights {
    private RandomImageRewardWeights() {}

    /** A ViT-B/16-sized tower at 224 with the real BERT-base text encoder, for CPU benchmarks. */
    public static ImageRewardConfig vitBase() {
        return new ImageRewardConfig(BlipVisionConfig.vitBase16(), MedConfig.bertBase(), true);
    }

    /** Writes the folder and returns it. */
    public static Path writeFolder(Path dir, ImageRewardConfig config, DType fileDtype, long seed) {
        try {
            Files.createDirectories(dir);
            writeJson(dir.resolve(ImageRewardConfig.VISION_CONFIG), visionJson(config.vision()));
            writeJson(dir.resolve(ImageRewardConfig.MED_CONFIG), medJson(config.text()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the random ImageReward config to " + dir, e);
        }
        try (NativeScope s = NativeScope.open()) {
            torch.manual_seed(seed);
            TensorOptions options = new TensorOptions(DType.F32.scalarType());
            org.bytedeco.pytorch.Scalar std = new org.bytedeco.pytorch.Scalar(0.02);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Map.Entry<String, long[]> e : ImageRewardKeys.shapes(config).entrySet()) {
                boolean normScale = e.getKey().endsWith("LayerNorm.weight") || e.getKey().matches(".*norm[12]?\\.weight");
                Tensor t = normScale ? torch.ones(e.getValue(), options) : torch.randn(e.getValue(), options).mul(std);
                tensors.put(e.getKey(), t.to(fileDtype.scalarType()));
            }
            SafetensorsWriter.write(dir.resolve("model.safetensors"), tensors, Map.of("palate", "random ImageReward weights"));
        }
        return dir;
    }

    private static JsonObject visionJson(BlipVisionConfig v) {
        JsonObject o = new JsonObject();
        o.addProperty("image_size", v.imageSize());
        o.addProperty("patch_size", v.patchSize());
        o.addProperty("width", v.width());
        o.addProperty("layers", v.layers());
        o.addProperty("heads", v.heads());
        o.addProperty("mlp_ratio", (double) v.mlpWidth() / v.width());
        o.addProperty("layer_norm_eps", v.layerNormEps());
        return o;
    }

    private static JsonObject medJson(MedConfig t) {
        JsonObject o = new JsonObject();
        o.addProperty("vocab_size", t.vocabSize());
        o.addProperty("hidden_size", t.hiddenSize());
        o.addProperty("num_hidden_layers", t.layers());
        o.addProperty("num_attention_heads", t.heads());
        o.addProperty("intermediate_size", t.intermediateSize());
        o.addProperty("hidden_act", t.hiddenAct());
        o.addProperty("layer_norm_eps", t.layerNormEps());
        o.addProperty("max_position_embeddings", t.maxPositions());
        o.addProperty("encoder_width", t.encoderWidth());
        o.addProperty("add_cross_attention", t.crossAttention());
        return o;
    }

    private static void writeJson(Path file, JsonObject o) throws IOException {
        Files.writeString(file, new GsonBuilder().setPrettyPrinting().create().toJson(o));
    }
}

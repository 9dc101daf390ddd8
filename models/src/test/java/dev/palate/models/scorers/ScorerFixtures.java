package dev.palate.models.scorers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonParser;

import dev.palate.engine.Tensors;
import dev.palate.engine.weights.StateDict;
import dev.palate.models.ImageInput;

/** Test support: texts, images and expected matrices of testdata/clip. */
final class ScorerFixtures {
    static final Path CLIP = Path.of(System.getProperty("palate.testdata")).resolve("clip");

    private ScorerFixtures() {}

    /** The texts of tokenizer_cases.jsonl, in order. */
    static List<String> texts() throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(CLIP.resolve("tokenizer_cases.jsonl")))
            if (!line.isBlank()) out.add(JsonParser.parseString(line).getAsJsonObject().get("text").getAsString());
        return out;
    }

    /** The images in the fixture's {@code image_order}. */
    static List<ImageInput> images(String model) {
        try (StateDict e = StateDict.load(CLIP.resolve(model).resolve("expected.safetensors"))) {
            List<ImageInput> out = new ArrayList<>();
            for (var n : JsonParser.parseString(e.metadata().get("image_order")).getAsJsonArray())
                out.add(ImageInput.of(CLIP.resolve("images").resolve(n.getAsString())));
            return out;
        }
    }

    /** An expected [rows][cols] matrix of expected.safetensors. */
    static float[][] matrix(String model, String key) {
        return matrix(model, "expected.safetensors", key);
    }

    /** An expected [rows][cols] matrix of {@code file} in the model's folder. */
    static float[][] matrix(String model, String file, String key) {
        try (StateDict e = StateDict.load(CLIP.resolve(model).resolve(file))) {
            float[] flat = Tensors.toFloats(e.get(key));
            long[] s = e.info(key).shape();
            float[][] out = new float[(int) s[0]][(int) s[1]];
            for (int i = 0; i < out.length; i++) System.arraycopy(flat, i * out[i].length, out[i], 0, out[i].length);
            return out;
        }
    }
}

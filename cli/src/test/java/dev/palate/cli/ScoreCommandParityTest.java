package dev.palate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;

/** The CLI end to end (decode, transform, tokenize, model, score) against the reference code's numbers. */
class ScoreCommandParityTest {
    @TempDir Path dir;

    @Test
    void hpsv2ThroughTheCliGivesTheFixtureCosineForEveryImagePromptPairWithin1e4() throws Exception {
        List<JsonObject> texts = Fixtures.jsonl(Fixtures.ROOT.resolve("clip/tokenizer_cases.jsonl"));
        for (String model : new String[] {"clip-tiny-gelu", "clip-tiny-quickgelu"}) {
            Path folder = Fixtures.ROOT.resolve("clip/" + model);
            List<String> images = Fixtures.imageOrder(folder.resolve("expected.safetensors"));
            float[] cosine = Fixtures.expected(folder.resolve("expected.safetensors"), "hpsv2_cosine"); // [N, M]
            StringBuilder manifest = new StringBuilder();
            for (String image : images)
                for (JsonObject t : texts) {
                    JsonObject row = new JsonObject();
                    row.addProperty("image", Fixtures.ROOT.resolve("clip/images/" + image).toString());
                    row.add("prompt", t.get("text"));
                    manifest.append(row).append('\n');
                }
            Path in = dir.resolve(model + ".jsonl"), out = dir.resolve(model + "-scores.jsonl");
            Files.writeString(in, manifest);
            assertEquals(0, Fixtures.cli("score", "--metric", "hpsv2", "--model", folder.toString(), "--input", in.toString(),
                    "--output", out.toString(), "--batch-size", "16", "--quiet"));
            List<JsonObject> rows = Fixtures.jsonl(out);
            assertEquals(images.size() * texts.size(), rows.size());
            double max = 0;
            for (int i = 0; i < rows.size(); i++) {
                assertEquals("hpsv2", rows.get(i).get("metric").getAsString());
                max = Math.max(max, Math.abs(rows.get(i).get("score").getAsDouble() - cosine[i]));
            }
            System.out.printf("%s: hpsv2 via CLI, %d pairs, max abs diff %.3g%n", model, rows.size(), max);
            assertTrue(max <= 1e-4, model + " max abs diff " + max);
        }
    }

    @Test
    void imagerewardThroughTheCliGivesTheFixtureTextRewardsWithin1e4() throws Exception {
        Path folder = Fixtures.ROOT.resolve("imagereward");
        List<JsonObject> texts = Fixtures.jsonl(folder.resolve("wordpiece_cases.jsonl"));
        List<String> images = Fixtures.imageOrder(folder.resolve("text_expected.safetensors"));
        float[] reward = Fixtures.expected(folder.resolve("text_expected.safetensors"), "text_reward");
        StringBuilder manifest = new StringBuilder();
        for (int j = 0; j < texts.size(); j++) {
            JsonObject row = new JsonObject();
            row.addProperty("image", Fixtures.ROOT.resolve("clip/images/" + images.get(j % images.size())).toString());
            row.add("prompt", texts.get(j).get("text"));
            manifest.append(row).append('\n');
        }
        Path in = dir.resolve("ir.jsonl"), out = dir.resolve("ir-scores.jsonl");
        Files.writeString(in, manifest);
        assertEquals(0, Fixtures.cli("score", "--metric", "imagereward", "--model", folder.toString(), "--input", in.toString(),
                "--output", out.toString(), "--batch-size", "8", "--quiet"));
        List<JsonObject> rows = Fixtures.jsonl(out);
        assertEquals(texts.size(), rows.size());
        double max = 0;
        for (int j = 0; j < rows.size(); j++) max = Math.max(max, Math.abs(rows.get(j).get("score").getAsDouble() - reward[j]));
        System.out.printf("imagereward via CLI, %d texts, max abs diff %.3g%n", rows.size(), max);
        assertTrue(max <= 1e-4, "max abs diff " + max);
    }

    @Test
    void aCheckpointThatCannotBeLoadedStopsWithANonZeroExitNamingTheFile() throws Exception {
        Path bad = dir.resolve("broken-model");
        Files.createDirectories(bad);
        Files.writeString(bad.resolve("open_clip_config.json"), "{}");
        Files.writeString(bad.resolve("model.safetensors"), "garbage");
        Path in = dir.resolve("m.jsonl");
        Files.writeString(in, "{\"image\": \"x.png\", \"prompt\": \"p\"}\n");
        Fixtures.Result r = Fixtures.cliCapturingErr("score", "--metric", "hpsv2", "--model", bad.toString(), "--input", in.toString(),
                "--output", dir.resolve("o.jsonl").toString(), "--quiet");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains(bad.resolve("model.safetensors").toString()), r.err());
    }
}

package dev.palate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;

/**
 * {@code palate score --metric hpsv3} on the fixture model folder (config, weights, tokenizer, chat template,
 * preprocessor config), over a manifest of {@code pairs.jsonl}'s images and prompts: the fixture's scores
 * (transformers 5.18 + HPSv3's head, fp32) within 1e-4, in one process together with hpsv2 and imagereward.
 */
class Hpsv3ScoreCommandTest {
    private static final Path HPSV3 = Fixtures.ROOT.resolve("hpsv3");
    @TempDir Path dir;

    private Path manifest() throws Exception {
        Files.createSymbolicLink(dir.resolve("images"), HPSV3.resolve("images").toAbsolutePath());
        StringBuilder m = new StringBuilder();
        for (JsonObject p : Fixtures.jsonl(HPSV3.resolve("pairs.jsonl"))) {
            JsonObject row = new JsonObject();
            row.addProperty("image", "images/" + p.get("image").getAsString());
            row.add("prompt", p.get("prompt"));
            m.append(row).append('\n');
        }
        Path in = dir.resolve("manifest.jsonl");
        Files.writeString(in, m);
        return in;
    }

    @Test
    void hpsv3WithHpsv2AndImageRewardInOneRunGivesThePairsScoresWithin1e4() throws Exception {
        Path in = manifest(), out = dir.resolve("scores.jsonl");
        assertEquals(0, Fixtures.cli("score", "--metric", "hpsv3,hpsv2,imagereward",
                "--model", "hpsv3=" + HPSV3.resolve("hpsv3-tiny"),
                "--model", "hpsv2=" + Fixtures.ROOT.resolve("clip/clip-tiny-gelu"),
                "--model", "imagereward=" + Fixtures.ROOT.resolve("imagereward"),
                "--input", in.toString(), "--output", out.toString(), "--batch-size", "4", "--quiet"));
        List<JsonObject> expected = Fixtures.jsonl(HPSV3.resolve("pairs.jsonl"));
        List<JsonObject> rows = Fixtures.jsonl(out);
        assertEquals(expected.size(), rows.size());
        double maxScore = 0, maxSigma = 0;
        for (int i = 0; i < rows.size(); i++) {
            JsonObject r = rows.get(i);
            assertTrue(!r.has("error"), r.toString());
            maxScore = Math.max(maxScore, Math.abs(r.get("hpsv3").getAsDouble() - expected.get(i).get("score").getAsDouble()));
            maxSigma = Math.max(maxSigma, Math.abs(r.get("hpsv3.log_sigma").getAsDouble() - expected.get(i).get("log_sigma").getAsDouble()));
            assertTrue(Double.isFinite(r.get("hpsv2").getAsDouble()) && Double.isFinite(r.get("imagereward").getAsDouble()), r.toString());
        }
        System.out.printf("hpsv3 via CLI (with hpsv2, imagereward): score max |diff| %.3e, log_sigma %.3e (tolerance 1e-4)%n", maxScore, maxSigma);
        assertTrue(maxScore <= 1e-4, "score " + maxScore);
        assertTrue(maxSigma <= 1e-4, "log_sigma " + maxSigma);
    }

    @Test
    void positionsDiffsynthReproducesLogitsMrope3dWithin1e4() throws Exception {
        Path in = manifest(), out = dir.resolve("diffsynth.jsonl");
        assertEquals(0, Fixtures.cli("score", "--metric", "hpsv3", "--model", HPSV3.resolve("hpsv3-tiny").toString(),
                "--set", "hpsv3:positions=diffsynth", "--input", in.toString(), "--output", out.toString(), "--quiet"));
        float[] logits = Fixtures.expected(HPSV3.resolve("expected.safetensors"), "logits_mrope3d"); // [4, 2]
        List<JsonObject> rows = Fixtures.jsonl(out);
        double max = 0;
        for (int i = 0; i < rows.size(); i++) {
            max = Math.max(max, Math.abs(rows.get(i).get("score").getAsDouble() - logits[2 * i]));
            max = Math.max(max, Math.abs(rows.get(i).get("log_sigma").getAsDouble() - logits[2 * i + 1]));
        }
        System.out.printf("hpsv3 positions=diffsynth via CLI: max |diff| to logits_mrope3d %.3e (tolerance 1e-4)%n", max);
        assertTrue(max <= 1e-4, "diffsynth " + max);
    }
}

package dev.palate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import dev.palate.engine.Tensors;
import dev.palate.engine.weights.StateDict;

/**
 * {@code --set hpsv2:resize=antialias} through {@code palate score} and {@code palate preprocess}, against HPSv2 on
 * torchvision 0.29.1 ({@code clip/clip-tiny-*}{@code /expected_antialias.safetensors}); the run's options in OUTPUT.meta.json.
 */
class Hpsv2ResizeOptionCliTest {
    private static final String AA = "expected_antialias.safetensors";
    @TempDir Path dir;

    @Test
    void scoreWithResizeAntialiasGivesTheTorchvision029CosineForEveryTextAndImageWithin1e4AndRecordsTheOption() throws Exception {
        List<JsonObject> texts = Fixtures.jsonl(Fixtures.ROOT.resolve("clip/tokenizer_cases.jsonl"));
        for (String model : new String[] {"clip-tiny-gelu", "clip-tiny-quickgelu"}) {
            Path folder = Fixtures.ROOT.resolve("clip/" + model);
            List<String> images = Fixtures.imageOrder(folder.resolve(AA));
            float[] cosine = Fixtures.expected(folder.resolve(AA), "hpsv2aa_cosine"); // [N, M]
            int m = texts.size();
            StringBuilder manifest = new StringBuilder(); // text j with image j mod N: every text and every image once at least
            for (int j = 0; j < m; j++) {
                JsonObject row = new JsonObject();
                row.addProperty("image", Fixtures.ROOT.resolve("clip/images/" + images.get(j % images.size())).toString());
                row.add("prompt", texts.get(j).get("text"));
                manifest.append(row).append('\n');
            }
            Path in = dir.resolve(model + ".jsonl"), out = dir.resolve(model + "-scores.jsonl");
            Files.writeString(in, manifest);
            assertEquals(0, Fixtures.cli("score", "--metric", "hpsv2", "--set", "hpsv2:resize=antialias", "--model", folder.toString(),
                    "--input", in.toString(), "--output", out.toString(), "--batch-size", "16", "--quiet"));
            List<JsonObject> rows = Fixtures.jsonl(out);
            assertEquals(m, rows.size());
            double max = 0;
            for (int j = 0; j < m; j++)
                max = Math.max(max, Math.abs(rows.get(j).get("score").getAsDouble() - cosine[(j % images.size()) * m + j]));
            System.out.printf("%s: hpsv2 resize=antialias via CLI, %d pairs, max abs diff %.3g%n", model, rows.size(), max);
            assertTrue(max <= 1e-4, model + " max abs diff " + max);

            JsonObject meta = JsonParser.parseString(Files.readString(dir.resolve(model + "-scores.jsonl.meta.json"))).getAsJsonObject();
            assertEquals(2, meta.get("format").getAsInt());
            JsonObject hps = meta.getAsJsonArray("runs").get(0).getAsJsonObject().getAsJsonArray("metrics").get(0).getAsJsonObject();
            assertEquals("hpsv2", hps.get("name").getAsString());
            assertEquals("{\"resize\":\"antialias\"}", hps.get("options").toString());
            JsonObject weights = hps.getAsJsonObject("models").getAsJsonObject("model");
            assertEquals(folder.toString(), weights.get("spec").getAsString());
            assertEquals(folder.toAbsolutePath().normalize().toString(), weights.get("path").getAsString());
            assertEquals("cpu", hps.get("device").getAsString());
            assertEquals("fp32", hps.get("dtype").getAsString());
        }
    }

    @Test
    void eachHpsVersionTakesItsOwnResizeDefaultingToLegacyAndTheRunRecordsBoth() throws Exception {
        Path folder = Fixtures.ROOT.resolve("clip/clip-tiny-gelu");
        Path in = dir.resolve("m.jsonl"), out = dir.resolve("s.jsonl");
        Files.writeString(in, "{\"image\": \"" + Fixtures.ROOT.resolve("clip/images/rgb_640x480.jpg") + "\", \"prompt\": \"a cat\"}\n");
        assertEquals(0, Fixtures.cli("score", "--metric", "hpsv2,hpsv2.1", "--model", "hpsv2=" + folder, "--model", "hpsv2.1=" + folder,
                "--set", "hpsv2.1:resize=antialias", "--input", in.toString(), "--output", out.toString(), "--quiet"));
        JsonObject run = JsonParser.parseString(Files.readString(dir.resolve("s.jsonl.meta.json"))).getAsJsonObject()
                .getAsJsonArray("runs").get(0).getAsJsonObject();
        JsonObject v2 = run.getAsJsonArray("metrics").get(0).getAsJsonObject(), v21 = run.getAsJsonArray("metrics").get(1).getAsJsonObject();
        assertEquals("hpsv2", v2.get("name").getAsString());
        assertEquals("legacy", v2.getAsJsonObject("options").get("resize").getAsString());
        assertEquals("hpsv2.1", v21.get("name").getAsString());
        assertEquals("antialias", v21.getAsJsonObject("options").get("resize").getAsString());
        JsonObject row = Fixtures.jsonl(out).get(0);
        assertNull(row.get("error"));
        assertTrue(Math.abs(row.get("hpsv2").getAsDouble() - row.get("hpsv2.1").getAsDouble()) > 1e-3,
                "the two resizes of one image should give different scores: " + row);
    }

    @Test
    void preprocessWithResizeAntialiasMatchesTheTorchvision029PixelsWithin1e5() {
        for (String model : new String[] {"clip-tiny-gelu", "clip-tiny-quickgelu"}) {
            Path fixture = Fixtures.ROOT.resolve("clip/" + model + "/" + AA);
            float[] expected = Fixtures.expected(fixture, "hpsv2aa_pixel_values"); // [N, 3, S, S]
            List<String> order = Fixtures.imageOrder(fixture);
            int s = (int) Math.round(Math.sqrt(expected.length / (3.0 * order.size())));
            Path out = dir.resolve(model + ".safetensors");
            assertEquals(0, Fixtures.cli("preprocess", "--transform", "hpsv2", "--set", "hpsv2:resize=antialias", "--size",
                    Integer.toString(s), "--input", Fixtures.ROOT.resolve("clip/images").toString(), "--output", out.toString()));
            try (StateDict got = StateDict.load(out)) {
                int per = 3 * s * s;
                double worst = 0;
                for (int i = 0; i < order.size(); i++) {
                    float[] g = Tensors.toFloats(got.get(order.get(i)));
                    assertEquals(per, g.length, order.get(i));
                    for (int k = 0; k < per; k++) worst = Math.max(worst, Math.abs(expected[i * per + k] - g[k]));
                }
                System.out.printf("%s: preprocess hpsv2 resize=antialias, max abs diff %.3g%n", model, worst);
                assertTrue(worst <= 1e-5, model + " max abs diff " + worst);
            }
        }
    }
}

package dev.palate.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.palate.engine.Tensors;
import dev.palate.engine.weights.StateDict;

class PreprocessCommandTest {
    @TempDir Path dir;

    @Test
    void clipTransformMatchesOpenClipWithin1e5ForAllTenFixtureImages() {
        Path out = dir.resolve("p1.safetensors");
        assertEquals(0, Fixtures.cli("preprocess", "--transform", "clip", "--size", "224",
                "--input", Fixtures.ROOT.resolve("clip/images").toString(), "--output", out.toString()));
        try (StateDict expected = StateDict.load(Fixtures.ROOT.resolve("clip/preprocess_224.safetensors"));
             StateDict got = StateDict.load(out)) {
            assertEquals(10, got.keys().size());
            for (String key : expected.keys()) {
                float[] e = Tensors.toFloats(expected.get(key)), g = Tensors.toFloats(got.get(key));
                assertEquals(e.length, g.length, key);
                double max = 0;
                for (int i = 0; i < e.length; i++) max = Math.max(max, Math.abs(e[i] - g[i]));
                assertTrue(max <= 1e-5, key + " max abs diff " + max);
            }
        }
    }

    @Test
    void hpsv2TransformMatchesHpsv2PreprocessingWithin1e5() {
        for (String model : new String[] {"clip-tiny-gelu", "clip-tiny-quickgelu"}) {
            Path fixture = Fixtures.ROOT.resolve("clip/" + model + "/expected.safetensors");
            float[] expected = Fixtures.expected(fixture, "hpsv2_pixel_values");
            int n = Fixtures.imageOrder(fixture).size();
            int s = (int) Math.round(Math.sqrt(expected.length / (3.0 * n)));
            Path out = dir.resolve(model + ".safetensors");
            assertEquals(0, Fixtures.cli("preprocess", "--transform", "hpsv2", "--size", Integer.toString(s),
                    "--input", Fixtures.ROOT.resolve("clip/images").toString(), "--output", out.toString()));
            try (StateDict got = StateDict.load(out)) {
                int per = 3 * s * s;
                int i = 0;
                for (String name : Fixtures.imageOrder(fixture)) {
                    float[] g = Tensors.toFloats(got.get(name));
                    double max = 0;
                    for (int k = 0; k < per; k++) max = Math.max(max, Math.abs(expected[i * per + k] - g[k]));
                    assertTrue(max <= 1e-5, model + " " + name + " max abs diff " + max);
                    i++;
                }
            }
        }
    }

    @Test
    void hpsv3TransformWritesPixelValuesAndGridsMatchingTransformersWithin1e5ForAllNineImages() {
        Path out = dir.resolve("hpsv3.safetensors");
        assertEquals(0, Fixtures.cli("preprocess", "--transform", "hpsv3",
                "--input", Fixtures.ROOT.resolve("hpsv3/images").toString(), "--output", out.toString()));
        try (StateDict expected = StateDict.load(Fixtures.ROOT.resolve("hpsv3/preprocess.safetensors"));
             StateDict got = StateDict.load(out)) {
            assertEquals(18, got.keys().size());
            for (String key : expected.keys()) {
                if (!key.startsWith("image_grid_thw/")) continue;
                String name = key.substring("image_grid_thw/".length());
                assertArrayEquals(Tensors.toLongs(expected.get(key)), Tensors.toLongs(got.get(key)), name);
                float[] g = Tensors.toFloats(got.get("pixel_values/" + name));
                float[] head = Tensors.toFloats(expected.get("pixel_values_head/" + name));
                float[] tail = Tensors.toFloats(expected.get("pixel_values_tail/" + name));
                assertTrue(maxAbsDiff(g, 0, head) <= 1e-5, name + " head");
                assertTrue(maxAbsDiff(g, g.length - tail.length, tail) <= 1e-5, name + " tail");
            }
        }
    }

    @Test
    void qwen2vlTransformWithTheModelConfigMatchesTheGenericAndWhiteCompositeReferencesWithin1e5() throws Exception {
        Path config = Fixtures.ROOT.resolve("hpsv3/hpsv3-tiny/preprocessor_config.json");
        Path manifest = dir.resolve("generic.jsonl");
        StringBuilder lines = new StringBuilder();
        for (String name : List.of("03_rgba.png", "05_palette.png", "07_tiny.png"))
            lines.append("{\"image\": \"").append(Fixtures.ROOT.resolve("hpsv3/images").resolve(name).toAbsolutePath()).append("\"}\n");
        Files.writeString(manifest, lines);
        for (String alpha : List.of("drop", "white")) {
            Path out = dir.resolve("qwen2vl-" + alpha + ".safetensors");
            assertEquals(0, Fixtures.cli("preprocess", "--transform", "qwen2vl", "--preprocessor-config", config.toString(),
                    "--alpha", alpha, "--input", manifest.toString(), "--output", out.toString()));
            try (StateDict expected = StateDict.load(Fixtures.ROOT.resolve("hpsv3/preprocess.safetensors"));
                 StateDict got = StateDict.load(out)) {
                assertEquals(alpha, got.metadata().get("alpha"));
                List<String> names = alpha.equals("drop") ? List.of("03_rgba.png", "05_palette.png", "07_tiny.png") : List.of("03_rgba.png");
                for (String name : names) {
                    String prefix = alpha.equals("drop") ? "generic/" : "generic_white/";
                    float[] want = Tensors.toFloats(expected.get(prefix + "pixel_values/" + name));
                    float[] g = Tensors.toFloats(got.get("pixel_values/" + name));
                    assertEquals(want.length, g.length, name);
                    assertTrue(maxAbsDiff(g, 0, want) <= 1e-5, alpha + " " + name);
                    if (alpha.equals("drop"))
                        assertArrayEquals(Tensors.toLongs(expected.get("generic/image_grid_thw/" + name)),
                                Tensors.toLongs(got.get("image_grid_thw/" + name)), name);
                }
            }
        }
    }

    @Test
    void unknownAlphaConventionIsAnErrorNamingTheChoices() {
        Fixtures.Result r = Fixtures.cliCapturingErr("preprocess", "--transform", "hpsv3", "--alpha", "black",
                "--input", Fixtures.ROOT.resolve("hpsv3/images").toString(), "--output", dir.resolve("x.safetensors").toString());
        assertTrue(r.exitCode() != 0);
        assertTrue(r.err().contains("drop or white"), r.err());
    }

    private static double maxAbsDiff(float[] got, int from, float[] want) {
        double max = 0;
        for (int i = 0; i < want.length; i++) max = Math.max(max, Math.abs(want[i] - got[from + i]));
        return max;
    }
}

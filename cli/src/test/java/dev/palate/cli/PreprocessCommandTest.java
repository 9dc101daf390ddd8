package dev.palate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

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
}

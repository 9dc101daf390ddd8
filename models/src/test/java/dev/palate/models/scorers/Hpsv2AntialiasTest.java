package dev.palate.models.scorers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.palate.engine.Tensors;
import dev.palate.engine.weights.StateDict;
import dev.palate.models.ImageInput;
import dev.palate.models.ScoreMatrix;
import dev.palate.models.Scorer;
import dev.palate.models.ScorerOptions;
import dev.palate.models.ScorerRegistry;
import dev.palate.models.SharedModels;
import dev.palate.preprocess.ImageTransform;

/**
 * {@code hpsv2:resize=antialias}: HPSv2 as a fresh install (torchvision 0.29.1, open_clip 3.3) scores it, against
 * {@code expected_antialias.safetensors} of the clip-tiny models; the legacy default against {@code expected.safetensors}.
 */
class Hpsv2AntialiasTest {
    private static final String AA = "expected_antialias.safetensors";

    @ParameterizedTest
    @ValueSource(strings = {"clip-tiny-gelu", "clip-tiny-quickgelu"})
    void antialiasedHpsv2CosineMatchesTorchvision029Within1e4(String model) throws IOException {
        List<String> texts = ScorerFixtures.texts();
        List<ImageInput> images = ScorerFixtures.images(model);
        float[][] want = ScorerFixtures.matrix(model, AA, "hpsv2aa_cosine"); // [N images][M texts]
        float[][] legacy = ScorerFixtures.matrix(model, "hpsv2_cosine");
        try (Scorer s = ScorerRegistry.create("hpsv2", options(model).set("resize", "antialias").build())) {
            ScoreMatrix mx = s.matrix(texts, images);
            double d = 0, fromLegacy = 0;
            for (int m = 0; m < texts.size(); m++)
                for (int n = 0; n < images.size(); n++) {
                    d = Math.max(d, Math.abs(mx.get(m, n) - want[n][m]));
                    fromLegacy = Math.max(fromLegacy, Math.abs(mx.get(m, n) - legacy[n][m]));
                }
            System.out.printf("hpsv2 resize=antialias %s: max |diff| %.2e (vs the legacy keys %.3f)%n", model, d, fromLegacy);
            assertTrue(d <= 1e-4, "antialiased hpsv2 cosines differ by " + d);
            assertTrue(fromLegacy > 1e-2, "the antialiased scores should differ from the legacy ones, differ by " + fromLegacy);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"clip-tiny-gelu", "clip-tiny-quickgelu"})
    void theFactoryTransformForResizeAntialiasMatchesTheFixturePixelsWithin1e5(String model) {
        try (StateDict e = StateDict.load(ScorerFixtures.CLIP.resolve(model).resolve(AA))) {
            float[] want = Tensors.toFloats(e.get("hpsv2aa_pixel_values")); // [N, 3, S, S]
            int s = (int) e.info("hpsv2aa_pixel_values").shape()[2];
            ImageTransform t = Hpsv2Factory.transform(s, ScorerOptions.builder().set("resize", "antialias").build());
            List<ImageInput> images = ScorerFixtures.images(model);
            int per = 3 * s * s;
            double d = 0;
            for (int i = 0; i < images.size(); i++) {
                float[] got = images.get(i).pixels(t);
                for (int k = 0; k < per; k++) d = Math.max(d, Math.abs(got[k] - want[i * per + k]));
            }
            System.out.printf("hpsv2aa_pixel_values %s: max |diff| %.2e%n", model, d);
            assertTrue(d <= 1e-5, "antialiased P3 pixels differ by " + d);
        }
    }

    @Test
    void legacyStaysTheDefaultAndEachHpsVersionIsSetSeparately() {
        ScorerOptions antialias = ScorerOptions.builder().set("resize", "antialias").build();
        assertEquals(Map.of("resize", "legacy"), ScorerRegistry.factory("hpsv2").settings(ScorerOptions.defaults()));
        assertEquals(Map.of("resize", "antialias"), ScorerRegistry.factory("hpsv2.1").settings(antialias));
        assertFalse(Hpsv2Factory.transform(56, ScorerOptions.defaults()).antialias());
        assertTrue(Hpsv2Factory.transform(56, antialias).antialias());
    }

    private static ScorerOptions.Builder options(String model) {
        return ScorerOptions.builder().model(ScorerFixtures.CLIP.resolve(model).resolve("open_clip_state.pt").toString())
                .batchSize(4).shared(new SharedModels());
    }
}

package dev.palate.models.scorers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.palate.models.ImageInput;
import dev.palate.models.ScoreMatrix;
import dev.palate.models.Scorer;
import dev.palate.models.ScorerOptions;
import dev.palate.models.ScorerRegistry;
import dev.palate.models.SharedModels;
import dev.palate.tokenizers.clip.ClipTokenizer;

/**
 * HPSv2's scorer end to end on the clip-tiny models: image files → decode → P3 → model, texts → open_clip tokenizer
 * → model, raw cosine; against the fixture's hpsv2_cosine [image][text] within 1e-4.
 */
class Hpsv2EndToEndTest {

    @ParameterizedTest
    @ValueSource(strings = {"clip-tiny-gelu", "clip-tiny-quickgelu"})
    void hpsv2CosineFromImageFilesMatchesReferenceWithin1e4(String model) throws IOException {
        List<String> texts = ScorerFixtures.texts();
        List<ImageInput> images = ScorerFixtures.images(model);
        float[][] want = ScorerFixtures.matrix(model, "hpsv2_cosine"); // [N images][M texts]
        // The tokenizer is checked separately, so a failure below points at preprocessing or the model.
        long[] ids = dev.palate.engine.Tensors.toLongs(loadIds(model));
        int[][] enc = ClipTokenizer.openClip().encode(texts);
        for (int m = 0; m < texts.size(); m++)
            for (int i = 0; i < 77; i++) assertEquals(ids[m * 77 + i], enc[m][i], "token " + i + " of text " + m);

        ScorerOptions o = ScorerOptions.builder().model(ScorerFixtures.CLIP.resolve(model).resolve("open_clip_state.pt").toString())
                .batchSize(4).shared(new SharedModels()).build();
        try (Scorer s = ScorerRegistry.create("hpsv2", o)) {
            ScoreMatrix mx = s.matrix(texts, images);
            assertEquals("hpsv2", mx.metric().name());
            double d = 0;
            for (int m = 0; m < texts.size(); m++)
                for (int n = 0; n < images.size(); n++) d = Math.max(d, Math.abs(mx.get(m, n) - want[n][m]));
            System.out.printf("hpsv2 end-to-end %s: max |diff| %.2e over %dx%d%n", model, d, texts.size(), images.size());
            assertTrue(d <= 1e-4, "hpsv2 cosines differ by " + d);
            // one prompt broadcast over the images = that prompt's matrix row
            assertArrayEquals(mx.values()[3], s.score(texts.get(3), images).values(), 1e-6f);
        }
    }

    private static org.bytedeco.pytorch.Tensor loadIds(String model) {
        dev.palate.engine.weights.StateDict e = dev.palate.engine.weights.StateDict.load(
                ScorerFixtures.CLIP.resolve(model).resolve("expected.safetensors"));
        org.bytedeco.pytorch.Tensor t = e.get("input_ids").clone();
        e.close();
        return t;
    }
}

package dev.palate.models.scorers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import dev.palate.models.ImageInput;
import dev.palate.models.MetricInfo;
import dev.palate.models.ScoreMatrix;
import dev.palate.models.ScoreResult;
import dev.palate.models.Scorer;
import dev.palate.models.ScorerOptions;
import dev.palate.models.ScorerRegistry;
import dev.palate.models.SharedModels;

/** The Scorer contract on a tiny CLIP: shapes, pairs, caching, sharing, threads, close. */
class ClipScorerBehaviourTest {
    static final String TINY = ScorerFixtures.CLIP.resolve("clip-tiny-gelu").toString();

    static ScorerOptions opts(SharedModels shared, int batch) {
        return ScorerOptions.builder().model(TINY).batchSize(batch).shared(shared).build();
    }

    @Test
    void registryListsTheClipFamilyWithScalesAndDirections() {
        for (String n : List.of("clip-score", "aesthetic-v1", "aesthetic-v2", "pickscore", "hpsv2", "hpsv2.1", "ict", "hp")) {
            MetricInfo m = ScorerRegistry.metric(n);
            assertEquals(n, m.name());
            assertEquals(MetricInfo.Direction.HIGHER_IS_BETTER, m.direction());
            assertFalse(m.scale().isBlank());
        }
        assertTrue(ScorerRegistry.metric("hpsv2").scale().contains("100"), "HPSv2 states the ×100 benchmark scale");
        assertFalse(ScorerRegistry.metric("aesthetic-v1").usesPrompt());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScorerRegistry.factory("nope"));
        assertTrue(e.getMessage().contains("hpsv2.1"), e.getMessage());
    }

    @Test
    void pairsMatrixAndBroadcastAgreeAndMismatchedPairsAreRefused() throws Exception {
        List<String> texts = ScorerFixtures.texts().subList(0, 3);
        List<ImageInput> images = ScorerFixtures.images("clip-tiny-gelu").subList(0, 3);
        try (Scorer s = ScorerRegistry.create("pickscore", opts(new SharedModels(), 2))) {
            ScoreMatrix mx = s.matrix(texts, images);
            assertEquals(3, mx.prompts());
            assertEquals(3, mx.images());
            ScoreResult pairs = s.score(texts, images);
            for (int i = 0; i < 3; i++) assertEquals(mx.get(i, i), pairs.get(i), 1e-6f);
            assertArrayEquals(mx.values()[1], s.score(texts.get(1), images).values(), 1e-6f);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.score(texts.subList(0, 2), images));
            assertTrue(e.getMessage().contains("2 prompts but 3 images"), e.getMessage());
        }
    }

    @Test
    void onePromptOverManyImagesEncodesTheTextOnce() throws Exception {
        List<ImageInput> images = ScorerFixtures.images("clip-tiny-gelu").subList(4, 10); // the small ones
        try (Scorer s = ScorerRegistry.create("clip-score", opts(new SharedModels(), 4))) {
            ClipScorer cs = (ClipScorer) s;
            s.score("a red cube", images);
            s.score("a red cube", images.subList(0, 2));
            s.score(List.of("a red cube", "a red cube", "a blue ball"), images.subList(0, 3));
            assertEquals(2, cs.cachedPrompts());
            for (float v : s.score("a red cube", images).values()) assertTrue(v >= 0 && v <= 100, "clip-score in [0,100]: " + v);
        }
    }

    @Test
    void scorersOnTheSameCheckpointShareOneModel() {
        SharedModels shared = new SharedModels();
        try (Scorer a = ScorerRegistry.create("clip-score", opts(shared, 8));
             Scorer b = ScorerRegistry.create("ict", opts(shared, 8))) {
            assertEquals(1, shared.size());
            assertTrue(((ClipScorer) a).model() == ((ClipScorer) b).model());
            a.close();
            assertEquals(1, shared.size(), "still held by the second scorer");
        }
        assertEquals(0, shared.size());
    }

    @Test
    void concurrentCallsGiveTheSameScoresAsSequentialOnes() throws Exception {
        List<String> texts = ScorerFixtures.texts().subList(0, 4);
        List<ImageInput> images = ScorerFixtures.images("clip-tiny-gelu").subList(4, 10);
        try (Scorer s = ScorerRegistry.create("hpsv2", opts(new SharedModels(), 3))) {
            ScoreMatrix ref = s.matrix(texts, images);
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                List<Future<ScoreResult>> fs = new ArrayList<>();
                for (int k = 0; k < 6; k++) {
                    int m = k % texts.size();
                    fs.add(pool.submit(() -> s.score(texts.get(m), images)));
                }
                for (int k = 0; k < fs.size(); k++) assertArrayEquals(ref.values()[k % texts.size()], fs.get(k).get().values(), 1e-6f);
            } finally {
                pool.shutdown();
            }
            s.close();
            assertThrows(IllegalStateException.class, () -> s.score("x", images));
        }
    }

    @Test
    void pickscoreIsLogitScaleTimesIctCosineAndClipScoreIs100TimesItClamped() throws Exception {
        // ict, pickscore and clip-score share P2 preprocessing, so on one backbone they differ only in the final step.
        List<String> texts = ScorerFixtures.texts().subList(0, 5);
        List<ImageInput> images = ScorerFixtures.images("clip-tiny-gelu").subList(4, 8);
        SharedModels shared = new SharedModels();
        try (Scorer ict = ScorerRegistry.create("ict", opts(shared, 8));
             Scorer pick = ScorerRegistry.create("pickscore", opts(shared, 8));
             Scorer clip = ScorerRegistry.create("clip-score", opts(shared, 8))) {
            float scale = (float) Math.exp(((ClipScorer) pick).model().logitScale());
            ScoreMatrix c = ict.matrix(texts, images), p = pick.matrix(texts, images), k = clip.matrix(texts, images);
            boolean sawNegative = false;
            for (int m = 0; m < texts.size(); m++)
                for (int n = 0; n < images.size(); n++) {
                    assertEquals(scale * c.get(m, n), p.get(m, n), 1e-4f);
                    assertEquals(100f * Math.max(c.get(m, n), 0f), k.get(m, n), 1e-4f);
                    sawNegative |= c.get(m, n) < 0;
                }
            assertTrue(sawNegative, "random weights give some negative cosines, so the clamp is exercised");
        }
    }

    @Test
    void hpIsTheSigmoidOfItsHeadOnRawImageEmbeddings(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
        // A tiny 32-4-1 head in HP's key layout (layers.0 / layers.2, a Dropout between them upstream).
        float[] w0 = new float[4 * 32], b0 = {0.1f, -0.2f, 0.3f, 0f}, w2 = {0.5f, -0.25f, 0.125f, 1f}, b2 = {0.05f};
        for (int i = 0; i < w0.length; i++) w0[i] = (float) Math.sin(i) * 0.3f;
        java.nio.file.Path head = tmp.resolve("mlp.safetensors");
        try (dev.palate.engine.NativeScope s = dev.palate.engine.NativeScope.open()) {
            dev.palate.engine.weights.SafetensorsWriter.write(head, java.util.Map.of(
                    "layers.0.weight", dev.palate.engine.Tensors.fromFloats(w0, 4, 32), "layers.0.bias", dev.palate.engine.Tensors.fromFloats(b0, 4),
                    "layers.2.weight", dev.palate.engine.Tensors.fromFloats(w2, 1, 4), "layers.2.bias", dev.palate.engine.Tensors.fromFloats(b2, 1)), null);
        }
        List<ImageInput> images = ScorerFixtures.images("clip-tiny-gelu").subList(4, 8);
        ScorerOptions o = ScorerOptions.builder().model(ScorerOptions.BACKBONE, TINY).model(ScorerOptions.HEAD, head.toString())
                .shared(new SharedModels()).build();
        try (Scorer hp = ScorerRegistry.create("hp", o)) {
            float[] got = hp.score("ignored", images).values();
            float[][] e = ((ClipScorer) hp).imageEmbeddings(images); // raw, not normalised
            for (int n = 0; n < images.size(); n++) {
                double out = b2[0];
                for (int j = 0; j < 4; j++) {
                    double h = b0[j];
                    for (int i = 0; i < 32; i++) h += (double) w0[j * 32 + i] * e[n][i];
                    out += w2[j] * h;
                }
                assertEquals(1.0 / (1.0 + Math.exp(-out)), got[n], 1e-5);
                assertTrue(got[n] > 0 && got[n] < 1);
            }
            assertArrayEquals(got, hp.score(List.of("a", "b"), images).values(), 0f); // prompts ignored, lengths too
        }
    }

    @Test
    void aestheticRefusesABackboneOfTheWrongWidth() {
        ScorerOptions o = ScorerOptions.builder().model(ScorerOptions.BACKBONE, TINY)
                .model(ScorerOptions.HEAD, ScorerFixtures.CLIP.resolve("../aesthetic-weights/sa_0_4_vit_l_14_linear.pth").toString())
                .shared(new SharedModels()).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScorerRegistry.create("aesthetic-v1", o));
        assertTrue(e.getMessage().contains("768"), e.getMessage());
    }

    @Test
    void aestheticWithoutAHeadSaysWhatToPass() {
        ScorerOptions o = ScorerOptions.builder().model(ScorerOptions.BACKBONE, TINY).shared(new SharedModels()).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScorerRegistry.create("aesthetic-v2", o));
        assertTrue(e.getMessage().contains("head"), e.getMessage());
    }
}

package dev.palate.models.blip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonParser;

import dev.palate.engine.Tensors;
import dev.palate.models.ImageInput;
import dev.palate.models.ModelLocator;
import dev.palate.models.ModelNotFoundException;
import dev.palate.models.ScoreMatrix;
import dev.palate.models.Scorer;
import dev.palate.models.ScorerOptions;
import dev.palate.models.ScorerRegistry;
import dev.palate.models.SharedModels;
import dev.palate.engine.weights.StateDict;

/**
 * End to end through the Scorer API against ImageReward on the reference stack: decode → P1 at the model's size →
 * BERT tokenizer (max 35) → model; text j of {@code wordpiece_cases.jsonl} with image {@code image_order[j mod N]}.
 */
class ImageRewardScorerTest {
    private static final double TOLERANCE = 1e-4;
    private static final Path DATA = Path.of(System.getProperty("palate.testdata"));
    private static final Path DIR = DATA.resolve("imagereward");

    private static Scorer scorer;
    private static List<String> texts;
    private static List<ImageInput> images; // images.get(j) pairs with texts.get(j)
    private static float[] expected;

    @BeforeAll
    static void load() throws Exception {
        texts = new ArrayList<>();
        for (String line : Files.readAllLines(DIR.resolve("wordpiece_cases.jsonl")))
            if (!line.isBlank()) texts.add(JsonParser.parseString(line).getAsJsonObject().get("text").getAsString());
        try (StateDict ref = StateDict.load(DIR.resolve("text_expected.safetensors"))) {
            expected = Tensors.toFloats(ref.get("text_reward"));
            List<String> order = new ArrayList<>();
            JsonParser.parseString(ref.metadata().get("image_order")).getAsJsonArray().forEach(e -> order.add(e.getAsString()));
            long[] index = Tensors.toLongs(ref.get("image_index"));
            images = new ArrayList<>();
            List<ImageInput> inputs = new ArrayList<>();
            for (String name : order) inputs.add(ImageInput.of(DATA.resolve("clip/images").resolve(name)));
            for (int j = 0; j < texts.size(); j++) {
                assertEquals(j % order.size(), index[j], "image_index of text " + j);
                images.add(inputs.get(j % order.size()));
            }
        }
        assertEquals(expected.length, texts.size());
        scorer = ScorerRegistry.create("imagereward", ScorerOptions.builder().model(DIR.toString()).batchSize(8)
                .shared(new SharedModels()).build());
    }

    @AfterAll
    static void close() {
        if (scorer != null) scorer.close();
    }

    @Test
    void pairedTextRewardsMatchImageRewardEndToEndWithin1e4() {
        float[] got = scorer.score(texts, images).values();
        double max = 0;
        for (int j = 0; j < got.length; j++) max = Math.max(max, Math.abs(got[j] - expected[j]));
        System.out.printf("imagereward end-to-end text_reward (%d pairs) max |diff| = %.3e%n", got.length, max);
        assertTrue(max <= TOLERANCE, "max |diff| " + max + " > " + TOLERANCE);
    }

    @Test
    void matrixAgreesWithPairedScoresWithin1e5() {
        List<String> prompts = texts.subList(0, 3);
        List<ImageInput> imgs = images.subList(0, 10);
        ScoreMatrix m = scorer.matrix(prompts, imgs);
        for (int p = 0; p < prompts.size(); p++) {
            float[] row = scorer.score(prompts.get(p), imgs).values();
            for (int n = 0; n < imgs.size(); n++) assertEquals(row[n], m.get(p, n), 1e-5, "prompt " + p + " image " + n);
        }
        for (int j = 0; j < 3; j++) assertEquals(expected[j], m.get(j, j), TOLERANCE, "text " + j);
    }

    @Test
    void rankGivesOneToTheBestRewardLikeInferenceRank() {
        ImageRewardScorer ir = (ImageRewardScorer) scorer;
        ImageRewardScorer.Ranking r = ir.rank(texts.get(0), images.subList(0, 10));
        float[] rewards = scorer.score(texts.get(0), images.subList(0, 10)).values();
        assertArrayEquals(rewards, r.rewards(), 0f);
        for (int i = 0; i < rewards.length; i++) {
            int better = 0;
            for (float v : rewards) if (v > rewards[i]) better++;
            assertEquals(better + 1, r.ranks()[i], "rank of image " + i);
        }
    }

    @Test
    void metricIsRegisteredHigherIsBetter() {
        assertTrue(ScorerRegistry.names().contains("imagereward"));
        assertEquals("imagereward", scorer.metric().name());
    }

    @Test
    void defaultIdsAreLookedUpInTheCachesAndTheErrorSaysWhere(@org.junit.jupiter.api.io.TempDir Path home) throws Exception {
        ModelLocator empty = new ModelLocator(Map.of(), home);
        ModelNotFoundException e = assertThrows(ModelNotFoundException.class, () -> ImageRewardScorerFactory.locate(null, empty));
        assertTrue(e.getMessage().contains("THUDM/ImageReward") && e.getMessage().contains("zai-org/ImageReward"), e.getMessage());
        Path snap = home.resolve(".cache/huggingface/hub/models--zai-org--ImageReward/snapshots/abc");
        Files.createDirectories(snap);
        Files.copy(DIR.resolve("ImageReward.pt"), snap.resolve("ImageReward.pt"));
        assertEquals(snap, ImageRewardScorerFactory.locate(null, empty));
    }
}

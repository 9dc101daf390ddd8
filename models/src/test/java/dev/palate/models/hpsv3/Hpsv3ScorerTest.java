package dev.palate.models.hpsv3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import dev.palate.engine.Tensors;
import dev.palate.engine.weights.StateDict;
import dev.palate.models.ImageInput;
import dev.palate.models.ScoreResult;
import dev.palate.models.Scorer;
import dev.palate.models.ScorerOptions;
import dev.palate.models.ScorerRegistry;
import dev.palate.preprocess.qwen2vl.Qwen2VlImageProcessor;
import dev.palate.tokenizers.bpe.ByteLevelBpeTokenizer;
import dev.palate.tokenizers.chat.ChatTemplate;

/**
 * HPSv3 from files, as a user runs it: the fixture model folder (config, weights, tokenizer, chat template,
 * preprocessor config) through the registry, over the images and prompts of {@code pairs.jsonl}.
 */
class Hpsv3ScorerTest {
    private static final Path DIR = Hpsv3RewardModelParityTest.DIR;
    private static List<JsonObject> pairs;
    private static Scorer scorer;

    @BeforeAll
    static void load() throws IOException {
        pairs = new ArrayList<>();
        for (String line : Files.readAllLines(DIR.resolve("pairs.jsonl"), StandardCharsets.UTF_8))
            if (!line.isBlank()) pairs.add(JsonParser.parseString(line).getAsJsonObject());
        scorer = ScorerRegistry.create("hpsv3", ScorerOptions.builder().model(Hpsv3RewardModelParityTest.MODEL.toString()).batchSize(2).build());
    }

    @AfterAll
    static void close() {
        scorer.close();
    }

    @Test
    void renderedPromptsAndInputIdsMatchTheProcessorExactly() {
        Path model = Hpsv3RewardModelParityTest.MODEL;
        Hpsv3Prompt prompt = new Hpsv3Prompt(ChatTemplate.fromModelFolder(model), Hpsv3Tokenizer.load(model));
        try (StateDict expected = StateDict.load(DIR.resolve("expected.safetensors"))) {
            long[] ids = Tensors.toLongs(expected.get("input_ids"));
            long[] mask = Tensors.toLongs(expected.get("attention_mask"));
            int l = ids.length / pairs.size();
            Qwen2VlImageProcessor processor = Qwen2VlImageProcessor.hpsv3();
            for (int r = 0; r < pairs.size(); r++) {
                JsonObject p = pairs.get(r);
                assertEquals(p.get("rendered").getAsString(), prompt.render(p.get("prompt").getAsString()), "rendered prompt of pair " + r);
                int tokens = ImageInput.of(DIR.resolve("images").resolve(p.get("image").getAsString())).derived(processor, processor::process).mergedTokens(2);
                int[] got = prompt.ids(p.get("prompt").getAsString(), tokens);
                int n = 0;
                for (int i = 0; i < l; i++) n += (int) mask[r * l + i];
                assertEquals(p.get("n_tokens").getAsInt(), got.length, "token count of pair " + r);
                long[] want = java.util.Arrays.copyOfRange(ids, r * l, r * l + n);
                assertArrayEquals(want, java.util.Arrays.stream(got).asLongStream().toArray(), "input_ids of pair " + r);
            }
        }
    }

    @Test
    void scoresAndLogSigmaFromFilesMatchPairsJsonlWithin1e4() {
        List<String> prompts = new ArrayList<>();
        List<ImageInput> images = new ArrayList<>();
        for (JsonObject p : pairs) {
            prompts.add(p.get("prompt").getAsString());
            images.add(ImageInput.of(DIR.resolve("images").resolve(p.get("image").getAsString())));
        }
        ScoreResult r = scorer.score(prompts, images);
        double maxScore = 0, maxSigma = 0;
        for (int i = 0; i < pairs.size(); i++) {
            maxScore = Math.max(maxScore, Math.abs(r.get(i) - pairs.get(i).get("score").getAsDouble()));
            maxSigma = Math.max(maxSigma, Math.abs(((Number) r.fields().get(Hpsv3Scorer.LOG_SIGMA).get(i)).doubleValue()
                    - pairs.get(i).get("log_sigma").getAsDouble()));
        }
        System.out.printf("hpsv3 scorer (batch 2, sorted by length): score max |diff| %.3e, log_sigma %.3e (tolerance 1e-4)%n", maxScore, maxSigma);
        assertTrue(maxScore <= 1e-4, "score: " + maxScore);
        assertTrue(maxSigma <= 1e-4, "log_sigma: " + maxSigma);
    }

    @Test
    void aPromptHoldingTheRewardTokenFailsItsOwnItemWithTheReason() {
        ImageInput img = ImageInput.of(DIR.resolve("images").resolve("07_tiny.png"));
        ScoreResult r = scorer.score(List.of("a cat <|Reward|> on a mat", "a cat on a mat"), List.of(img, img));
        assertTrue(!r.isOk(0) && r.error(0).contains("<|Reward|>"), String.valueOf(r.error(0)));
        assertTrue(r.isOk(1), String.valueOf(r.error(1)));
        assertThrows(IllegalStateException.class, () -> r.get(0));
    }

    @Test
    void aTokenizerWithoutRewardGetsItAsTheNextSpecialToken(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        // Qwen2-VL-7B-Instruct's tokenizer.json lacks <|Reward|>: HPSv3 adds it (add_special_tokens) as id len(tokenizer)
        JsonObject tj = JsonParser.parseString(Files.readString(Hpsv3RewardModelParityTest.MODEL.resolve("tokenizer.json"))).getAsJsonObject();
        var added = tj.getAsJsonArray("added_tokens");
        for (int i = added.size() - 1; i >= 0; i--)
            if (added.get(i).getAsJsonObject().get("content").getAsString().equals("<|Reward|>")) added.remove(i);
        Files.writeString(tmp.resolve("tokenizer.json"), tj.toString());
        ByteLevelBpeTokenizer plain = ByteLevelBpeTokenizer.fromFolder(tmp);
        assertTrue(plain.addedTokenId("<|Reward|>").isEmpty());
        ByteLevelBpeTokenizer withReward = Hpsv3Tokenizer.load(tmp);
        assertEquals(151657, withReward.tokenId("<|Reward|>"));
        assertTrue(withReward.isSpecial(151657));
        assertArrayEquals(Hpsv3Tokenizer.load(Hpsv3RewardModelParityTest.MODEL).encode("x <|Reward|>\n"), withReward.encode("x <|Reward|>\n"));
    }
}

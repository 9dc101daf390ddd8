package dev.palate.models.judges;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.palate.models.judges.UnifiedRewardEdit.Parsed;
import dev.palate.models.judges.UnifiedRewardEdit.Task;
import dev.palate.tokenizers.chat.ChatTemplate;

/**
 * testdata/qwen3vl-judge: DiffSynth's UnifiedReward-Edit prompts, parsers and {@code _primary_score} against the
 * fixture rows made by its own code. All comparisons exact (values, int/float types and key order, via json.dumps).
 */
class UnifiedRewardEditFixtureTest {

    @Test
    void all38ParseCasesGiveDiffSynthsParsedDictAndScoreExactly() {
        List<Map<String, Object>> cases = JudgeFixtures.rows(JudgeFixtures.QWEN3VL.resolve("parse_cases.jsonl"));
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            Map<String, Object> c = cases.get(i);
            Parsed p = UnifiedRewardEdit.parse((String) c.get("raw"), Task.of((String) c.get("task")));
            String want = JudgeFixtures.py(c.get("parsed")) + " " + JudgeFixtures.py(c.get("score"));
            String got = JudgeFixtures.py(p.fields()) + " " + JudgeFixtures.py(p.score());
            if (!want.equals(got)) failures.add("case " + i + " " + c.get("raw") + ": want " + want + ", got " + got);
        }
        assertEquals(List.of(), failures);
        assertEquals(38, cases.size());
    }

    @Test
    void unparsedOutputsCarryAParseErrorAndParsedOnesDoNot() {
        List<Map<String, Object>> cases = JudgeFixtures.rows(JudgeFixtures.QWEN3VL.resolve("parse_cases.jsonl"));
        int errors = 0;
        for (Map<String, Object> c : cases) {
            Parsed p = UnifiedRewardEdit.parse((String) c.get("raw"), Task.of((String) c.get("task")));
            Map<?, ?> parsed = (Map<?, ?>) c.get("parsed");
            boolean unparsed = switch (p.task()) {
                case POINTWISE -> parsed.get("score") == null;
                case PAIRWISE_RANK -> parsed.get("winner") == null;
                case PAIRWISE_SCORE -> parsed.get("image_1_score") == null || parsed.get("image_2_score") == null;
            };
            assertEquals(unparsed, p.parseError() != null, c.get("raw") + " → " + p.parseError());
            if (unparsed) errors++;
        }
        assertEquals(9, errors); // 4 pointwise, 2 rank (scored 0, as a tie is), 3 pair
    }

    @Test
    void userTextAndRenderedChatOfEveryTaskAndInstructionMatchPromptsJsonl() {
        ChatTemplate template = ChatTemplate.fromModelFolder(JudgeFixtures.QWEN3VL.resolve("tokenizer"));
        List<Map<String, Object>> rows = JudgeFixtures.rows(JudgeFixtures.QWEN3VL.resolve("prompts.jsonl"));
        int nullInstructions = 0;
        for (Map<String, Object> r : rows) {
            Task task = Task.of((String) r.get("task"));
            String instruction = (String) r.get("instruction");
            if (instruction == null) nullInstructions++;
            assertEquals(((Number) r.get("num_images")).intValue(), task.imageCount());
            assertEquals(r.get("user_text"), UnifiedRewardEdit.userText(task, instruction), task + " " + instruction);
            assertEquals(r.get("chat_text"), UnifiedRewardEdit.chatText(template, task, instruction), task + " " + instruction);
        }
        assertEquals(12, rows.size());
        assertEquals(3, nullInstructions);
        assertEquals(UnifiedRewardEdit.userText(Task.POINTWISE, null), UnifiedRewardEdit.userText(Task.POINTWISE, ""));
    }

    @Test
    void forwardCasesDecodedTextsParseToWhatTheFixtureRecorded() {
        Map<String, Object> forward = JudgeFixtures.object(JudgeFixtures.QWEN3VL.resolve("forward_cases.json"));
        List<?> cases = (List<?>) forward.get("cases");
        for (Object o : cases) {
            Map<?, ?> c = (Map<?, ?>) o;
            Parsed p = UnifiedRewardEdit.parse((String) c.get("decoded"), Task.of((String) c.get("task")));
            assertEquals(JudgeFixtures.py(c.get("parsed")), JudgeFixtures.py(p.fields()), "case " + c.get("case"));
            assertEquals(JudgeFixtures.py(c.get("score")), JudgeFixtures.py(p.score()), "case " + c.get("case"));
            assertNotNull(p.parseError()); // random weights write no verdict
        }
        assertEquals(3, cases.size());
    }

    @Test
    void taskNamesAcceptCliAndDiffSynthSpellings() {
        assertEquals(Task.POINTWISE, Task.of("pointwise"));
        assertEquals(Task.POINTWISE, Task.of("edit_pointwise_score"));
        assertEquals(Task.PAIRWISE_RANK, Task.of("pairwise-rank"));
        assertEquals(Task.PAIRWISE_RANK, Task.of("EDIT_PAIRWISE_RANK"));
        assertEquals(Task.PAIRWISE_SCORE, Task.of("pairwise-score"));
        assertEquals(Task.PAIRWISE_SCORE, Task.of("edit_pairwise_score"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Task.of("pairwise"));
        assertEquals(true, e.getMessage().contains("pointwise, pairwise-rank or pairwise-score"));
        assertEquals(Task.POINTWISE, UnifiedRewardEdit.DEFAULT_TASK);
    }

    @Test
    void generationIsGreedy256TokensStoppingOnImEnd() {
        GenerationSettings g = UnifiedRewardEdit.GENERATION;
        assertEquals(256, g.maxNewTokens());
        assertEquals(false, g.doSample());
        assertEquals(1.0, g.repetitionPenalty());
        assertEquals("<|im_end|>", g.eosToken());
        assertEquals("<|endoftext|>", g.padToken());
        assertEquals(24, g.withMaxNewTokens(24).maxNewTokens());
    }

    @Test
    void messagesShowTheImagesFirstThenTheText() {
        List<Map<String, Object>> m = UnifiedRewardEdit.messages(Task.PAIRWISE_SCORE, "x");
        assertEquals(1, m.size());
        List<?> content = (List<?>) m.get(0).get("content");
        assertEquals(List.of("image", "image", "image", "text"), content.stream().map(p -> ((Map<?, ?>) p).get("type")).toList());
        assertEquals(2, ((List<?>) UnifiedRewardEdit.messages(Task.POINTWISE, "x").get(0).get("content")).size() - 1);
    }

    @Test
    void anIntegerScoreBeyondTheDoubleRangeRaisesUpstreamAndGivesANullScore() {
        // float(10**400) raises OverflowError in _coerce_float; the metric's compute() would fail
        Parsed p = UnifiedRewardEdit.parse("{\"score\": [" + "1".repeat(400) + ", 3]}", Task.POINTWISE);
        assertNull(p.fields());
        assertNull(p.score());
        assertEquals(true, p.parseError().contains("OverflowError"), p.parseError());
    }
}

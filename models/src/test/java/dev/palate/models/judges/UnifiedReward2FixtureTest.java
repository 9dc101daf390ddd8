package dev.palate.models.judges;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.palate.tokenizers.chat.ChatTemplate;

/** testdata/qwen35-judge, judge "ur2": DiffSynth's UnifiedReward 2.0 prompt and parser. Exact. */
class UnifiedReward2FixtureTest {

    @Test
    void all26ParseCasesGiveDiffSynthsDictAndPrimaryScoreExactly() {
        List<String> failures = new ArrayList<>();
        int n = 0;
        for (Map<String, Object> c : JudgeFixtures.rows(JudgeFixtures.QWEN35.resolve("parse_cases.jsonl"))) {
            if (!c.get("judge").equals("ur2")) continue;
            n++;
            UnifiedReward2.Parsed p = UnifiedReward2.parse((String) c.get("raw"));
            String want = JudgeFixtures.py(c.get("expected")) + " " + JudgeFixtures.py(c.get("primary_score"));
            String got = JudgeFixtures.py(p.fields()) + " " + JudgeFixtures.py(p.score());
            if (!want.equals(got)) failures.add(c.get("raw") + ": want " + want + ", got " + got);
            assertEquals(p.score() == null, p.parseError() != null, String.valueOf(c.get("raw")));
        }
        assertEquals(List.of(), failures);
        assertEquals(26, n);
    }

    @Test
    void userTextAndChatOfEveryPromptMatchPromptsJsonlEndingInThink() {
        ChatTemplate template = ChatTemplate.fromModelFolder(JudgeFixtures.QWEN35.resolve("model"));
        int n = 0;
        for (Map<String, Object> r : JudgeFixtures.rows(JudgeFixtures.QWEN35.resolve("prompts.jsonl"))) {
            if (!r.get("judge").equals("ur2")) continue;
            n++;
            String prompt = (String) r.get("prompt");
            List<?> content = (List<?>) ((Map<?, ?>) ((List<?>) r.get("messages")).get(0)).get("content");
            assertEquals("image", ((Map<?, ?>) content.get(0)).get("type"));
            assertEquals(((Map<?, ?>) content.get(1)).get("text"), UnifiedReward2.userText(prompt));
            String chat = UnifiedReward2.chatText(template, prompt);
            assertEquals(r.get("chat_text"), chat);
            assertTrue(chat.endsWith("<|im_start|>assistant\n<think>\n"));
        }
        assertEquals(3, n);
    }

    @Test
    void forwardCasesDecodedTextsHoldNoScores() {
        // forward.json records no parse; DiffSynth's _parse_output on these texts gives all None (run on CPython 3.11)
        int n = 0;
        for (Object o : (List<?>) JudgeFixtures.object(JudgeFixtures.QWEN35.resolve("forward.json")).get("cases")) {
            Map<?, ?> c = (Map<?, ?>) o;
            if (!c.get("judge").equals("ur2")) continue;
            n++;
            UnifiedReward2.Parsed p = UnifiedReward2.parse((String) c.get("decoded_skip_special"));
            assertEquals("{\"alignment\": null, \"coherence\": null, \"style\": null, \"score\": null}", JudgeFixtures.py(p.fields()));
            assertNotNull(p.parseError());
        }
        assertEquals(2, n);
    }

    @Test
    void generationIsGreedy1024TokensWithoutRepetitionPenalty() {
        assertEquals(1024, UnifiedReward2.GENERATION.maxNewTokens());
        assertEquals(1.0, UnifiedReward2.GENERATION.repetitionPenalty());
        assertEquals(false, UnifiedReward2.GENERATION.doSample());
        assertEquals("<|im_end|>", UnifiedReward2.GENERATION.eosToken());
        assertEquals(Map.of(), UnifiedReward2.chatVariables());
    }
}

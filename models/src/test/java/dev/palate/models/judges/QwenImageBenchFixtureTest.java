package dev.palate.models.judges;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.palate.tokenizers.chat.ChatTemplate;

/** testdata/qwen35-judge, judges "qib" and "qib_sample": DiffSynth's Qwen-Image-Bench prompts, parser, aggregation. Exact. */
class QwenImageBenchFixtureTest {

    private static List<Map<String, Object>> cases(String judge) {
        return JudgeFixtures.rows(JudgeFixtures.QWEN35.resolve("parse_cases.jsonl")).stream().filter(c -> c.get("judge").equals(judge)).toList();
    }

    @Test
    void all27DimensionParseCasesGiveDiffSynthsParsedAndExtractedJsonExactly() {
        List<String> failures = new ArrayList<>();
        List<Map<String, Object>> cases = cases("qib");
        int raised = 0;
        for (Map<String, Object> c : cases) {
            QwenImageBench.DimensionResult r = QwenImageBench.parse((String) c.get("raw"), (String) c.get("dimension"));
            if (c.get("error") != null) {
                raised++;
                if (!r.raised() || r.score() != null || !r.parseError().contains((String) c.get("error")))
                    failures.add(c.get("raw") + ": want " + c.get("error") + ", got " + r);
                continue;
            }
            String want = JudgeFixtures.py(c.get("parsed")) + " " + JudgeFixtures.py(c.get("extracted_json"));
            String got = JudgeFixtures.py(r.parsed()) + " " + JudgeFixtures.py(r.extractedJson());
            if (!want.equals(got)) failures.add(c.get("raw") + ":\n want " + want + "\n got  " + got);
            assertEquals(c.get("parsed") == null, r.parseError() != null, String.valueOf(c.get("raw")));
        }
        assertEquals(List.of(), failures);
        assertEquals(27, cases.size());
        assertEquals(2, raised);
    }

    @Test
    void all4SampleCasesGiveEvaluatesDictAndComputesScoreExactly() {
        List<Map<String, Object>> cases = cases("qib_sample");
        for (Map<String, Object> c : cases) {
            @SuppressWarnings("unchecked")
            List<String> dims = (List<String>) c.get("dimensions");
            Map<String, String> raw = new LinkedHashMap<>();
            ((Map<?, ?>) c.get("raw_outputs")).forEach((k, v) -> raw.put((String) k, (String) v));
            QwenImageBench.SampleResult s = QwenImageBench.evaluate(dims, raw);
            assertEquals(JudgeFixtures.py(c.get("expected")), JudgeFixtures.py(s.evaluation()), String.valueOf(dims));
            assertEquals(JudgeFixtures.py(c.get("primary_score")), JudgeFixtures.py(s.score()), String.valueOf(dims));
            assertEquals(s.parseFailures().isEmpty(), s.parseError() == null);
        }
        assertEquals(4, cases.size());
    }

    @Test
    void anAllNotApplicableSampleScoresZeroAsComputeDoesWithANullTotal() {
        Map<String, String> raw = Map.of("Aesthetics", "{\"Composition\": {\"Composition\": {\"score\": \"N/A\"}}}");
        QwenImageBench.SampleResult s = QwenImageBench.evaluate(List.of("Aesthetics"), raw);
        assertNull(s.totalScore());
        assertEquals(0.0, s.score());
        assertNull(s.parseError());
    }

    @Test
    void aSampleWithARaisingDimensionHasANullScoreAndNamesTheDimension() {
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put("Quality", "{\"Realism\": {\"Physical Logic\": {\"score\": 1}}}");
        raw.put("Alignment", "[1, 2, 3]");
        QwenImageBench.SampleResult s = QwenImageBench.evaluate(List.of("Quality", "Alignment"), raw);
        assertTrue(s.raised());
        assertNull(s.score());
        assertNull(s.evaluation());
        assertTrue(s.parseError().contains("AttributeError") && s.parseError().contains("Alignment"), s.parseError());
    }

    @Test
    void everyDimensionsPromptRendersExactlyAsPromptsJsonl() {
        ChatTemplate template = ChatTemplate.fromModelFolder(JudgeFixtures.QWEN35.resolve("model"));
        int n = 0;
        for (Map<String, Object> r : JudgeFixtures.rows(JudgeFixtures.QWEN35.resolve("prompts.jsonl"))) {
            if (!r.get("judge").equals("qib")) continue;
            n++;
            String prompt = (String) r.get("prompt"), dim = (String) r.get("dimension");
            List<?> messages = (List<?>) r.get("messages");
            assertEquals(((Map<?, ?>) messages.get(0)).get("content"), QwenImageBench.systemText());
            List<?> content = (List<?>) ((Map<?, ?>) messages.get(1)).get("content");
            assertEquals(((Map<?, ?>) content.get(0)).get("text"), QwenImageBench.userHeader(prompt), dim);
            assertEquals("image", ((Map<?, ?>) content.get(1)).get("type"));
            assertEquals(((Map<?, ?>) content.get(2)).get("text"), QwenImageBench.userBody(dim), dim);
            String chat = QwenImageBench.chatText(template, prompt, dim);
            assertEquals(r.get("chat_text"), chat, dim + " prompt " + r.get("prompt_index"));
            assertTrue(chat.endsWith("<|im_start|>assistant\n<think>\n"));
        }
        assertEquals(15, n);
    }

    @Test
    void forwardCasesDecodedTextsAreParseFailures() {
        // forward.json records no parse; DiffSynth's _parse_dimension_output on these texts returns None (CPython 3.11)
        int n = 0;
        for (Object o : (List<?>) JudgeFixtures.object(JudgeFixtures.QWEN35.resolve("forward.json")).get("cases")) {
            Map<?, ?> c = (Map<?, ?>) o;
            if (!c.get("judge").equals("qib")) continue;
            n++;
            String dim = (String) c.get("dimension");
            QwenImageBench.DimensionResult r = QwenImageBench.parse((String) c.get("decoded_skip_special"), dim);
            assertNull(r.parsed());
            QwenImageBench.SampleResult s = QwenImageBench.evaluate(List.of(dim), Map.of(dim, (String) c.get("decoded_skip_special")));
            assertEquals(List.of(dim), s.parseFailures());
            assertEquals(0.0, s.score());
        }
        assertEquals(2, n);
    }

    @Test
    void dimensionSpecsFollowDimsToLevel1() {
        assertEquals(QwenImageBench.DIMENSIONS, QwenImageBench.dimensions((String) null));
        assertEquals(QwenImageBench.DIMENSIONS, QwenImageBench.dimensions(","));
        assertThrows(IllegalArgumentException.class, () -> QwenImageBench.dimensions("")); // [""] fails validation upstream too
        assertEquals(List.of("Quality"), QwenImageBench.dimensions("Quality"));
        assertEquals(List.of("Creative Generation"), QwenImageBench.dimensions("Creative Generation"));
        assertEquals(List.of("Quality", "Real-world Fidelity"), QwenImageBench.dimensions("Quality, Real-world Fidelity,"));
        assertEquals(List.of("Quality", "Aesthetics"),
                QwenImageBench.dimensions("Quality / Realism / Physical Logic; Aesthetics / Color Harmony / Color Harmony; Quality / Detail"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> QwenImageBench.dimensions("quality"));
        assertTrue(e.getMessage().contains("Supported dimensions: Quality, Aesthetics, Alignment, Real-world Fidelity, Creative Generation"));
    }

    @Test
    void generationIsGreedy4096TokensWithRepetitionPenalty105AndThinking() {
        assertEquals(4096, QwenImageBench.GENERATION.maxNewTokens());
        assertEquals(1.05, QwenImageBench.GENERATION.repetitionPenalty());
        assertEquals(Map.of("enable_thinking", true), QwenImageBench.chatVariables());
        assertEquals(1024, QwenImageBench.RESIZE_LONG_EDGE);
    }

    @Test
    void mapScoreFollowsPythonsIntConversion() {
        assertEquals(60.0, QwenImageBench.mapScore(1.7));
        assertEquals(0.0, QwenImageBench.mapScore(-0.9)); // int(-0.9) == 0
        assertEquals(60.0, QwenImageBench.mapScore(true));
        assertEquals(100.0, QwenImageBench.mapScore(" 2 "));
        assertEquals(100.0, QwenImageBench.mapScore("\uff12")); // full-width 2
        assertEquals(60.0, QwenImageBench.mapScore("0_1"));
        assertNull(QwenImageBench.mapScore("1.5"));
        assertNull(QwenImageBench.mapScore("N/a"));
        assertNull(QwenImageBench.mapScore(Double.NaN));
        assertNull(QwenImageBench.mapScore(3L));
        assertNull(QwenImageBench.mapScore(null));
        assertNull(QwenImageBench.mapScore(List.of(1L)));
        PyException e = assertThrows(PyException.class, () -> QwenImageBench.mapScore(Double.POSITIVE_INFINITY));
        assertEquals("OverflowError", e.type());
    }
}

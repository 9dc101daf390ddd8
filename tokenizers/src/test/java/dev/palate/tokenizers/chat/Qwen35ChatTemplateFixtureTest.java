package dev.palate.tokenizers.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * testdata/qwen35-judge/prompts.jsonl {@code chat_text}: the stored {@code messages} through
 * model/chat_template.jinja as each judge calls {@code apply_chat_template}: UnifiedReward 2.0 with
 * {@code add_generation_prompt=True} only (so the prompt ends in {@code <think>\n}), Qwen-Image-Bench also with
 * {@code enable_thinking=True}. Exact.
 */
class Qwen35ChatTemplateFixtureTest {

    @Test
    void everyJudgePromptRendersExactly() {
        ChatTemplate template = ChatTemplate.fromModelFolder(FixtureRows.testdata("qwen35-judge/model"));
        assertTrue(template.origin().endsWith("chat_template.jinja"), template.origin());
        List<JsonObject> rows = FixtureRows.jsonl("qwen35-judge/prompts.jsonl");
        List<String> failures = new ArrayList<>();
        for (JsonObject row : rows) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> messages = (List<Map<String, Object>>) FixtureRows.java(row.get("messages"));
            String judge = row.get("judge").getAsString();
            Map<String, Object> variables = judge.equals("qib") ? Map.of("enable_thinking", true) : Map.of();
            String expected = row.get("chat_text").getAsString();
            String actual = template.render(messages, true, variables);
            if (!expected.equals(actual)) {
                failures.add(judge + " " + row.get("dimension") + " prompt " + row.get("prompt_index") + ": "
                        + FixtureRows.firstDifference(expected, actual));
            }
        }
        assertEquals(List.of(), failures, (rows.size() - failures.size()) + "/" + rows.size() + " exact");
        assertEquals(18, rows.size());
    }

    @Test
    void oneParsedTemplateRendersTheSameFromManyThreads() throws Exception {
        ChatTemplate template = ChatTemplate.fromModelFolder(FixtureRows.testdata("qwen35-judge/model"));
        List<JsonObject> rows = FixtureRows.jsonl("qwen35-judge/prompts.jsonl");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Boolean>> results = new ArrayList<>();
            for (int repeat = 0; repeat < 20; repeat++) {
                for (JsonObject row : rows) {
                    results.add(pool.submit(() -> {
                        @SuppressWarnings("unchecked")
                        List<Map<String, Object>> messages = (List<Map<String, Object>>) FixtureRows.java(row.get("messages"));
                        Map<String, Object> variables = row.get("judge").getAsString().equals("qib")
                                ? Map.of("enable_thinking", true) : Map.of();
                        return template.render(messages, true, variables).equals(row.get("chat_text").getAsString());
                    }));
                }
            }
            for (java.util.concurrent.Future<Boolean> r : results) {
                assertTrue(r.get());
            }
        } finally {
            pool.shutdown();
        }
    }
}

package dev.palate.tokenizers.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * testdata/qwen3vl-judge/prompts.jsonl {@code chat_text}: UnifiedReward-Edit's user turn (all {@code num_images}
 * image parts, then the text part {@code user_text}) through the Qwen3-VL-8B-Instruct template with
 * {@code add_generation_prompt=True}. Exact.
 */
class Qwen3VlChatTemplateFixtureTest {

    @Test
    void processorFolderPrefersChatTemplateJsonOverTokenizerConfig() {
        ChatTemplate t = ChatTemplate.fromModelFolder(FixtureRows.testdata("qwen3vl-judge/tokenizer"));
        assertTrue(t.origin().endsWith("chat_template.json"), t.origin());
    }

    @Test
    void everyJudgePromptRendersExactlyFromChatTemplateJson() {
        assertAllRowsExact(ChatTemplate.fromModelFolder(FixtureRows.testdata("qwen3vl-judge/tokenizer")));
    }

    @Test
    void tokenizerConfigCopyOfTheTemplateRendersTheSame() throws IOException {
        String config = Files.readString(FixtureRows.testdata("qwen3vl-judge/tokenizer/tokenizer_config.json"));
        String source = JsonParser.parseString(config).getAsJsonObject().get("chat_template").getAsString();
        assertAllRowsExact(ChatTemplate.of(source, "tokenizer_config.json"));
    }

    private static void assertAllRowsExact(ChatTemplate template) {
        List<JsonObject> rows = FixtureRows.jsonl("qwen3vl-judge/prompts.jsonl");
        List<String> failures = new ArrayList<>();
        for (JsonObject row : rows) {
            List<Map<String, Object>> parts = new ArrayList<>();
            for (int i = 0; i < row.get("num_images").getAsInt(); i++) {
                parts.add(ChatMessage.imagePart());
            }
            parts.add(ChatMessage.textPart(row.get("user_text").getAsString()));
            String expected = row.get("chat_text").getAsString();
            String actual = template.render(List.of(ChatMessage.user(parts)), true);
            if (!expected.equals(actual)) {
                failures.add(row.get("task").getAsString() + " / " + row.get("instruction") + ": "
                        + FixtureRows.firstDifference(expected, actual));
            }
        }
        assertEquals(List.of(), failures, (rows.size() - failures.size()) + "/" + rows.size() + " exact");
        assertEquals(12, rows.size());
    }
}

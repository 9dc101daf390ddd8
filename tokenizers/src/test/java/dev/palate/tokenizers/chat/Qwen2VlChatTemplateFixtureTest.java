package dev.palate.tokenizers.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * testdata/hpsv3/pairs.jsonl {@code rendered}: transformers 5.18 {@code apply_chat_template(add_generation_prompt=True)}
 * of HPSv3's one user message [image (min_pixels = max_pixels = 200704), text] with the Qwen2-VL template of
 * hpsv3-tiny/chat_template.json. The text part is cut from {@code rendered} (the template writes it verbatim between
 * {@code <|vision_end|>} and the last {@code <|im_end|>}); the whole rendering must match byte for byte.
 */
class Qwen2VlChatTemplateFixtureTest {

    private static final ChatTemplate TEMPLATE = ChatTemplate.fromModelFolder(FixtureRows.testdata("hpsv3/hpsv3-tiny"));

    @Test
    void modelFolderTemplateIsTheProcessorsChatTemplateJson() {
        assertTrue(TEMPLATE.origin().endsWith("chat_template.json"), TEMPLATE.origin());
        assertEquals("<|im_end|>", TEMPLATE.specialTokens().get("eos_token"));
    }

    @Test
    void everyHpsv3PairRendersExactly() {
        List<JsonObject> rows = FixtureRows.jsonl("hpsv3/pairs.jsonl");
        List<String> failures = new ArrayList<>();
        for (JsonObject row : rows) {
            String expected = row.get("rendered").getAsString();
            int from = expected.indexOf("<|vision_end|>") + "<|vision_end|>".length();
            String text = expected.substring(from, expected.lastIndexOf("<|im_end|>"));
            Map<String, Object> pixels = new LinkedHashMap<>();
            pixels.put("min_pixels", 200704L);
            pixels.put("max_pixels", 200704L);
            List<Map<String, Object>> messages = List.of(ChatMessage.user(List.of(
                    ChatMessage.imagePart(row.get("image").getAsString(), pixels), ChatMessage.textPart(text))));
            String actual = TEMPLATE.render(messages, true);
            if (!expected.equals(actual)) {
                failures.add(row.get("image").getAsString() + ": " + FixtureRows.firstDifference(expected, actual));
            }
        }
        assertEquals(List.of(), failures, (rows.size() - failures.size()) + "/" + rows.size() + " exact");
        assertEquals(4, rows.size());
    }
}

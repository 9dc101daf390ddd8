package dev.palate.tokenizers.bpe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Qwen3.5 pipeline (testdata/qwen35-judge/model/tokenizer.json: a small trained vocabulary padded with filler
 * entries, added tokens from 248044, the regex with {@code \p{M}}) against tokenizer_cases.jsonl, whose only fields
 * are text and the Rust tokenizers 0.23.2 ids. Exact.
 */
class Qwen35TokenizerFixtureTest {

    @Test
    void idsMatchRustTokenizersOnEveryCase() {
        ByteLevelBpeTokenizer tok = BpeFixtures.qwen35();
        List<JsonObject> cases = BpeFixtures.jsonl(BpeFixtures.ROOT.resolve("qwen35-judge/tokenizer_cases.jsonl"));
        List<String> failures = new ArrayList<>();
        for (JsonObject c : cases) {
            assertEquals(List.of("text", "ids"), new ArrayList<>(c.keySet()), "fields of the fixture rows");
            String text = c.get("text").getAsString();
            int[] expected = BpeFixtures.ints(c.getAsJsonArray("ids"));
            int[] got = tok.encode(text);
            if (!Arrays.equals(expected, got)) {
                failures.add(BpeFixtures.show(text) + "\n  expected " + Arrays.toString(expected) + "\n  got      " + Arrays.toString(got));
            }
        }
        assertEquals(List.of(), failures, (cases.size() - failures.size()) + "/" + cases.size());
        assertEquals(32, cases.size());
    }

    @Test
    void chatTextIdsOfEveryJudgePromptMatch() {
        // prompts.jsonl: chat_text (apply_chat_template output, up to 4.8k characters) and its ids from transformers
        List<JsonObject> rows = BpeFixtures.jsonl(BpeFixtures.ROOT.resolve("qwen35-judge/prompts.jsonl"));
        for (JsonObject r : rows) {
            String text = r.get("chat_text").getAsString();
            assertEquals(Arrays.toString(BpeFixtures.ints(r.getAsJsonArray("chat_text_ids"))), Arrays.toString(BpeFixtures.qwen35().encode(text)),
                    r.get("judge").getAsString() + " " + r.get("prompt_index").getAsString() + " " + r.get("dimension"));
        }
        assertEquals(18, rows.size());
    }

    @Test
    void decodingEveryCaseGivesBackItsNfcText() {
        // not a fixture field: a property of byte-level BPE without unknown tokens
        ByteLevelBpeTokenizer tok = BpeFixtures.qwen35();
        for (JsonObject c : BpeFixtures.jsonl(BpeFixtures.ROOT.resolve("qwen35-judge/tokenizer_cases.jsonl"))) {
            String text = c.get("text").getAsString();
            assertEquals(BpeFixtures.show(Normalizer.normalize(text, Normalizer.Form.NFC)),
                    BpeFixtures.show(tok.decode(tok.encode(text), false)));
        }
    }

    @Test
    void addedTokensGetTheIdsTokenizersGivesThem() {
        ByteLevelBpeTokenizer tok = BpeFixtures.qwen35();
        assertEquals(248044, tok.addedTokenId("<|endoftext|>").orElseThrow());
        assertEquals(248046, tok.addedTokenId("<|im_end|>").orElseThrow());
        assertEquals(248069, tok.addedTokenId("</think>").orElseThrow());
        assertEquals(248076, tok.addedTokenId("<|audio_pad|>").orElseThrow());
        assertEquals(248044 + 33, tok.vocabSize());
        assertEquals(null, tok.idToToken(248100), "ids 248077‥248319 have no token");
        assertEquals("", tok.decode(new int[] {248100, 248319}, false));
    }
}

package dev.palate.tokenizers.bpe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Added-token semantics the Qwen files do not exercise, on a tiny byte-level BPE (test resource
 * added-token-flags/tokenizer.json): lstrip, rstrip, single_word, a normalized token matched in NFKC text, a
 * content that is also a vocabulary token, overlapping contents (longest first), and file ids that tokenizers
 * renumbers. Expected ids, tokens and decodes in cases.jsonl are from the Rust tokenizers 0.23.2 (make_cases.py
 * beside them). Exact.
 */
class AddedTokenFlagsTest {

    private static Path folder() {
        try {
            return Path.of(AddedTokenFlagsTest.class.getResource("added-token-flags/tokenizer.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void idsTokensAndDecodesMatchRustTokenizersForEveryFlag() {
        ByteLevelBpeTokenizer tok = ByteLevelBpeTokenizer.fromFolder(folder());
        List<String> failures = new ArrayList<>();
        int cases = 0;
        for (JsonObject c : BpeFixtures.jsonl(folder().resolve("cases.jsonl"))) {
            if (!c.has("text")) {
                continue;
            }
            cases++;
            String text = c.get("text").getAsString();
            int[] ids = tok.encode(text);
            String expected = Arrays.toString(BpeFixtures.ints(c.getAsJsonArray("ids"))) + " " + BpeFixtures.strings(c.getAsJsonArray("tokens"))
                    + " " + BpeFixtures.show(c.get("decoded").getAsString()) + " " + BpeFixtures.show(c.get("decoded_skip_special").getAsString());
            String got = Arrays.toString(ids) + " " + tok.tokens(text) + " " + BpeFixtures.show(tok.decode(ids, false))
                    + " " + BpeFixtures.show(tok.decode(ids, true));
            if (!expected.equals(got)) {
                failures.add(BpeFixtures.show(text) + "\n  expected " + expected + "\n  got      " + got);
            }
        }
        assertEquals(List.of(), failures);
        assertEquals(23, cases);
    }

    @Test
    void addedTokenIdsAreRenumberedAsTokenizersDoesAndVocabSizeCountsDistinctTexts() {
        ByteLevelBpeTokenizer tok = ByteLevelBpeTokenizer.fromFolder(folder());
        JsonObject summary = BpeFixtures.jsonl(folder().resolve("cases.jsonl")).stream().filter(c -> c.has("token_to_id"))
                .findFirst().orElseThrow();
        for (Map.Entry<String, JsonElement> e : summary.getAsJsonObject("token_to_id").entrySet()) {
            assertEquals(e.getValue().getAsInt(), tok.tokenId(e.getKey()), e.getKey());
            assertEquals(e.getValue().getAsInt(), tok.addedTokenId(e.getKey()).orElseThrow(), e.getKey());
        }
        assertEquals(summary.get("vocab_size").getAsInt(), tok.vocabSize());
        assertEquals(true, tok.isSpecial(tok.tokenId("he")), "a special added token that is also a vocabulary token");
        assertEquals(false, tok.isSpecial(tok.tokenId("<R>")));
    }
}

package dev.palate.tokenizers.bpe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Qwen2 tokenizer (testdata/hpsv3/hpsv3-tiny/tokenizer.json, 151643 tokens + 15 added) against the Rust
 * tokenizers 0.23.2 ids of testdata/hpsv3/qwen2_tokenizer_cases.jsonl and llama.cpp's Qwen2 test vectors. Exact.
 */
class Qwen2TokenizerFixtureTest {

    @Test
    void idsMatchRustTokenizersOnAll40CasesAndDecodeGivesTheNfcText() {
        ByteLevelBpeTokenizer tok = BpeFixtures.hpsv3();
        List<JsonObject> cases = BpeFixtures.jsonl(BpeFixtures.ROOT.resolve("hpsv3/qwen2_tokenizer_cases.jsonl"));
        List<String> failures = new ArrayList<>();
        int changedByNfc = 0;
        for (JsonObject c : cases) {
            String text = c.get("text").getAsString();
            int[] expected = BpeFixtures.ints(c.getAsJsonArray("ids"));
            int[] got = tok.encode(text);
            if (!Arrays.equals(expected, got)) {
                failures.add(BpeFixtures.show(text) + "\n  expected " + Arrays.toString(expected) + "\n  got      " + Arrays.toString(got));
            }
            String nfc = Normalizer.normalize(text, Normalizer.Form.NFC);
            changedByNfc += nfc.equals(text) ? 0 : 1;
            String decoded = tok.decode(got, false);
            if (!decoded.equals(nfc)) {
                failures.add("decode(encode(" + BpeFixtures.show(text) + ")) = " + BpeFixtures.show(decoded));
            }
        }
        assertEquals(List.of(), failures, (cases.size() - failures.size()) + "/" + cases.size());
        assertEquals(40, cases.size());
        assertEquals(2, changedByNfc, "the fixture has two texts that NFC changes");
    }

    @Test
    void llamaCppQwen2VectorsMatchExactlyAndRoundTrip() throws IOException {
        String inp = Files.readString(BpeFixtures.ROOT.resolve("hpsv3/ggml-vocab-qwen2.gguf.inp"), StandardCharsets.UTF_8);
        List<String> out = Files.readAllLines(BpeFixtures.ROOT.resolve("hpsv3/ggml-vocab-qwen2.gguf.out"), StandardCharsets.UTF_8);
        // convert_hf_to_gguf_update.py writes each text followed by "\n__ggml_vocab_test__\n"
        String separator = "\n__ggml_vocab_test__\n";
        List<String> texts = new ArrayList<>(Arrays.asList(inp.split(separator, -1)));
        assertEquals("", texts.remove(texts.size() - 1), "the .inp file ends with the separator");
        assertEquals(texts.size(), out.size(), "one id line per text");
        ByteLevelBpeTokenizer tok = BpeFixtures.hpsv3();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            String line = out.get(i).strip();
            int[] expected = line.isEmpty() ? new int[0] : Arrays.stream(line.split(" +")).mapToInt(Integer::parseInt).toArray();
            int[] got = tok.encode(text);
            if (!Arrays.equals(expected, got)) {
                failures.add(BpeFixtures.show(text) + "\n  expected " + Arrays.toString(expected) + "\n  got      " + Arrays.toString(got));
            }
            if (!tok.decode(got, false).equals(text)) {
                failures.add("decode(encode(" + BpeFixtures.show(text) + ")) = " + BpeFixtures.show(tok.decode(got, false)));
            }
        }
        assertEquals(List.of(), failures, (texts.size() - failures.size()) + "/" + texts.size());
        assertEquals(46, texts.size());
    }

    @Test
    void addedTokensKeepTheirIdsAndOnlyTheExactCaseIsSpecial() {
        ByteLevelBpeTokenizer tok = BpeFixtures.hpsv3();
        assertEquals(151657, tok.addedTokenId("<|Reward|>").orElseThrow());
        assertEquals(151643, tok.tokenId("<|endoftext|>"));
        assertEquals(1879, tok.tokenId("Ġworld"));
        assertEquals(-1, tok.tokenId("<|reward|>"));
        assertEquals(true, tok.addedTokenId("<|reward|>").isEmpty());
        assertEquals(true, tok.isSpecial(151657));
        assertEquals(false, tok.isSpecial(1879));
        assertEquals(151643 + 15, tok.vocabSize());
    }
}

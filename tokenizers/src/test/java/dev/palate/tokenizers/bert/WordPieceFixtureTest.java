package dev.palate.tokenizers.bert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * testdata/imagereward/wordpiece_cases.jsonl: ids and masks from Hugging Face tokenizers (Rust, via DJL
 * 0.35.0) with testdata/imagereward/tokenizer.json, padded and truncated to 35.
 */
class WordPieceFixtureTest {

    static final int MAX_LENGTH = 35;

    record Case(String text, int[] ids, int[] mask) {}

    static Path testdata() {
        return Path.of(System.getProperty("palate.testdata"));
    }

    static List<Case> cases() throws IOException {
        List<Case> cases = new ArrayList<>();
        for (String line : Files.readAllLines(testdata().resolve("imagereward/wordpiece_cases.jsonl"), StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            cases.add(new Case(o.get("text").getAsString(), ints(o.getAsJsonArray("ids")), ints(o.getAsJsonArray("attention_mask"))));
        }
        return cases;
    }

    private static int[] ints(JsonArray a) {
        int[] v = new int[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).getAsInt();
        }
        return v;
    }

    @Test
    void bundledVocabularyMatchesEveryFixtureLineIdsAndMasksExactly() throws IOException {
        assertAllMatch(WordPieceTokenizer.bundledBertBaseUncased());
    }

    @Test
    void vocabTxtMatchesEveryFixtureLineIdsAndMasksExactly() throws IOException {
        assertAllMatch(WordPieceTokenizer.fromVocab(testdata().resolve("imagereward/vocab.txt")));
    }

    @Test
    void tokenizerJsonMatchesEveryFixtureLineIdsAndMasksExactly() throws IOException {
        assertAllMatch(WordPieceTokenizer.fromTokenizerJson(testdata().resolve("imagereward/tokenizer.json")));
    }

    @Test
    void batchEncodingEqualsSingleEncodings() throws IOException {
        List<Case> cases = cases();
        List<Encoding> batch = WordPieceTokenizer.bundledBertBaseUncased().encode(cases.stream().map(Case::text).toList(), MAX_LENGTH);
        for (int i = 0; i < cases.size(); i++) {
            assertEquals(new Encoding(cases.get(i).ids(), cases.get(i).mask()), batch.get(i), "row " + i);
        }
    }

    private static void assertAllMatch(WordPieceTokenizer tok) throws IOException {
        List<Case> cases = cases();
        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            Encoding e = tok.encode(c.text(), MAX_LENGTH);
            if (!Arrays.equals(c.ids(), e.ids()) || !Arrays.equals(c.mask(), e.attentionMask())) {
                failures.add(c.text() + "\n  expected " + Arrays.toString(c.ids()) + " " + Arrays.toString(c.mask())
                        + "\n  got      " + Arrays.toString(e.ids()) + " " + Arrays.toString(e.attentionMask()));
            }
        }
        assertEquals(List.of(), failures, (cases.size() - failures.size()) + "/" + cases.size() + " exact");
        System.out.println("WordPiece fixture: " + cases.size() + "/" + cases.size() + " exact (" + tok + ")");
    }
}

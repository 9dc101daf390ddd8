package dev.palate.tokenizers.clip;

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

/** testdata/clip/tokenizer_cases.jsonl: ids from open_clip 2.24.0's SimpleTokenizer, context 77. */
class ClipTokenizerFixtureTest {

    record Case(String text, int[] ids) {}

    static List<Case> cases() throws IOException {
        Path file = Path.of(System.getProperty("palate.testdata")).resolve("clip/tokenizer_cases.jsonl");
        List<Case> cases = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            JsonArray a = o.getAsJsonArray("ids");
            int[] ids = new int[a.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = a.get(i).getAsInt();
            }
            cases.add(new Case(o.get("text").getAsString(), ids));
        }
        return cases;
    }

    @Test
    void bundledOpenClipTokenizerMatchesEveryFixtureLineExactly() throws IOException {
        assertAllMatch(ClipTokenizer.openClip());
    }

    @Test
    void mergesFileTokenizerMatchesEveryFixtureLineExactly() throws IOException {
        Path merges = Path.of(System.getProperty("palate.testdata")).resolve("clip/vocab/bpe_simple_vocab_16e6.txt.gz");
        assertAllMatch(ClipTokenizer.fromMergesFile(merges));
    }

    @Test
    void batchEncodingEqualsSingleEncodingRowByRow() throws IOException {
        List<Case> cases = cases();
        int[][] batch = ClipTokenizer.openClip().encode(cases.stream().map(Case::text).toList());
        for (int i = 0; i < cases.size(); i++) {
            assertEquals(Arrays.toString(cases.get(i).ids()), Arrays.toString(batch[i]), "row " + i);
        }
    }

    private static void assertAllMatch(ClipTokenizer tok) throws IOException {
        List<Case> cases = cases();
        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            int[] got = tok.encode(c.text());
            if (!Arrays.equals(c.ids(), got)) {
                failures.add(c.text() + "\n  expected " + Arrays.toString(c.ids()) + "\n  got      " + Arrays.toString(got));
            }
        }
        assertEquals(List.of(), failures, (cases.size() - failures.size()) + "/" + cases.size() + " exact");
        System.out.println("CLIP fixture: " + cases.size() + "/" + cases.size() + " exact (" + tok + ")");
    }
}

package dev.palate.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;

class TokenizeCommandTest {
    @TempDir Path dir;

    private List<JsonObject> run(Path cases, String... extra) throws Exception {
        Path in = dir.resolve("texts.jsonl");
        StringBuilder sb = new StringBuilder();
        for (JsonObject c : Fixtures.jsonl(cases)) {
            JsonObject t = new JsonObject();
            t.add("text", c.get("text"));
            sb.append(t).append('\n');
        }
        Files.writeString(in, sb);
        Path out = dir.resolve("ids.jsonl");
        String[] args = new String[4 + extra.length + 2];
        System.arraycopy(extra, 0, args, 0, extra.length);
        int k = extra.length;
        args[k++] = "--input"; args[k++] = in.toString(); args[k++] = "--output"; args[k++] = out.toString();
        args = java.util.Arrays.copyOf(args, k);
        assertEquals(0, Fixtures.cli(prepend("tokenize", args)));
        return Fixtures.jsonl(out);
    }

    private static String[] prepend(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    @Test
    void clipIdsMatchOpenClipExactlyOnEveryFixtureLine() throws Exception {
        Path cases = Fixtures.ROOT.resolve("clip/tokenizer_cases.jsonl");
        List<JsonObject> expected = Fixtures.jsonl(cases), got = run(cases, "--tokenizer", "clip");
        assertEquals(expected.size(), got.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).get("text").getAsString(), got.get(i).get("text").getAsString());
            assertArrayEquals(Fixtures.ints(expected.get(i).getAsJsonArray("ids")), Fixtures.ints(got.get(i).getAsJsonArray("ids")), "line " + (i + 1));
        }
    }

    @Test
    void bertIdsAndMasksMatchHuggingFaceExactlyOnEveryFixtureLine() throws Exception {
        Path cases = Fixtures.ROOT.resolve("imagereward/wordpiece_cases.jsonl");
        List<JsonObject> expected = Fixtures.jsonl(cases);
        for (String[] vocab : new String[][] {{}, {"--vocab", Fixtures.ROOT.resolve("imagereward/vocab.txt").toString()},
                {"--vocab", Fixtures.ROOT.resolve("imagereward/tokenizer.json").toString()}}) {
            String[] args = new String[vocab.length + 4];
            args[0] = "--tokenizer"; args[1] = "bert"; args[2] = "--max-length"; args[3] = "35";
            System.arraycopy(vocab, 0, args, 4, vocab.length);
            List<JsonObject> got = run(cases, args);
            assertEquals(expected.size(), got.size());
            for (int i = 0; i < expected.size(); i++) {
                assertArrayEquals(Fixtures.ints(expected.get(i).getAsJsonArray("ids")), Fixtures.ints(got.get(i).getAsJsonArray("ids")), "ids line " + (i + 1));
                assertArrayEquals(Fixtures.ints(expected.get(i).getAsJsonArray("attention_mask")),
                        Fixtures.ints(got.get(i).getAsJsonArray("attention_mask")), "mask line " + (i + 1));
            }
        }
    }

    @Test
    void bpeIdsTokensAndDecodesMatchRustTokenizersOnEveryQwen3FixtureLine() throws Exception {
        Path folder = Fixtures.ROOT.resolve("qwen3vl-judge/tokenizer");
        Path cases = folder.resolve("tokenizer_cases.jsonl");
        List<JsonObject> expected = Fixtures.jsonl(cases), got = run(cases, "--tokenizer", "bpe", "--vocab", folder.toString(), "--decode");
        assertEquals(expected.size(), got.size());
        for (int i = 0; i < expected.size(); i++) {
            JsonObject e = expected.get(i), g = got.get(i);
            assertEquals(List.of("text", "ids", "tokens", "decoded", "decoded_skip_special"), List.copyOf(g.keySet()), "line " + (i + 1));
            for (String field : List.of("text", "ids", "tokens", "decoded", "decoded_skip_special")) {
                assertEquals(e.get(field), g.get(field), field + " line " + (i + 1));
            }
        }
    }

    @Test
    void bpeWithoutDecodeWritesTextAndIdsOnlyForTheQwen35Tokenizer() throws Exception {
        Path cases = Fixtures.ROOT.resolve("qwen35-judge/tokenizer_cases.jsonl");
        Path tokenizerJson = Fixtures.ROOT.resolve("qwen35-judge/model/tokenizer.json");
        List<JsonObject> expected = Fixtures.jsonl(cases), got = run(cases, "--tokenizer", "bpe", "--vocab", tokenizerJson.toString());
        assertEquals(expected.size(), got.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), got.get(i), "line " + (i + 1));
        }
    }
}

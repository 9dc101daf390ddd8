package dev.palate.tokenizers.bpe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a tokenizer is found, what is refused (with a message naming the file), and sharing between threads. */
class ByteLevelBpeLoadingTest {

    @TempDir
    Path dir;

    @Test
    void aClipTokenizerJsonIsRefusedWithAPointerToTheClipTokenizer() throws IOException {
        Path file = dir.resolve("tokenizer.json");
        Files.writeString(file, """
                {"version": "1.0", "added_tokens": [],
                 "normalizer": {"type": "Sequence", "normalizers": [{"type": "NFC"}, {"type": "Lowercase"}]},
                 "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": false},
                 "decoder": {"type": "BPEDecoder", "suffix": "</w>"},
                 "model": {"type": "BPE", "continuing_subword_prefix": "", "end_of_word_suffix": "</w>",
                           "vocab": {"a": 0, "a</w>": 1, "b": 2, "b</w>": 3, "ab</w>": 4}, "merges": ["a b</w>"]}}
                """);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ByteLevelBpeTokenizer.fromFolder(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("CLIP")
                && e.getMessage().contains("--tokenizer clip-hf"), e.getMessage());
        // the same vocabulary without the declared suffix: recognised by its </w> entries
        Files.writeString(file, Files.readString(file).replace("\"end_of_word_suffix\": \"</w>\"", "\"end_of_word_suffix\": null"));
        e = assertThrows(IllegalArgumentException.class, () -> ByteLevelBpeTokenizer.fromFolder(dir));
        assertTrue(e.getMessage().contains("CLIP"), e.getMessage());
    }

    @Test
    void unsupportedNormalizerPreTokenizerAndDecoderAreRefusedNamingTheFile() throws IOException {
        JsonObject base = tinyTokenizer();
        for (String[] change : List.of(
                new String[] {"normalizer", "{\"type\": \"Precompiled\", \"precompiled_charsmap\": \"\"}", "normalizer type \"Precompiled\""},
                new String[] {"pre_tokenizer", "{\"type\": \"Metaspace\"}", "does not end with ByteLevel"},
                new String[] {"pre_tokenizer", "{\"type\": \"Sequence\", \"pretokenizers\": [{\"type\": \"Split\", \"pattern\": {\"Regex\": \"\\\\p{L}+\\\\1\"},"
                        + " \"behavior\": \"Isolated\", \"invert\": false}, {\"type\": \"ByteLevel\", \"use_regex\": false}]}", "escape \\1"},
                new String[] {"decoder", "{\"type\": \"WordPiece\"}", "ByteLevel decoder"})) {
            JsonObject json = base.deepCopy();
            json.add(change[0], JsonParser.parseString(change[1]));
            Path file = dir.resolve(change[0] + ".json");
            Files.writeString(file, json.toString());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ByteLevelBpeTokenizer.fromFolder(file));
            assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains(change[2]), e.getMessage());
        }
    }

    @Test
    void aMissingFolderOrAnEmptyOneSaysWhereItLooked() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ByteLevelBpeTokenizer.fromFolder(dir));
        assertTrue(e.getMessage().contains("tokenizer.json") && e.getMessage().contains("vocab.json"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ByteLevelBpeTokenizer.fromFolder(dir.resolve("absent")));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void vocabJsonAndMergesTxtWithTokenizerConfigGiveTheSameIdsAsTokenizerJson() throws IOException {
        // the hpsv3 tokenizer.json written out as the slow-tokenizer files of a Qwen2 model folder
        Path folder = Files.createDirectories(dir.resolve("qwen2"));
        try (JsonReader in = new JsonReader(Files.newBufferedReader(BpeFixtures.HPSV3_TOKENIZER_JSON, StandardCharsets.UTF_8));
             JsonWriter vocab = new JsonWriter(Files.newBufferedWriter(folder.resolve("vocab.json"), StandardCharsets.UTF_8));
             Writer merges = Files.newBufferedWriter(folder.resolve("merges.txt"), StandardCharsets.UTF_8)) {
            in.beginObject();
            while (in.hasNext()) {
                if (!in.nextName().equals("model")) {
                    in.skipValue();
                    continue;
                }
                in.beginObject();
                while (in.hasNext()) {
                    String key = in.nextName();
                    if (key.equals("vocab")) {
                        vocab.beginObject();
                        in.beginObject();
                        while (in.hasNext()) {
                            vocab.name(in.nextName()).value(in.nextInt());
                        }
                        in.endObject();
                        vocab.endObject();
                    } else if (key.equals("merges")) {
                        merges.write("#version: 0.2\n");
                        in.beginArray();
                        while (in.hasNext()) {
                            in.beginArray();
                            merges.write(in.nextString() + " " + in.nextString() + "\n");
                            in.endArray();
                        }
                        in.endArray();
                    } else {
                        in.skipValue();
                    }
                }
                in.endObject();
            }
        }
        JsonObject config = JsonParser.parseString(Files.readString(BpeFixtures.HPSV3_TOKENIZER_JSON.resolveSibling("tokenizer_config.json"))).getAsJsonObject();
        Files.writeString(folder.resolve("tokenizer_config.json"), config.toString());

        ByteLevelBpeTokenizer slow = ByteLevelBpeTokenizer.fromFolder(folder);
        ByteLevelBpeTokenizer fast = BpeFixtures.hpsv3();
        for (JsonObject c : BpeFixtures.jsonl(BpeFixtures.ROOT.resolve("hpsv3/qwen2_tokenizer_cases.jsonl"))) {
            String text = c.get("text").getAsString();
            assertArrayEquals(BpeFixtures.ints(c.getAsJsonArray("ids")), slow.encode(text), BpeFixtures.show(text));
        }
        assertEquals(fast.vocabSize(), slow.vocabSize());
        assertEquals(151657, slow.addedTokenId("<|Reward|>").orElseThrow());

        config.addProperty("tokenizer_class", "LlamaTokenizer");
        Files.writeString(folder.resolve("tokenizer_config.json"), config.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ByteLevelBpeTokenizer.fromFolder(folder));
        assertTrue(e.getMessage().contains("LlamaTokenizer") && e.getMessage().contains("tokenizer.json"), e.getMessage());
    }

    @Test
    void aTokenizerSubfolderIsFound() throws IOException {
        Path sub = Files.createDirectories(dir.resolve("model/tokenizer"));
        Files.writeString(sub.resolve("tokenizer.json"), tinyTokenizer().toString());
        assertArrayEquals(new int[] {97, 98}, ByteLevelBpeTokenizer.fromFolder(dir.resolve("model")).encode("ab"));
    }

    @Test
    void threadsSharingOneTokenizerGetTheIdsOfASingleThread() throws Exception {
        ByteLevelBpeTokenizer tok = BpeFixtures.qwen3vl();
        List<String> texts = BpeFixtures.jsonl(BpeFixtures.QWEN3VL_FOLDER.resolve("tokenizer_cases.jsonl")).stream()
                .map(c -> c.get("text").getAsString()).toList();
        Map<String, int[]> expected = new java.util.HashMap<>();
        for (JsonObject c : BpeFixtures.jsonl(BpeFixtures.QWEN3VL_FOLDER.resolve("tokenizer_cases.jsonl"))) {
            expected.put(c.get("text").getAsString(), BpeFixtures.ints(c.getAsJsonArray("ids")));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new java.util.ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int offset = t;
                results.add(pool.submit(() -> {
                    for (int round = 0; round < 50; round++) {
                        String text = texts.get((offset + round) % texts.size()) + " round" + round;
                        String plain = texts.get((offset + round) % texts.size());
                        if (!java.util.Arrays.equals(expected.get(plain), tok.encode(plain)) || tok.encode(text).length == 0) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> r : results) {
                assertTrue(r.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** 256 byte symbols in byte order (ids = byte values, so "ab" is [97, 98]), no merges. */
    private static JsonObject tinyTokenizer() {
        JsonObject vocab = new JsonObject();
        for (int b = 0; b < 256; b++) {
            vocab.addProperty(String.valueOf(ByteLevelAlphabet.BYTE_TO_CHAR[b]), b);
        }
        JsonObject model = new JsonObject();
        model.addProperty("type", "BPE");
        model.add("vocab", vocab);
        model.add("merges", new JsonArray());
        JsonObject json = JsonParser.parseString("""
                {"version": "1.0", "added_tokens": [], "normalizer": {"type": "NFC"},
                 "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "use_regex": true},
                 "decoder": {"type": "ByteLevel"}}
                """).getAsJsonObject();
        json.add("model", model);
        return json;
    }
}

package dev.palate.tokenizers.clip;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes Hugging Face CLIP tokenizer folders built from the bundled open_clip merges, laid out as
 * openai/clip-vit-large-patch14 ships them (same 49408 ids, specials named {@code <|startoftext|>}).
 */
final class HuggingFaceClipFolders {

    private HuggingFaceClipFolders() {}

    private static ClipVocabularyFiles.Vocabulary cached;

    static synchronized ClipVocabularyFiles.Vocabulary vocabulary() throws IOException {
        if (cached != null) {
            return cached;
        }
        try (InputStream in = ClipTokenizer.class.getResourceAsStream("bpe_simple_vocab_16e6.txt.gz")) {
            cached = ClipVocabularyFiles.openClipMerges(in, true, "test", List.of("<|startoftext|>", "<|endoftext|>"));
            return cached;
        }
    }

    /** vocab.json + merges.txt, plus the given extra files (name → JSON text). */
    static Path slowFiles(Path dir, Map<String, String> extraFiles) throws IOException {
        ClipVocabularyFiles.Vocabulary v = vocabulary();
        JsonObject vocab = new JsonObject();
        v.vocab().forEach(vocab::addProperty);
        Files.writeString(dir.resolve("vocab.json"), new Gson().toJson(vocab), StandardCharsets.UTF_8);
        StringBuilder merges = new StringBuilder("#version: 0.2\n");
        for (String[] m : v.merges()) {
            merges.append(m[0]).append(' ').append(m[1]).append('\n');
        }
        Files.writeString(dir.resolve("merges.txt"), merges, StandardCharsets.UTF_8);
        writeExtra(dir, extraFiles);
        return dir;
    }

    /** tokenizer.json in the CLIPTokenizerFast layout (merges as "a b" strings), plus extra files. */
    static Path fastFile(Path dir, String paddingJsonOrNull, Map<String, String> extraFiles) throws IOException {
        ClipVocabularyFiles.Vocabulary v = vocabulary();
        JsonObject model = new JsonObject();
        model.addProperty("type", "BPE");
        model.addProperty("unk_token", "<|endoftext|>");
        model.addProperty("continuing_subword_prefix", "");
        model.addProperty("end_of_word_suffix", "</w>");
        JsonObject vocab = new JsonObject();
        v.vocab().forEach(vocab::addProperty);
        model.add("vocab", vocab);
        JsonArray merges = new JsonArray();
        for (String[] m : v.merges()) {
            merges.add(m[0] + " " + m[1]);
        }
        model.add("merges", merges);
        JsonObject root = new JsonObject();
        JsonArray added = new JsonArray();
        for (String s : List.of("<|startoftext|>", "<|endoftext|>")) {
            JsonObject t = new JsonObject();
            t.addProperty("id", v.vocab().get(s));
            t.addProperty("content", s);
            t.addProperty("normalized", true);
            t.addProperty("special", true);
            added.add(t);
        }
        root.add("added_tokens", added);
        root.add("padding", paddingJsonOrNull == null ? null : new Gson().fromJson(paddingJsonOrNull, JsonObject.class));
        root.add("model", model);
        Files.writeString(dir.resolve("tokenizer.json"), new Gson().toJson(root), StandardCharsets.UTF_8);
        writeExtra(dir, extraFiles);
        return dir;
    }

    private static void writeExtra(Path dir, Map<String, String> extraFiles) throws IOException {
        for (Map.Entry<String, String> e : extraFiles.entrySet()) {
            Files.writeString(dir.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
        }
    }
}

package dev.palate.tokenizers.bert;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.palate.tokenizers.text.AddedToken;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Readers for {@code vocab.txt} and a WordPiece {@code tokenizer.json}. */
final class BertVocabularyFiles {

    /** The specials BERT's tokenizers never split and match as whole tokens in the text. */
    static final List<String> BERT_SPECIALS = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]");

    /** Everything a {@link WordPieceTokenizer} is built from. */
    record Spec(Map<String, Integer> vocab, BertNormalizer normalizer, List<AddedToken> addedTokens,
                String unkToken, String continuingSubwordPrefix, int maxInputCharsPerWord,
                String clsToken, String sepToken, String padToken, String source) {}

    private BertVocabularyFiles() {}

    /** One token per line, id = line number (as BERT's {@code load_vocab} and tokenizers' {@code read_file}). */
    static Spec vocabTxt(InputStream raw, String source) throws IOException {
        Map<String, Integer> vocab = new HashMap<>(65536);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(raw, StandardCharsets.UTF_8))) {
            String line;
            int index = 0;
            while ((line = reader.readLine()) != null) {
                vocab.put(line.stripTrailing(), index++);
            }
        }
        for (String required : List.of("[UNK]", "[CLS]", "[SEP]", "[PAD]")) {
            if (!vocab.containsKey(required)) {
                throw new IllegalArgumentException(source + ": no " + required + " line; this is not a BERT vocab.txt");
            }
        }
        List<AddedToken> added = new ArrayList<>();
        for (String s : BERT_SPECIALS) {
            if (vocab.containsKey(s)) {
                added.add(new AddedToken(s, vocab.get(s), false));
            }
        }
        return new Spec(vocab, BertNormalizer.UNCASED, added, "[UNK]", "##", 100, "[CLS]", "[SEP]", "[PAD]", source);
    }

    static Spec vocabTxt(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return vocabTxt(in, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read BERT vocabulary " + file, e);
        }
    }

    static Spec tokenizerJson(Path file) {
        JsonObject root;
        try {
            root = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (JsonParseException | IllegalStateException e) {
            throw new IllegalArgumentException(file + ": not a JSON object (" + e.getMessage() + ")", e);
        }
        JsonObject model = object(root, "model");
        if (model == null || !"WordPiece".equals(string(model, "type", null))) {
            throw new IllegalArgumentException(file + ": model.type is " + (model == null ? "missing" : string(model, "type", "missing"))
                    + "; a BERT tokenizer needs a WordPiece model");
        }
        Map<String, Integer> vocab = new HashMap<>(65536);
        for (Map.Entry<String, JsonElement> e : object(model, "vocab").entrySet()) {
            vocab.put(e.getKey(), e.getValue().getAsInt());
        }
        BertNormalizer normalizer = normalizer(root.get("normalizer"), file);
        JsonElement pre = root.get("pre_tokenizer");
        String preType = pre == null || pre.isJsonNull() ? null : string(pre.getAsJsonObject(), "type", null);
        if (!"BertPreTokenizer".equals(preType)) {
            throw new IllegalArgumentException(file + ": pre_tokenizer is " + preType
                    + "; only BertPreTokenizer is supported (use the model's BERT tokenizer.json or its vocab.txt)");
        }
        List<AddedToken> added = new ArrayList<>();
        JsonArray addedArray = root.has("added_tokens") && root.get("added_tokens").isJsonArray() ? root.getAsJsonArray("added_tokens") : new JsonArray();
        for (JsonElement e : addedArray) {
            JsonObject t = e.getAsJsonObject();
            added.add(new AddedToken(t.get("content").getAsString(), t.get("id").getAsInt(),
                    t.has("normalized") && t.get("normalized").getAsBoolean()));
        }
        String cls = "[CLS]";
        String sep = "[SEP]";
        JsonObject post = object(root, "post_processor");
        if (post != null) {
            JsonObject specials = object(post, "special_tokens");
            if (specials != null) { // TemplateProcessing: the single template's first and last special tokens
                List<String> names = templateSpecials(post);
                if (names.size() == 2) {
                    cls = names.get(0);
                    sep = names.get(1);
                }
            } else if (post.has("cls") && post.get("cls").isJsonArray()) { // BertProcessing: ["[CLS]", 101]
                cls = post.getAsJsonArray("cls").get(0).getAsString();
                sep = post.getAsJsonArray("sep").get(0).getAsString();
            }
        }
        String pad = "[PAD]";
        JsonObject padding = object(root, "padding");
        if (padding != null && padding.has("pad_token")) {
            pad = padding.get("pad_token").getAsString();
        }
        return new Spec(vocab, normalizer, added, string(model, "unk_token", "[UNK]"),
                string(model, "continuing_subword_prefix", "##"),
                model.has("max_input_chars_per_word") ? model.get("max_input_chars_per_word").getAsInt() : 100,
                cls, sep, pad, file.toString());
    }

    private static List<String> templateSpecials(JsonObject post) {
        List<String> names = new ArrayList<>();
        JsonElement single = post.get("single");
        if (single != null && single.isJsonArray()) {
            for (JsonElement piece : single.getAsJsonArray()) {
                JsonObject special = object(piece.getAsJsonObject(), "SpecialToken");
                if (special != null) {
                    names.add(special.get("id").getAsString());
                }
            }
        }
        return names;
    }

    private static BertNormalizer normalizer(JsonElement e, Path file) {
        if (e == null || e.isJsonNull()) {
            return new BertNormalizer(false, false, false, false);
        }
        JsonObject n = e.getAsJsonObject();
        if (!"BertNormalizer".equals(string(n, "type", null))) {
            throw new IllegalArgumentException(file + ": normalizer is " + string(n, "type", "?")
                    + "; only BertNormalizer is supported (use the model's BERT tokenizer.json or its vocab.txt)");
        }
        boolean lowercase = bool(n, "lowercase", true);
        JsonElement strip = n.get("strip_accents");
        boolean stripAccents = strip == null || strip.isJsonNull() ? lowercase : strip.getAsBoolean();
        return new BertNormalizer(bool(n, "clean_text", true), bool(n, "handle_chinese_chars", true), stripAccents, lowercase);
    }

    private static JsonObject object(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e != null && e.isJsonObject() ? e.getAsJsonObject() : null;
    }

    private static String string(JsonObject o, String key, String fallback) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? fallback : e.getAsString();
    }

    private static boolean bool(JsonObject o, String key, boolean fallback) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? fallback : e.getAsBoolean();
    }
}

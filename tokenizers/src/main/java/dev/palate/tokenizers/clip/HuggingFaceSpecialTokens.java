package dev.palate.tokenizers.clip;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Start, end and padding tokens of a Hugging Face CLIP tokenizer folder. Each is read from
 * {@code special_tokens_map.json}, else {@code tokenizer_config.json} (plain string or an AddedToken
 * object with {@code content}); the padding token also from {@code tokenizer.json}'s {@code padding}
 * block; otherwise {@code CLIPTokenizer}'s defaults: {@code <|startoftext|>}, {@code <|endoftext|>}, and
 * {@code <|endoftext|>} as padding (openai/clip-vit-* pad with 49407; some laion folders pad with "!" = 0).
 */
record HuggingFaceSpecialTokens(String bos, String eos, String pad) {

    static final String DEFAULT_BOS = "<|startoftext|>";
    static final String DEFAULT_EOS = "<|endoftext|>";

    static HuggingFaceSpecialTokens read(Path folder, JsonObject tokenizerJsonOrNull) {
        JsonObject map = optionalJson(folder.resolve("special_tokens_map.json"));
        JsonObject config = optionalJson(folder.resolve("tokenizer_config.json"));
        String bos = first(map, config, "bos_token", DEFAULT_BOS);
        String eos = first(map, config, "eos_token", DEFAULT_EOS);
        String padFromJson = null;
        if (tokenizerJsonOrNull != null && tokenizerJsonOrNull.get("padding") instanceof JsonObject padding) {
            padFromJson = ClipVocabularyFiles.stringOr(padding, "pad_token", null);
        }
        String pad = first(map, config, "pad_token", padFromJson != null ? padFromJson : DEFAULT_EOS);
        return new HuggingFaceSpecialTokens(bos, eos, pad);
    }

    private static String first(JsonObject map, JsonObject config, String key, String fallback) {
        String v = token(map, key);
        if (v == null) {
            v = token(config, key);
        }
        return v != null ? v : fallback;
    }

    private static String token(JsonObject obj, String key) {
        if (obj == null) {
            return null;
        }
        JsonElement e = obj.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (e.isJsonObject()) {
            JsonElement content = e.getAsJsonObject().get("content");
            return content == null ? null : content.getAsString();
        }
        return e.getAsString();
    }

    private static JsonObject optionalJson(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        JsonElement e = ClipVocabularyFiles.readJson(file);
        return e.isJsonObject() ? e.getAsJsonObject() : null;
    }
}

package dev.palate.tokenizers.bpe;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A {@code tokenizer.json} {@code normalizer}: the Unicode normal forms, {@code Lowercase} and a {@code Sequence}
 * of them (tokenizers {@code normalizers/unicode.rs}, {@code utils.rs}). Qwen2, Qwen3 and Qwen3.5 use {@code NFC}.
 */
interface TextNormalizer {

    /** No normalizer ({@code "normalizer": null}). */
    TextNormalizer NONE = text -> text;

    String normalize(String text);

    /** @param source the file, for error messages */
    static TextNormalizer fromJson(JsonElement e, String source) {
        if (e == null || e.isJsonNull()) {
            return NONE;
        }
        JsonObject o = e.getAsJsonObject();
        String type = o.has("type") ? o.get("type").getAsString() : "?";
        return switch (type) {
            case "NFC" -> form(Normalizer.Form.NFC);
            case "NFD" -> form(Normalizer.Form.NFD);
            case "NFKC" -> form(Normalizer.Form.NFKC);
            case "NFKD" -> form(Normalizer.Form.NFKD);
            case "Lowercase" -> TextNormalizer::lowercase;
            case "Sequence" -> {
                List<TextNormalizer> steps = new ArrayList<>();
                for (JsonElement step : o.getAsJsonArray("normalizers")) {
                    steps.add(fromJson(step, source));
                }
                yield text -> {
                    for (TextNormalizer s : steps) {
                        text = s.normalize(text);
                    }
                    return text;
                };
            }
            default -> throw new IllegalArgumentException(source + ": normalizer type \"" + type + "\" is not supported by the "
                    + "byte-level BPE tokenizer (supported: NFC, NFD, NFKC, NFKD, Lowercase, Sequence of them, or null)");
        };
    }

    private static TextNormalizer form(Normalizer.Form form) {
        return text -> Normalizer.isNormalized(text, form) ? text : Normalizer.normalize(text, form);
    }

    /**
     * tokenizers {@code NormalizedString::lowercase}: Rust's {@code char::to_lowercase} per code point (İ becomes
     * "i̇"; no final-sigma rule, which {@link String#toLowerCase} would apply across chars).
     */
    private static String lowercase(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> out.append(new String(Character.toChars(cp)).toLowerCase(Locale.ROOT)));
        return out.toString();
    }
}

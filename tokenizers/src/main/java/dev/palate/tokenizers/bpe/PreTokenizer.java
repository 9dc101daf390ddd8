package dev.palate.tokenizers.bpe;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A byte-level {@code pre_tokenizer}: zero or more {@code Split} steps, then {@code ByteLevel} (tokenizers
 * {@code pre_tokenizers/split.rs}, {@code byte_level.rs}). Each step splits every piece the step before produced;
 * empty pieces are dropped ({@code PreTokenizedString::split}). Qwen2/Qwen3/Qwen3.5: one {@code Split} with the
 * model's regex, {@code Isolated}, then {@code ByteLevel(add_prefix_space=false, use_regex=false)}; GPT-2: a bare
 * {@code ByteLevel} whose {@code use_regex} applies the GPT-2 regex. The byte→char mapping itself happens in
 * {@link BpeModel}.
 */
final class PreTokenizer {

    /** tokenizers {@code byte_level.rs} {@code RE}: the GPT-2 split that {@code use_regex: true} applies. */
    static final String GPT2_REGEX = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

    /** One {@code Split} step: {@code Isolated} keeps each match as its own piece, {@code Removed} drops matches. */
    record Split(Pattern pattern, boolean removeMatches) {}

    private final List<Split> splits;
    private final boolean addPrefixSpace;
    /** ByteLevel's GPT-2 split when {@code use_regex} is true, else null. */
    private final Pattern byteLevelRegex;

    PreTokenizer(List<Split> splits, boolean addPrefixSpace, Pattern byteLevelRegex) {
        this.splits = List.copyOf(splits);
        this.addPrefixSpace = addPrefixSpace;
        this.byteLevelRegex = byteLevelRegex;
    }

    /** The pieces of one text segment (between added tokens, already normalised), in order. */
    void split(String segment, Consumer<String> pieces) {
        split(segment, 0, pieces);
    }

    private void split(String piece, int step, Consumer<String> out) {
        if (step == splits.size()) {
            byteLevel(piece, out);
        } else {
            Split s = splits.get(step);
            split(piece, s.pattern(), s.removeMatches(), p -> split(p, step + 1, out));
        }
    }

    /** ByteLevel's own splitting: the prefix space (per piece, as {@code byte_level.rs}), then its regex. */
    private void byteLevel(String piece, Consumer<String> out) {
        if (addPrefixSpace && !piece.startsWith(" ")) {
            piece = " " + piece;
        }
        if (byteLevelRegex == null) {
            out.accept(piece);
        } else {
            split(piece, byteLevelRegex, false, out);
        }
    }

    /** tokenizers {@code Pattern for &Regex::find_matches}: matches and the gaps between them, empty ones dropped. */
    private static void split(String piece, Pattern pattern, boolean removeMatches, Consumer<String> out) {
        Matcher m = pattern.matcher(piece);
        int previousEnd = 0;
        while (m.find()) {
            if (m.start() > previousEnd) {
                out.accept(piece.substring(previousEnd, m.start()));
            }
            if (!removeMatches && m.end() > m.start()) {
                out.accept(m.end() - m.start() == piece.length() ? piece : piece.substring(m.start(), m.end()));
            }
            previousEnd = m.end();
        }
        if (previousEnd < piece.length()) {
            out.accept(previousEnd == 0 ? piece : piece.substring(previousEnd));
        }
    }

    /** Parses the {@code pre_tokenizer} field: {@code Split} steps (maybe in a {@code Sequence}), then one {@code ByteLevel}. */
    static PreTokenizer fromJson(JsonElement e, String source) {
        List<JsonObject> steps = new ArrayList<>();
        flatten(e, steps, source);
        if (steps.isEmpty() || !"ByteLevel".equals(type(steps.get(steps.size() - 1)))) {
            throw new IllegalArgumentException(source + ": the pre_tokenizer does not end with ByteLevel, so this is not a "
                    + "byte-level BPE tokenizer (for CLIP use --tokenizer clip or clip-hf, for BERT --tokenizer bert)");
        }
        List<Split> splits = new ArrayList<>();
        for (int i = 0; i < steps.size() - 1; i++) {
            JsonObject s = steps.get(i);
            String type = type(s);
            if (!"Split".equals(type)) {
                throw new IllegalArgumentException(source + ": pre_tokenizer step " + (i + 1) + " is " + type
                        + "; the byte-level BPE tokenizer supports Split steps followed by one ByteLevel");
            }
            splits.add(split(s, source));
        }
        JsonObject byteLevel = steps.get(steps.size() - 1);
        boolean addPrefixSpace = bool(byteLevel, "add_prefix_space", true);
        boolean useRegex = bool(byteLevel, "use_regex", true);
        return new PreTokenizer(splits, addPrefixSpace,
                useRegex ? OnigurumaRegex.compile(GPT2_REGEX, "ByteLevel's GPT-2 regex") : null);
    }

    private static Split split(JsonObject s, String source) {
        String behavior = s.has("behavior") ? s.get("behavior").getAsString() : "?";
        if (bool(s, "invert", false)) {
            throw new IllegalArgumentException(source + ": pre_tokenizer Split with invert: true is not supported");
        }
        if (!behavior.equals("Isolated") && !behavior.equals("Removed")) {
            throw new IllegalArgumentException(source + ": pre_tokenizer Split behavior " + behavior
                    + " is not supported (supported: Isolated, Removed)");
        }
        JsonObject pattern = s.getAsJsonObject("pattern");
        Pattern compiled;
        if (pattern != null && pattern.has("Regex")) {
            compiled = OnigurumaRegex.compile(pattern.get("Regex").getAsString(), source + " pre_tokenizer Split.pattern.Regex");
        } else if (pattern != null && pattern.has("String")) {
            compiled = OnigurumaRegex.literal(pattern.get("String").getAsString());
        } else {
            throw new IllegalArgumentException(source + ": pre_tokenizer Split has no pattern {\"Regex\": …} or {\"String\": …}");
        }
        return new Split(compiled, behavior.equals("Removed"));
    }

    private static void flatten(JsonElement e, List<JsonObject> out, String source) {
        if (e == null || e.isJsonNull()) {
            return;
        }
        JsonObject o = e.getAsJsonObject();
        if ("Sequence".equals(type(o))) {
            for (JsonElement step : o.getAsJsonArray("pretokenizers")) {
                flatten(step, out, source);
            }
        } else {
            out.add(o);
        }
    }

    private static String type(JsonObject o) {
        return o.has("type") ? o.get("type").getAsString() : "?";
    }

    static boolean bool(JsonObject o, String key, boolean fallback) {
        JsonElement v = o.get(key);
        return v == null || v.isJsonNull() ? fallback : v.getAsBoolean();
    }
}

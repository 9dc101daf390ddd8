package dev.palate.tokenizers.bpe;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a Hugging Face {@code tokenizer.json} with a byte-level BPE model (tokenizers
 * {@code tokenizer/serialization.rs}). The model's vocabulary and merges are streamed (Qwen's file is 11 MB);
 * the other fields are small and read as trees. {@code truncation}, {@code padding} and {@code post_processor}
 * are not applied: transformers overrides the first two per call, and the post-processor only adds special tokens,
 * which {@link ByteLevelBpeTokenizer#encode} never does ({@code add_special_tokens=False}).
 */
final class TokenizerJsonFile {

    static final String CLIP_SUFFIX = "</w>";

    private TokenizerJsonFile() {}

    static Pipeline read(Path file) {
        String source = file.toString();
        JsonElement normalizer = null;
        JsonElement preTokenizer = null;
        JsonElement decoder = null;
        JsonElement addedTokens = null;
        ModelFields model = null;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8); JsonReader json = new JsonReader(in)) {
            json.beginObject();
            while (json.hasNext()) {
                String key = json.nextName();
                switch (key) {
                    case "model" -> model = readModel(json, source);
                    case "normalizer" -> normalizer = JsonParser.parseReader(json);
                    case "pre_tokenizer" -> preTokenizer = JsonParser.parseReader(json);
                    case "decoder" -> decoder = JsonParser.parseReader(json);
                    case "added_tokens" -> addedTokens = JsonParser.parseReader(json);
                    case "version" -> {
                        String v = json.nextString();
                        if (!v.equals("1.0")) {
                            throw new IllegalArgumentException(source + ": tokenizer.json version " + v + ", tokenizers reads only 1.0");
                        }
                    }
                    default -> json.skipValue();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (JsonParseException | IllegalStateException | NumberFormatException e) {
            throw new IllegalArgumentException(source + ": not a valid tokenizer.json (" + e.getMessage() + ")", e);
        }
        if (model == null) {
            throw new IllegalArgumentException(source + ": has no \"model\"; pass a Hugging Face tokenizer.json");
        }
        model.validate(source);
        TextNormalizer textNormalizer = TextNormalizer.fromJson(normalizer, source);
        PreTokenizer pre = PreTokenizer.fromJson(preTokenizer, source);
        checkDecoder(decoder, source);
        BpeModel bpe = new BpeModel(model.vocab, model.merges, model.ignoreMerges, source);
        if ((model.unkToken != null || model.byteFallback) && !bpe.coversAllBytes()) {
            throw new IllegalArgumentException(source + ": the vocabulary lacks some byte symbols and the model sets "
                    + (model.byteFallback ? "byte_fallback" : "unk_token " + model.unkToken) + ", which this tokenizer does not implement");
        }
        return new Pipeline(source, textNormalizer, pre, bpe, addedTokens(addedTokens, source));
    }

    /** The {@code model} object's fields, streamed. */
    private static final class ModelFields {
        String type;
        Map<String, Integer> vocab;
        List<String[]> merges;
        boolean ignoreMerges;
        boolean byteFallback;
        String unkToken;
        String prefix;
        String suffix;
        double dropout;

        void validate(String source) {
            if (type != null && !type.equals("BPE")) {
                throw new IllegalArgumentException(source + ": model.type is " + type + "; the byte-level BPE tokenizer needs BPE"
                        + " (BERT's WordPiece: --tokenizer bert)");
            }
            if (vocab == null || merges == null) {
                throw new IllegalArgumentException(source + ": model has no " + (vocab == null ? "vocab" : "merges")
                        + "; a BPE model needs both");
            }
            boolean clipVocab = CLIP_SUFFIX.equals(suffix);
            for (String token : clipVocab ? List.<String>of() : vocab.keySet()) {
                if (token.endsWith(CLIP_SUFFIX)) {
                    clipVocab = true;
                    break;
                }
            }
            if (clipVocab) {
                throw new IllegalArgumentException(source + ": this is a CLIP tokenizer (BPE with the end-of-word suffix "
                        + CLIP_SUFFIX + "); use --tokenizer clip-hf (ClipTokenizer.fromHuggingFaceFolder) or --tokenizer clip");
            }
            if (suffix != null && !suffix.isEmpty()) {
                throw new IllegalArgumentException(source + ": model.end_of_word_suffix \"" + suffix + "\" is not supported");
            }
            if (prefix != null && !prefix.isEmpty()) {
                throw new IllegalArgumentException(source + ": model.continuing_subword_prefix \"" + prefix
                        + "\" is not supported by the byte-level BPE tokenizer");
            }
            if (dropout != 0.0) {
                throw new IllegalArgumentException(source + ": model.dropout " + dropout + " makes tokenization random; "
                        + "the byte-level BPE tokenizer supports only null or 0");
            }
        }
    }

    private static ModelFields readModel(JsonReader json, String source) throws IOException {
        ModelFields m = new ModelFields();
        json.beginObject();
        while (json.hasNext()) {
            String key = json.nextName();
            if (json.peek() == JsonToken.NULL) {
                json.nextNull();
                continue;
            }
            switch (key) {
                case "type" -> m.type = json.nextString();
                case "vocab" -> {
                    m.vocab = new HashMap<>(1 << 18);
                    json.beginObject();
                    while (json.hasNext()) {
                        m.vocab.put(json.nextName(), json.nextInt());
                    }
                    json.endObject();
                }
                case "merges" -> m.merges = readMerges(json, source);
                case "ignore_merges" -> m.ignoreMerges = json.nextBoolean();
                case "byte_fallback" -> m.byteFallback = json.nextBoolean();
                case "unk_token" -> m.unkToken = json.nextString();
                case "continuing_subword_prefix" -> m.prefix = json.nextString();
                case "end_of_word_suffix" -> m.suffix = json.nextString();
                case "dropout" -> m.dropout = json.nextDouble();
                default -> json.skipValue();
            }
        }
        json.endObject();
        return m;
    }

    /** Merges as {@code "a b"} strings (tokenizers before 0.20) or {@code ["a", "b"]} pairs (since). */
    private static List<String[]> readMerges(JsonReader json, String source) throws IOException {
        List<String[]> merges = new ArrayList<>(1 << 18);
        json.beginArray();
        while (json.hasNext()) {
            if (json.peek() == JsonToken.BEGIN_ARRAY) {
                json.beginArray();
                String left = json.nextString();
                String right = json.nextString();
                json.endArray();
                merges.add(new String[] {left, right});
            } else {
                String line = json.nextString();
                if (!line.startsWith("#version")) {
                    merges.add(splitMerge(line, source, merges.size()));
                }
            }
        }
        json.endArray();
        return merges;
    }

    /** tokenizers {@code convert_merges_to_hashmap}: exactly one space separates the two symbols. */
    static String[] splitMerge(String line, String source, int index) {
        int space = line.indexOf(' ');
        if (space < 0 || line.indexOf(' ', space + 1) >= 0) {
            throw new IllegalArgumentException(source + ": merge " + index + " is not two symbols separated by one space: \"" + line + "\"");
        }
        return new String[] {line.substring(0, space), line.substring(space + 1)};
    }

    private static void checkDecoder(JsonElement decoder, String source) {
        List<String> types = new ArrayList<>();
        if (decoder != null && decoder.isJsonObject()) {
            JsonObject d = decoder.getAsJsonObject();
            if (d.has("decoders")) {
                for (JsonElement e : d.getAsJsonArray("decoders")) {
                    types.add(e.getAsJsonObject().get("type").getAsString());
                }
            } else {
                types.add(d.has("type") ? d.get("type").getAsString() : "?");
            }
        }
        if (!types.equals(List.of("ByteLevel"))) {
            throw new IllegalArgumentException(source + ": the decoder is " + (types.isEmpty() ? "missing" : String.join(", ", types))
                    + "; the byte-level BPE tokenizer decodes with a ByteLevel decoder only");
        }
    }

    private static List<AddedTokens.Entry> addedTokens(JsonElement e, String source) {
        List<AddedTokens.Entry> out = new ArrayList<>();
        if (e == null || e.isJsonNull()) {
            return out;
        }
        JsonArray array = e.getAsJsonArray();
        for (JsonElement t : array) {
            out.add(addedToken(t.getAsJsonObject(), t.getAsJsonObject().get("id").getAsInt(), source));
        }
        return out;
    }

    /** One AddedToken object; defaults as tokenizers' {@code AddedToken::default} (normalized true, the rest false). */
    static AddedTokens.Entry addedToken(JsonObject t, int id, String source) {
        JsonElement content = t.get("content");
        if (content == null || !content.isJsonPrimitive()) {
            throw new IllegalArgumentException(source + ": an added token has no \"content\": " + t);
        }
        return new AddedTokens.Entry(content.getAsString(), id, PreTokenizer.bool(t, "special", false),
                PreTokenizer.bool(t, "normalized", true), PreTokenizer.bool(t, "lstrip", false),
                PreTokenizer.bool(t, "rstrip", false), PreTokenizer.bool(t, "single_word", false));
    }
}

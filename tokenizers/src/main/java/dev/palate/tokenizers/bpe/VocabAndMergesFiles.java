package dev.palate.tokenizers.bpe;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A model folder without {@code tokenizer.json}: {@code vocab.json} + {@code merges.txt} + {@code tokenizer_config.json}.
 * The pipeline is the one the folder's {@code tokenizer_class} builds in transformers 5.18 (the regex is class code,
 * not part of the files): {@code Qwen2Tokenizer} ({@code models/qwen2/tokenization_qwen2.py}) and
 * {@code Qwen3_5Tokenizer} ({@code models/qwen3_5/tokenization_qwen3_5.py}): NFC, {@code Split(regex, Isolated)},
 * {@code ByteLevel(add_prefix_space, use_regex=false)}. The added tokens are {@code added_tokens_decoder}, added in
 * id order as tokenizers numbers them; a table whose ids tokenizers would renumber is refused.
 */
final class VocabAndMergesFiles {

    /** transformers {@code tokenization_qwen2.py} {@code PRETOKENIZE_REGEX}. */
    static final String QWEN2_REGEX =
            "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    /** transformers {@code tokenization_qwen3_5.py} {@code PRETOKENIZE_REGEX}: Qwen2's with {@code \p{M}} beside {@code \p{L}}. */
    static final String QWEN3_5_REGEX =
            "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?[\\p{L}\\p{M}]+|\\p{N}| ?[^\\s\\p{L}\\p{M}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    private VocabAndMergesFiles() {}

    static Pipeline read(Path folder) {
        Path vocabJson = folder.resolve("vocab.json");
        Path mergesTxt = folder.resolve("merges.txt");
        Path configJson = folder.resolve("tokenizer_config.json");
        String source = vocabJson + " + merges.txt";
        JsonObject config = Files.isRegularFile(configJson) ? readJson(configJson).getAsJsonObject() : new JsonObject();
        String tokenizerClass = config.has("tokenizer_class") ? config.get("tokenizer_class").getAsString() : null;
        String regex = switch (tokenizerClass == null ? "" : tokenizerClass.replaceFirst("Fast$", "")) {
            case "Qwen2Tokenizer" -> QWEN2_REGEX;
            case "Qwen3_5Tokenizer" -> QWEN3_5_REGEX;
            default -> throw new IllegalArgumentException(folder + ": has no tokenizer.json, and " + configJson.getFileName()
                    + " names tokenizer_class " + tokenizerClass + ", whose pipeline is not known here (known: Qwen2Tokenizer,"
                    + " Qwen3_5Tokenizer); pass a folder or file with tokenizer.json");
        };
        boolean addPrefixSpace = config.has("add_prefix_space") && !config.get("add_prefix_space").isJsonNull()
                && config.get("add_prefix_space").getAsBoolean();
        PreTokenizer pre = new PreTokenizer(List.of(new PreTokenizer.Split(OnigurumaRegex.compile(regex, tokenizerClass), false)),
                addPrefixSpace, null);
        BpeModel model = new BpeModel(readVocab(vocabJson), readMerges(mergesTxt), false, source);
        return new Pipeline(source, TextNormalizer.fromJson(nfc(), source), pre, model, addedTokens(config, configJson, model));
    }

    private static JsonObject nfc() {
        JsonObject o = new JsonObject();
        o.addProperty("type", "NFC");
        return o;
    }

    /** {@code vocab.json}: token → id, streamed (Qwen's has 151643 entries). */
    private static Map<String, Integer> readVocab(Path vocabJson) {
        Map<String, Integer> vocab = new HashMap<>(1 << 18);
        try (JsonReader json = new JsonReader(Files.newBufferedReader(vocabJson, StandardCharsets.UTF_8))) {
            json.beginObject();
            while (json.hasNext()) {
                vocab.put(json.nextName(), json.nextInt());
            }
            json.endObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + vocabJson, e);
        } catch (IllegalStateException | NumberFormatException e) {
            throw new IllegalArgumentException(vocabJson + ": not a JSON object of token → id (" + e.getMessage() + ")", e);
        }
        return vocab;
    }

    /** tokenizers {@code convert_merges_to_hashmap}: {@code #version} lines skipped, one space per merge. */
    private static List<String[]> readMerges(Path mergesTxt) {
        List<String> lines;
        try {
            lines = Files.readAllLines(mergesTxt, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + mergesTxt + " (a folder without tokenizer.json needs vocab.json and merges.txt)", e);
        }
        List<String[]> merges = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!line.startsWith("#version") && !line.isEmpty()) {
                merges.add(TokenizerJsonFile.splitMerge(line, mergesTxt.toString(), i + 1));
            }
        }
        return merges;
    }

    private static List<AddedTokens.Entry> addedTokens(JsonObject config, Path configJson, BpeModel model) {
        List<AddedTokens.Entry> declared = new ArrayList<>();
        JsonElement decoder = config.get("added_tokens_decoder");
        if (decoder == null || !decoder.isJsonObject()) {
            return declared;
        }
        TreeMap<Integer, JsonObject> byId = new TreeMap<>();
        for (Map.Entry<String, JsonElement> e : decoder.getAsJsonObject().entrySet()) {
            byId.put(Integer.parseInt(e.getKey()), e.getValue().getAsJsonObject());
        }
        for (Map.Entry<Integer, JsonObject> e : byId.entrySet()) {
            declared.add(TokenizerJsonFile.addedToken(e.getValue(), e.getKey(), configJson.toString()));
        }
        AddedTokens resolved = new AddedTokens(declared, model, TextNormalizer.NONE);
        for (AddedTokens.Entry t : declared) {
            Integer id = resolved.id(t.content());
            if (id == null || id != t.id()) {
                throw new IllegalArgumentException(configJson + ": added token " + t.content() + " is declared as id " + t.id()
                        + " but tokenizers would number it " + id + " (its ids must follow the " + model.size()
                        + "-entry vocab.json without gaps); pass a tokenizer.json instead");
            }
        }
        return declared;
    }

    static JsonElement readJson(Path file) {
        try {
            return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(file + ": not valid JSON (" + e.getMessage() + ")", e);
        }
    }
}

package dev.palate.tokenizers.clip;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.palate.tokenizers.text.AddedToken;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/** Readers for the three ways a CLIP BPE vocabulary is shipped. */
final class ClipVocabularyFiles {

    /** open_clip tokenizer.py: {@code merges[1:49152-256-2+1]}, the merges CLIP actually uses. */
    static final int OPEN_CLIP_MERGES = 49152 - 256 - 2;

    /** A vocabulary (token → id), the merges in rank order, and the added tokens the text may contain. */
    record Vocabulary(Map<String, Integer> vocab, List<String[]> merges, List<AddedToken> addedTokens, String source) {}

    private ClipVocabularyFiles() {}

    /**
     * {@code bpe_simple_vocab_16e6.txt(.gz)}: a header line, then one merge per line. The vocabulary is
     * built as open_clip builds it: 256 byte symbols in {@code bytes_to_unicode} order, the same with
     * {@code </w>}, one token per merge, then {@code <start_of_text>} and {@code <end_of_text>}.
     */
    static Vocabulary openClipMerges(InputStream raw, boolean gzipped, String source, List<String> specials) throws IOException {
        List<String[]> merges = new ArrayList<>(OPEN_CLIP_MERGES);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                gzipped ? new GZIPInputStream(raw, 1 << 16) : raw, StandardCharsets.UTF_8), 1 << 16)) {
            reader.readLine(); // header
            for (int i = 1; i <= OPEN_CLIP_MERGES; i++) {
                String line = reader.readLine();
                if (line == null) {
                    throw new IllegalArgumentException(source + ": has " + (i - 1) + " merge lines, CLIP needs "
                            + OPEN_CLIP_MERGES + "; pass the bpe_simple_vocab_16e6.txt.gz that open_clip ships");
                }
                String[] pair = splitOnWhitespace(line);
                if (pair == null) {
                    throw new IllegalArgumentException(source + ": line " + (i + 1) + " is not a merge of two symbols: '" + line + "'");
                }
                merges.add(pair);
            }
        }
        List<String> tokens = new ArrayList<>(512 + merges.size() + specials.size());
        char[] byteChars = ByteLevelBpe.byteToUnicode();
        for (int b : ByteLevelBpe.openClipByteOrder()) {
            tokens.add(String.valueOf(byteChars[b]));
        }
        for (int i = 0; i < 256; i++) {
            tokens.add(tokens.get(i) + ByteLevelBpe.END_OF_WORD);
        }
        for (String[] m : merges) {
            tokens.add(m[0] + m[1]);
        }
        tokens.addAll(specials);
        Map<String, Integer> vocab = new HashMap<>(tokens.size() * 2);
        for (int id = 0; id < tokens.size(); id++) {
            vocab.put(tokens.get(id), id); // dict(zip(vocab, range(len(vocab)))): a repeat keeps the later id
        }
        List<AddedToken> added = new ArrayList<>();
        for (String s : specials) {
            added.add(new AddedToken(s, vocab.get(s), true));
        }
        return new Vocabulary(vocab, merges, added, source);
    }

    /** Python's {@code str.split()} for a line that must hold exactly two symbols, else null. */
    private static String[] splitOnWhitespace(String line) {
        String t = line.strip();
        int space = 0;
        while (space < t.length() && !Character.isWhitespace(t.charAt(space))) {
            space++;
        }
        if (space == 0 || space == t.length()) {
            return null;
        }
        String right = t.substring(space).strip();
        for (int i = 0; i < right.length(); i++) {
            if (Character.isWhitespace(right.charAt(i))) {
                return null;
            }
        }
        return new String[] {t.substring(0, space), right};
    }

    static Vocabulary openClipMergesFile(Path file, List<String> specials) {
        try (InputStream in = Files.newInputStream(file)) {
            return openClipMerges(in, isGzip(file), file.toString(), specials);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read CLIP merges file " + file, e);
        }
    }

    private static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1F && in.read() == 0x8B;
        }
    }

    /** Hugging Face slow-tokenizer files: {@code vocab.json} and {@code merges.txt} ({@code #version} header). */
    static Vocabulary vocabJsonAndMerges(Path vocabJson, Path mergesTxt) {
        Map<String, Integer> vocab = new HashMap<>();
        JsonObject obj = readJson(vocabJson).getAsJsonObject();
        for (Map.Entry<String, JsonElement> e : obj.entrySet()) {
            vocab.put(e.getKey(), e.getValue().getAsInt());
        }
        List<String[]> merges = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(mergesTxt, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + mergesTxt, e);
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || (i == 0 && line.startsWith("#version"))) {
                continue;
            }
            merges.add(splitMerge(line, mergesTxt, i + 1));
        }
        List<AddedToken> added = new ArrayList<>();
        for (String s : List.of("<|startoftext|>", "<|endoftext|>")) {
            if (vocab.containsKey(s)) {
                added.add(new AddedToken(s, vocab.get(s), true));
            }
        }
        return new Vocabulary(vocab, merges, added, vocabJson + " + " + mergesTxt.getFileName());
    }

    /** Hugging Face fast-tokenizer file {@code tokenizer.json} with a BPE model. */
    static Vocabulary tokenizerJson(Path file, JsonObject root) {
        JsonObject model = root.getAsJsonObject("model");
        if (model == null || !"BPE".equals(stringOr(model, "type", "BPE"))) {
            throw new IllegalArgumentException(file + ": model.type is " + (model == null ? "missing" : stringOr(model, "type", "?"))
                    + ", a CLIP tokenizer needs a BPE model; pass a CLIP model folder");
        }
        String suffix = stringOr(model, "end_of_word_suffix", null);
        if (!ByteLevelBpe.END_OF_WORD.equals(suffix)) {
            throw new IllegalArgumentException(file + ": model.end_of_word_suffix is " + suffix
                    + ", CLIP's byte-level BPE uses \"</w>\"; this is not a CLIP tokenizer");
        }
        Map<String, Integer> vocab = new HashMap<>();
        for (Map.Entry<String, JsonElement> e : model.getAsJsonObject("vocab").entrySet()) {
            vocab.put(e.getKey(), e.getValue().getAsInt());
        }
        List<String[]> merges = new ArrayList<>();
        JsonArray mergeArray = model.getAsJsonArray("merges");
        for (int i = 0; i < mergeArray.size(); i++) {
            JsonElement m = mergeArray.get(i);
            if (m.isJsonArray()) {
                merges.add(new String[] {m.getAsJsonArray().get(0).getAsString(), m.getAsJsonArray().get(1).getAsString()});
            } else {
                merges.add(splitMerge(m.getAsString(), file, i));
            }
        }
        List<AddedToken> added = new ArrayList<>();
        JsonArray addedArray = root.getAsJsonArray("added_tokens");
        if (addedArray != null) {
            for (JsonElement e : addedArray) {
                JsonObject t = e.getAsJsonObject();
                added.add(new AddedToken(t.get("content").getAsString(), t.get("id").getAsInt(),
                        !t.has("normalized") || t.get("normalized").getAsBoolean()));
            }
        }
        return new Vocabulary(vocab, merges, added, file.toString());
    }

    private static String[] splitMerge(String line, Path file, int lineNo) {
        int space = line.indexOf(' ');
        if (space <= 0 || space == line.length() - 1 || line.indexOf(' ', space + 1) >= 0) {
            throw new IllegalArgumentException(file + ": merge " + lineNo + " is not two symbols separated by one space: '" + line + "'");
        }
        return new String[] {line.substring(0, space), line.substring(space + 1)};
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

    static String stringOr(JsonObject obj, String key, String fallback) {
        JsonElement e = obj.get(key);
        return e == null || e.isJsonNull() ? fallback : e.getAsString();
    }
}

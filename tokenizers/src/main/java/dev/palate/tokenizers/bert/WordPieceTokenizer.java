package dev.palate.tokenizers.bert;

import dev.palate.tokenizers.bert.BertVocabularyFiles.Spec;
import dev.palate.tokenizers.text.AddedToken;
import dev.palate.tokenizers.text.AddedVocabulary;
import dev.palate.tokenizers.text.IntArrayBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * BERT WordPiece tokenizer, id-exact with Hugging Face tokenizers' BERT pipeline: added/special tokens
 * matched whole in the raw text, {@link BertNormalizer}, {@link BertPreTokenizer}, {@link WordPieceModel},
 * then {@code [CLS] … [SEP]}, truncation and padding to a fixed length with the attention mask (the call
 * ImageReward makes: {@code padding='max_length', truncation=True, max_length=35}).
 *
 * <p>Immutable and thread-safe.
 * <pre>{@code
 * WordPieceTokenizer tok = WordPieceTokenizer.bundledBertBaseUncased();
 * Encoding e = tok.encode("a painting of an ocean", 35);   // e.ids(): [101, 1037, 4169, ..., 102, 0, ...]
 * }</pre>
 */
public final class WordPieceTokenizer {

    /** ImageReward's BLIP tokenizer adds these specials after the 30522 bert-base-uncased entries. */
    public static final List<String> IMAGE_REWARD_SPECIALS = List.of("[DEC]", "[ENC]");
    /** Hub ids under which a bert-base-uncased folder may sit in the Hugging Face cache. */
    static final List<String> BERT_BASE_UNCASED_REPOS = List.of("bert-base-uncased", "google-bert/bert-base-uncased");
    private static final String BUNDLED_VOCAB = "bert-base-uncased-vocab.txt";
    private static volatile WordPieceTokenizer bundled;

    private final Map<String, Integer> vocab;
    private final BertNormalizer normalizer;
    private final WordPieceModel model;
    private final List<AddedToken> allAddedTokens;
    private final AddedVocabulary addedVocabulary;
    private final int clsId;
    private final int sepId;
    private final int padId;
    private final String source;

    private WordPieceTokenizer(Spec spec) {
        this.vocab = Map.copyOf(spec.vocab());
        this.normalizer = spec.normalizer();
        this.source = spec.source();
        this.allAddedTokens = List.copyOf(spec.addedTokens());
        Map<String, Integer> known = new HashMap<>(spec.vocab());
        for (AddedToken t : spec.addedTokens()) {
            known.putIfAbsent(t.content(), t.id());
        }
        this.model = new WordPieceModel(this.vocab, require(known, spec.unkToken(), "unknown"),
                spec.continuingSubwordPrefix(), spec.maxInputCharsPerWord());
        this.clsId = require(known, spec.clsToken(), "[CLS]");
        this.sepId = require(known, spec.sepToken(), "[SEP]");
        this.padId = require(known, spec.padToken(), "padding");
        this.addedVocabulary = new AddedVocabulary(allAddedTokens);
    }

    private int require(Map<String, Integer> known, String token, String role) {
        Integer id = known.get(token);
        if (id == null) {
            throw new IllegalArgumentException(source + ": the " + role + " token '" + token + "' is not in the vocabulary");
        }
        return id;
    }

    /**
     * The bundled bert-base-uncased vocabulary (30522 entries, Apache-2.0) with ImageReward's two added
     * specials {@code [DEC]} = 30522 and {@code [ENC]} = 30523 (the 30524 ids of its BLIP text encoder);
     * text that does not contain those two strings tokenises exactly as plain bert-base-uncased.
     */
    public static WordPieceTokenizer bundledBertBaseUncased() {
        WordPieceTokenizer t = bundled;
        if (t == null) {
            synchronized (WordPieceTokenizer.class) {
                t = bundled;
                if (t == null) {
                    try (InputStream in = WordPieceTokenizer.class.getResourceAsStream(BUNDLED_VOCAB)) {
                        if (in == null) {
                            throw new IllegalStateException("resource " + BUNDLED_VOCAB + " is missing from the palate-tokenizers jar; rebuild the module");
                        }
                        t = new WordPieceTokenizer(BertVocabularyFiles.vocabTxt(in, "bundled " + BUNDLED_VOCAB))
                                .withAddedSpecialTokens(IMAGE_REWARD_SPECIALS.toArray(String[]::new));
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot read bundled " + BUNDLED_VOCAB, e);
                    }
                    bundled = t;
                }
            }
        }
        return t;
    }

    /** An uncased BERT tokenizer from a {@code vocab.txt} (BERT's specials are matched whole in the text). */
    public static WordPieceTokenizer fromVocab(Path vocabTxt) {
        requireFile(vocabTxt, "BERT vocab.txt");
        return new WordPieceTokenizer(BertVocabularyFiles.vocabTxt(vocabTxt));
    }

    /** A tokenizer from a Hugging Face {@code tokenizer.json} (BertNormalizer, BertPreTokenizer, WordPiece). */
    public static WordPieceTokenizer fromTokenizerJson(Path tokenizerJson) {
        requireFile(tokenizerJson, "BERT tokenizer.json");
        return new WordPieceTokenizer(BertVocabularyFiles.tokenizerJson(tokenizerJson));
    }

    /**
     * ImageReward's tokenizer: bert-base-uncased plus {@code [DEC]}/{@code [ENC]}. The vocabulary comes from
     * {@code explicitOrNull} when given (a {@code vocab.txt}, a {@code tokenizer.json}, or a folder holding
     * one), else from a bert-base-uncased folder in the Hugging Face cache, else the bundled copy.
     */
    public static WordPieceTokenizer forImageReward(Path explicitOrNull) {
        return forImageReward(explicitOrNull, HuggingFaceCache.defaultRoot());
    }

    static WordPieceTokenizer forImageReward(Path explicitOrNull, Path hubCacheRoot) {
        WordPieceTokenizer base;
        if (explicitOrNull != null) {
            base = fromPath(explicitOrNull);
        } else {
            base = HuggingFaceCache.find(hubCacheRoot, BERT_BASE_UNCASED_REPOS, "vocab.txt").map(WordPieceTokenizer::fromVocab)
                    .or(() -> HuggingFaceCache.find(hubCacheRoot, BERT_BASE_UNCASED_REPOS, "tokenizer.json").map(WordPieceTokenizer::fromTokenizerJson))
                    .orElse(null);
            if (base == null) {
                return bundledBertBaseUncased();
            }
        }
        return base.withAddedSpecialTokens(IMAGE_REWARD_SPECIALS.toArray(String[]::new));
    }

    private static WordPieceTokenizer fromPath(Path path) {
        if (Files.isDirectory(path)) {
            if (Files.isRegularFile(path.resolve("vocab.txt"))) {
                return fromVocab(path.resolve("vocab.txt"));
            }
            if (Files.isRegularFile(path.resolve("tokenizer.json"))) {
                return fromTokenizerJson(path.resolve("tokenizer.json"));
            }
            throw new IllegalArgumentException("no BERT tokenizer in " + path + ": looked for vocab.txt and tokenizer.json; "
                    + "pass a bert-base-uncased folder or one of those files");
        }
        return path.getFileName().toString().endsWith(".json") ? fromTokenizerJson(path) : fromVocab(path);
    }

    private static void requireFile(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(what + " " + file + " does not exist; pass an existing file "
                    + "or use WordPieceTokenizer.bundledBertBaseUncased()");
        }
    }

    /**
     * This tokenizer with extra special tokens matched whole in the raw text; tokens not yet known get the
     * next free ids in order (as {@code add_special_tokens} does), known ones keep their id.
     */
    public WordPieceTokenizer withAddedSpecialTokens(String... tokens) {
        Map<String, Integer> known = new HashMap<>(vocab);
        int next = 0;
        for (int id : vocab.values()) {
            next = Math.max(next, id + 1);
        }
        List<AddedToken> added = new ArrayList<>(allAddedTokens);
        for (AddedToken t : allAddedTokens) {
            known.putIfAbsent(t.content(), t.id());
            next = Math.max(next, t.id() + 1);
        }
        for (String token : tokens) {
            if (added.stream().anyMatch(t -> t.content().equals(token))) {
                continue;
            }
            Integer id = known.get(token);
            if (id == null) {
                id = next++;
                known.put(token, id);
            }
            added.add(new AddedToken(token, id, false));
        }
        return new WordPieceTokenizer(new Spec(vocab, normalizer, added, vocabToken(model.unkId()),
                model.continuingSubwordPrefix(), model.maxInputCharsPerWord(), tokenFor(known, clsId),
                tokenFor(known, sepId), tokenFor(known, padId), source));
    }

    private String vocabToken(int id) {
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            if (e.getValue() == id) {
                return e.getKey();
            }
        }
        for (AddedToken t : allAddedTokens) {
            if (t.id() == id) {
                return t.content();
            }
        }
        throw new IllegalStateException("id " + id + " has no token");
    }

    private static String tokenFor(Map<String, Integer> known, int id) {
        for (Map.Entry<String, Integer> e : known.entrySet()) {
            if (e.getValue() == id) {
                return e.getKey();
            }
        }
        throw new IllegalStateException("id " + id + " has no token");
    }

    /**
     * {@code [CLS]} + the first {@code maxLength − 2} content tokens + {@code [SEP]}, padded with
     * {@code [PAD]} to {@code maxLength}; attention mask 1 on the real tokens.
     */
    public Encoding encode(String text, int maxLength) {
        if (maxLength < 2) {
            throw new IllegalArgumentException("max length " + maxLength + " leaves no room for [CLS] and [SEP]");
        }
        int[] content = tokenIds(text);
        int kept = Math.min(content.length, maxLength - 2);
        int[] ids = new int[maxLength];
        int[] mask = new int[maxLength];
        ids[0] = clsId;
        System.arraycopy(content, 0, ids, 1, kept);
        ids[kept + 1] = sepId;
        Arrays.fill(mask, 0, kept + 2, 1);
        if (padId != 0) {
            Arrays.fill(ids, kept + 2, maxLength, padId);
        }
        return new Encoding(ids, mask);
    }

    /** One {@link Encoding} per text, all of length {@code maxLength}. */
    public List<Encoding> encode(List<String> texts, int maxLength) {
        List<Encoding> out = new ArrayList<>(texts.size());
        for (String t : texts) {
            out.add(encode(t, maxLength));
        }
        return out;
    }

    /** Content ids of the whole text: no [CLS]/[SEP], no truncation. */
    public int[] tokenIds(String text) {
        IntArrayBuilder out = new IntArrayBuilder(32);
        addedVocabulary.extractAndNormalize(text, normalizer::normalize, out,
                segment -> BertPreTokenizer.split(segment, word -> model.tokenize(word, out)));
        return out.toArray();
    }

    /** The id of a vocabulary entry or added token, or -1. */
    public int tokenId(String token) {
        Integer id = vocab.get(token);
        if (id != null) {
            return id;
        }
        for (AddedToken t : allAddedTokens) {
            if (t.content().equals(token)) {
                return t.id();
            }
        }
        return -1;
    }

    public int clsId() {
        return clsId;
    }

    public int sepId() {
        return sepId;
    }

    public int padId() {
        return padId;
    }

    public int unkId() {
        return model.unkId();
    }

    /** Largest id + 1, added tokens included (30524 for ImageReward). */
    public int vocabSize() {
        int max = -1;
        for (int id : vocab.values()) {
            max = Math.max(max, id);
        }
        for (AddedToken t : allAddedTokens) {
            max = Math.max(max, t.id());
        }
        return max + 1;
    }

    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return "WordPieceTokenizer[" + source + ", " + vocabSize() + " ids]";
    }
}

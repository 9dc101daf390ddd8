package dev.palate.tokenizers.clip;

import com.google.gson.JsonObject;
import dev.palate.tokenizers.clip.ClipVocabularyFiles.Vocabulary;
import dev.palate.tokenizers.text.AddedToken;
import dev.palate.tokenizers.text.AddedVocabulary;
import dev.palate.tokenizers.text.IntArrayBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CLIP byte-level BPE tokenizer, id-exact with open_clip's {@code SimpleTokenizer} (merges file) or with
 * Hugging Face's {@code CLIPTokenizerFast} (model folder), depending on how it was loaded.
 *
 * <p>{@link #encode(String)} gives {@value #CONTEXT_LENGTH} ids: start token, at most 75 content tokens,
 * end token, then padding. Over-long text keeps its first 75 tokens and the end token stays last (open_clip
 * {@code tokenize} and HF {@code truncation=True, max_length=77} agree). Padding is 0 for open_clip and the
 * folder's pad token for Hugging Face (49407 for openai/clip-vit-*).
 *
 * <p>Instances are immutable and thread-safe (the BPE cache is concurrent and bounded).
 * <pre>{@code
 * ClipTokenizer tok = ClipTokenizer.openClip();
 * int[] ids = tok.encode("a photo of a cat");          // [49406, 320, 1125, 539, 320, 2368, 49407, 0, ...]
 * int[][] batch = tok.encode(List.of("a", "b"));        // [2][77]
 * }</pre>
 */
public final class ClipTokenizer {

    public static final int CONTEXT_LENGTH = 77;
    /** open_clip's special token names (OpenAI's CLIP calls them {@code <|startoftext|>}, same ids). */
    static final List<String> OPEN_CLIP_SPECIALS = List.of("<start_of_text>", "<end_of_text>");
    private static final String BUNDLED_MERGES = "bpe_simple_vocab_16e6.txt.gz";
    private static volatile ClipTokenizer bundled;

    private final ByteLevelBpe bpe;
    private final ClipNormalization normalization;
    private final ClipPreTokenizer preTokenizer;
    private final boolean openClipLayout;
    /** open_clip: pieces the pre-tokenizer matched as special names. */
    private final Map<String, Integer> specialPieces;
    /** Hugging Face: tokens split out of the raw ({@code normalized=false}) or normalised text. */
    private final AddedVocabulary addedVocabulary;
    private final int startId;
    private final int endId;
    private final int padId;
    private final int vocabSize;
    private final String source;

    private ClipTokenizer(Vocabulary v, ClipNormalization normalization, boolean openClipLayout,
                          int startId, int endId, int padId) {
        this.bpe = new ByteLevelBpe(v.vocab(), v.merges(), v.source());
        this.normalization = normalization;
        this.openClipLayout = openClipLayout;
        this.startId = startId;
        this.endId = endId;
        this.padId = padId;
        this.vocabSize = v.vocab().values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        this.source = v.source();
        Map<String, Integer> pieces = new HashMap<>();
        if (openClipLayout) {
            for (AddedToken t : v.addedTokens()) {
                pieces.put(t.content(), t.id());
            }
        }
        this.specialPieces = Map.copyOf(pieces);
        this.addedVocabulary = new AddedVocabulary(openClipLayout ? List.of() : v.addedTokens());
        this.preTokenizer = new ClipPreTokenizer(openClipLayout,
                openClipLayout ? v.addedTokens().stream().map(AddedToken::content).toList() : List.of());
    }

    /** open_clip's tokenizer on the bundled {@code bpe_simple_vocab_16e6.txt.gz} (MIT, OpenAI). */
    public static ClipTokenizer openClip() {
        ClipTokenizer t = bundled;
        if (t == null) {
            synchronized (ClipTokenizer.class) {
                t = bundled;
                if (t == null) {
                    try (InputStream in = ClipTokenizer.class.getResourceAsStream(BUNDLED_MERGES)) {
                        if (in == null) {
                            throw new IllegalStateException("resource " + BUNDLED_MERGES
                                    + " is missing from the palate-tokenizers jar; rebuild the module");
                        }
                        t = openClipLayout(ClipVocabularyFiles.openClipMerges(in, true, "bundled " + BUNDLED_MERGES, OPEN_CLIP_SPECIALS));
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot read bundled " + BUNDLED_MERGES, e);
                    }
                    bundled = t;
                }
            }
        }
        return t;
    }

    /** open_clip's tokenizer on a merges file ({@code bpe_simple_vocab_16e6.txt}, gzipped or not). */
    public static ClipTokenizer fromMergesFile(Path mergesFile) {
        if (!Files.isRegularFile(mergesFile)) {
            throw new IllegalArgumentException("CLIP merges file " + mergesFile + " does not exist; pass the path of "
                    + "bpe_simple_vocab_16e6.txt.gz or use ClipTokenizer.openClip() for the bundled copy");
        }
        return openClipLayout(ClipVocabularyFiles.openClipMergesFile(mergesFile, OPEN_CLIP_SPECIALS));
    }

    private static ClipTokenizer openClipLayout(Vocabulary v) {
        return new ClipTokenizer(v, ClipNormalization.OPEN_CLIP, true,
                v.vocab().get(OPEN_CLIP_SPECIALS.get(0)), v.vocab().get(OPEN_CLIP_SPECIALS.get(1)), 0);
    }

    /**
     * Hugging Face CLIP tokenizer from a model folder ({@code tokenizer.json}, else {@code vocab.json} +
     * {@code merges.txt}; also looked for in a {@code tokenizer/} sub-folder), with the fast tokenizer's
     * normalisation. A path to the {@code tokenizer.json} file itself is accepted too.
     */
    public static ClipTokenizer fromHuggingFaceFolder(Path folder) {
        return fromHuggingFaceFolder(folder, ClipNormalization.HUGGING_FACE);
    }

    /** As {@link #fromHuggingFaceFolder(Path)} with an explicit text normalisation. */
    public static ClipTokenizer fromHuggingFaceFolder(Path folder, ClipNormalization normalization) {
        if (Files.isRegularFile(folder) && folder.getFileName().toString().equals("tokenizer.json")) {
            folder = folder.toAbsolutePath().getParent();
        }
        Path dir = folder;
        if (!hasTokenizerFiles(dir) && hasTokenizerFiles(folder.resolve("tokenizer"))) {
            dir = folder.resolve("tokenizer");
        }
        Vocabulary v;
        JsonObject tokenizerJson = null;
        if (Files.isRegularFile(dir.resolve("tokenizer.json"))) {
            tokenizerJson = ClipVocabularyFiles.readJson(dir.resolve("tokenizer.json")).getAsJsonObject();
            v = ClipVocabularyFiles.tokenizerJson(dir.resolve("tokenizer.json"), tokenizerJson);
        } else if (Files.isRegularFile(dir.resolve("vocab.json")) && Files.isRegularFile(dir.resolve("merges.txt"))) {
            v = ClipVocabularyFiles.vocabJsonAndMerges(dir.resolve("vocab.json"), dir.resolve("merges.txt"));
        } else {
            throw new IllegalArgumentException("no CLIP tokenizer in " + folder + ": looked for tokenizer.json, or vocab.json with "
                    + "merges.txt, there and in " + folder.resolve("tokenizer") + "; pass the model folder that holds them");
        }
        HuggingFaceSpecialTokens specials = HuggingFaceSpecialTokens.read(dir, tokenizerJson);
        return new ClipTokenizer(v, normalization, false,
                idOf(v, specials.bos(), "start"), idOf(v, specials.eos(), "end"), idOf(v, specials.pad(), "padding"));
    }

    private static boolean hasTokenizerFiles(Path dir) {
        return Files.isRegularFile(dir.resolve("tokenizer.json"))
                || (Files.isRegularFile(dir.resolve("vocab.json")) && Files.isRegularFile(dir.resolve("merges.txt")));
    }

    private static int idOf(Vocabulary v, String token, String role) {
        for (AddedToken t : v.addedTokens()) {
            if (t.content().equals(token)) {
                return t.id();
            }
        }
        Integer id = v.vocab().get(token);
        if (id == null) {
            throw new IllegalArgumentException(v.source() + ": the " + role + " token '" + token
                    + "' named by the folder's tokenizer config is not in the vocabulary");
        }
        return id;
    }

    /** {@value #CONTEXT_LENGTH} ids: start, content (at most 75), end, padding. */
    public int[] encode(String text) {
        return encode(text, CONTEXT_LENGTH);
    }

    /** {@code contextLength} ids: start, content (at most contextLength − 2), end, padding. */
    public int[] encode(String text, int contextLength) {
        if (contextLength < 2) {
            throw new IllegalArgumentException("context length " + contextLength + " leaves no room for the start and end tokens");
        }
        int[] content = tokenIds(text);
        int kept = Math.min(content.length, contextLength - 2);
        int[] ids = new int[contextLength];
        ids[0] = startId;
        System.arraycopy(content, 0, ids, 1, kept);
        ids[kept + 1] = endId;
        if (padId != 0) {
            Arrays.fill(ids, kept + 2, contextLength, padId);
        }
        return ids;
    }

    /** One row of {@value #CONTEXT_LENGTH} ids per text. */
    public int[][] encode(List<String> texts) {
        int[][] out = new int[texts.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = encode(texts.get(i));
        }
        return out;
    }

    /** 1 up to and including the first end token, 0 after it (Hugging Face's {@code attention_mask}). */
    public int[] attentionMask(int[] encoded) {
        int[] mask = new int[encoded.length];
        for (int i = 0; i < encoded.length; i++) {
            mask[i] = 1;
            if (i > 0 && encoded[i] == endId) {
                break;
            }
        }
        return mask;
    }

    /** Content ids of the whole text: no start/end tokens, no truncation. */
    public int[] tokenIds(String text) {
        IntArrayBuilder out = new IntArrayBuilder(Math.max(8, text.length() / 3));
        if (openClipLayout) {
            preTokenizer.split(normalization.apply(text), piece -> {
                Integer special = specialPieces.get(piece);
                if (special != null) {
                    out.add(special);
                } else {
                    out.addAll(bpe.encode(piece));
                }
            });
        } else {
            addedVocabulary.extractAndNormalize(text, normalization::apply, out,
                    segment -> preTokenizer.split(segment, piece -> out.addAll(bpe.encode(piece))));
        }
        return out.toArray();
    }

    /** Number of content tokens of the text (what {@link #tokenIds} returns), before truncation. */
    public int countTokens(String text) {
        return tokenIds(text).length;
    }

    /** The text after this tokenizer's normalisation, as the pre-tokenizer sees it. */
    public String normalize(String text) {
        return normalization.apply(text);
    }

    public int startId() {
        return startId;
    }

    public int endId() {
        return endId;
    }

    public int padId() {
        return padId;
    }

    public int vocabSize() {
        return vocabSize;
    }

    public ClipNormalization normalization() {
        return normalization;
    }

    /** Where the vocabulary came from (file names), for messages. */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return "ClipTokenizer[" + normalization + ", pad " + padId + ", " + source + "]";
    }
}

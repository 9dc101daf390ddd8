package dev.palate.tokenizers.bpe;

import dev.palate.tokenizers.text.IntArrayBuilder;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * A Hugging Face byte-level BPE tokenizer (GPT-2 family: Qwen2, Qwen2-VL, Qwen3, Qwen3-VL, Qwen3.5), id-exact with
 * the Rust {@code tokenizers} 0.23 {@code Tokenizer.encode(text, add_special_tokens=False)} and
 * {@code decode(ids, skip_special_tokens)} on the same {@code tokenizer.json}. Everything is read from the files:
 * normaliser, pre-tokenizer regex (Oniguruma, translated: {@link OnigurumaRegex}), vocabulary, merges, added tokens
 * and their flags; nothing about a vocabulary is built in.
 *
 * <p>Encoding ({@code TokenizerImpl::encode_single_sequence}): added tokens are split out first (longest first, raw
 * text for {@code normalized=false}); each segment between them is normalised and split by the pre-tokenizer; each
 * piece's UTF-8 bytes are BPE-merged by rank. No special tokens are added, nothing is truncated or padded.
 *
 * <p>Immutable and thread-safe (the merge cache is concurrent and bounded).
 * <pre>{@code
 * ByteLevelBpeTokenizer tok = ByteLevelBpeTokenizer.fromFolder(Path.of("Qwen2-VL-7B-Instruct"));
 * int[] ids = tok.encode("Hello world<|im_end|>");        // [9707, 1879, 151645]
 * String text = tok.decode(ids, true);                    // "Hello world"
 * int imEnd = tok.addedTokenId("<|im_end|>").orElseThrow();
 * }</pre>
 */
public final class ByteLevelBpeTokenizer {

    private final Pipeline pipeline;
    private final String source;
    private final TextNormalizer normalizer;
    private final PreTokenizer preTokenizer;
    private final BpeModel model;
    private final AddedTokens addedTokens;
    private final int vocabSize;

    private ByteLevelBpeTokenizer(Pipeline p) {
        this.pipeline = p;
        this.source = p.source();
        this.normalizer = p.normalizer();
        this.preTokenizer = p.preTokenizer();
        this.model = p.model();
        this.addedTokens = new AddedTokens(p.addedTokens(), p.model(), p.normalizer());
        int outsideVocab = 0;
        for (String content : addedTokens.contents()) {
            if (model.id(content) == null) {
                outsideVocab++;
            }
        }
        this.vocabSize = model.size() + outsideVocab;
    }

    /**
     * Loads a tokenizer from a {@code tokenizer.json} file, or from a model folder: its {@code tokenizer.json}, else
     * {@code tokenizer/tokenizer.json}, else {@code vocab.json} + {@code merges.txt} with {@code tokenizer_config.json}
     * (its {@code added_tokens_decoder} and {@code tokenizer_class}, Qwen2 or Qwen3.5), in the folder or in
     * {@code tokenizer/}.
     *
     * @throws IllegalArgumentException when nothing usable is there, or the file uses a feature this tokenizer does
     *         not reproduce (the message names the file and the field); a CLIP {@code tokenizer.json} is refused
     *         with a pointer to {@code ClipTokenizer}
     */
    public static ByteLevelBpeTokenizer fromFolder(Path dirOrTokenizerJson) {
        Path p = dirOrTokenizerJson;
        if (Files.isRegularFile(p)) {
            return new ByteLevelBpeTokenizer(TokenizerJsonFile.read(p));
        }
        if (!Files.isDirectory(p)) {
            throw new IllegalArgumentException(p + " does not exist; pass a model folder or its tokenizer.json");
        }
        for (Path dir : List.of(p, p.resolve("tokenizer"))) {
            if (Files.isRegularFile(dir.resolve("tokenizer.json"))) {
                return new ByteLevelBpeTokenizer(TokenizerJsonFile.read(dir.resolve("tokenizer.json")));
            }
        }
        for (Path dir : List.of(p, p.resolve("tokenizer"))) {
            if (Files.isRegularFile(dir.resolve("vocab.json")) && Files.isRegularFile(dir.resolve("merges.txt"))) {
                return new ByteLevelBpeTokenizer(VocabAndMergesFiles.read(dir));
            }
        }
        throw new IllegalArgumentException(p + ": no tokenizer.json, and no vocab.json + merges.txt (looked in the folder and in "
                + p.resolve("tokenizer") + "); pass the model folder that has them, or the tokenizer.json itself");
    }

    /**
     * This tokenizer with one more special token, as transformers' {@code tokenizer.add_special_tokens(
     * {"additional_special_tokens": [content]})} adds it: special, not normalised, no stripping, with the next free id
     * ({@code len(tokenizer)}) unless the vocabulary has that text already. HPSv3 adds {@code <|Reward|>} this way.
     */
    public ByteLevelBpeTokenizer withSpecialToken(String content) {
        List<AddedTokens.Entry> added = new ArrayList<>(pipeline.addedTokens());
        added.add(new AddedTokens.Entry(content, -1, true, false, false, false, false));
        return new ByteLevelBpeTokenizer(new Pipeline(pipeline.source() + " + special token " + content, pipeline.normalizer(),
                pipeline.preTokenizer(), pipeline.model(), added));
    }

    /** The ids of {@code text}: {@code tokenizer.encode(text, add_special_tokens=False).ids}. */
    public int[] encode(String text) {
        IntArrayBuilder ids = new IntArrayBuilder(text.length() / 3 + 4);
        encode(text, ids, null);
        return ids.toArray();
    }

    /**
     * The tokens of {@code text}, one per id of {@link #encode}: {@code Encoding.tokens} (the vocabulary token, in
     * byte-level characters, e.g. {@code "Ġworld"}; for an added token the text it matched).
     */
    public List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        encode(text, new IntArrayBuilder(text.length() / 3 + 4), tokens);
        return tokens;
    }

    private void encode(String text, IntArrayBuilder ids, List<String> tokensOrNull) {
        Consumer<String> piece = p -> {
            int[] pieceIds = model.tokenize(p);
            ids.addAll(pieceIds);
            if (tokensOrNull != null) {
                for (int id : pieceIds) {
                    tokensOrNull.add(model.token(id));
                }
            }
        };
        addedTokens.extractAndNormalize(text, normalizer, new AddedTokens.Sink() {
            @Override
            public void text(String segment) {
                preTokenizer.split(segment, piece);
            }

            @Override
            public void token(AddedTokens.Entry token, String slice) {
                ids.add(token.id());
                if (tokensOrNull != null) {
                    tokensOrNull.add(slice);
                }
            }
        });
    }

    /**
     * {@code tokenizer.decode(ids, skip_special_tokens)}: each id's added-token content or vocabulary token (ids with
     * neither are skipped); with {@code skipSpecialTokens} the tokens whose text is a <em>special</em> added token's
     * content are dropped (non-special added tokens such as Qwen3's {@code </think>} stay); then the ByteLevel
     * decoder: bytes back from the alphabet, invalid UTF-8 replaced by U+FFFD. No clean-up of spaces
     * ({@code clean_up_tokenization_spaces} is false for Qwen).
     */
    public String decode(int[] ids, boolean skipSpecialTokens) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(ids.length * 4);
        for (int id : ids) {
            String token = idToToken(id);
            if (token == null || (skipSpecialTokens && addedTokens.isSpecialContent(token))) {
                continue;
            }
            ByteLevelAlphabet.appendTokenBytes(token, bytes);
        }
        return Utf8Lossy.decode(bytes.toByteArray(), bytes.size());
    }

    /** {@code id_to_token}: the added token's content or the vocabulary token (byte-level characters), or null. */
    public String idToToken(int id) {
        String added = addedTokens.decoded(id);
        return added != null ? added : model.token(id);
    }

    /** {@code token_to_id}: an added token's or a vocabulary token's id, or -1 when neither has that text. */
    public int tokenId(String token) {
        Integer added = addedTokens.id(token);
        if (added != null) {
            return added;
        }
        Integer id = model.id(token);
        return id == null ? -1 : id;
    }

    /** The id of the added token with this content ({@code <|im_end|>}, {@code </think>}, …), if there is one. */
    public OptionalInt addedTokenId(String content) {
        Integer id = addedTokens.id(content);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** Whether {@code id} is an added token marked {@code special} (what {@code skip_special_tokens} drops). */
    public boolean isSpecial(int id) {
        AddedTokens.Entry t = addedTokens.byId(id);
        return t != null && t.special();
    }

    /**
     * {@code get_vocab_size(with_added_tokens=True)}: distinct token texts in the vocabulary and the added tokens.
     * A model's embedding table may be larger (Qwen pads to 151936); that size is in its config.json.
     */
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public String toString() {
        return "ByteLevelBpeTokenizer(" + source + ", " + vocabSize + " tokens, " + addedTokens.size() + " added)";
    }
}

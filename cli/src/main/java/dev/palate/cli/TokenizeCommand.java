package dev.palate.cli;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;

import dev.palate.cli.run.TextFile;
import dev.palate.tokenizers.bert.Encoding;
import dev.palate.tokenizers.bpe.ByteLevelBpeTokenizer;
import dev.palate.tokenizers.bert.WordPieceTokenizer;
import dev.palate.tokenizers.clip.ClipTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Tokenizes texts the way a model would see them: the diagnostic behind the tokenizer parity checks. */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = "Tokenize {\"text\": ...} lines; writes {\"text\", \"ids\"} (and \"attention_mask\" for bert;"
                + " \"tokens\", \"decoded\", \"decoded_skip_special\" for bpe --decode) per line.")
final class TokenizeCommand implements Callable<Integer> {
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    @Option(names = "--tokenizer", required = true, description = "clip (open_clip flavour), clip-hf (needs --vocab FOLDER), bert,"
            + " or bpe (Hugging Face byte-level BPE: Qwen2/Qwen3/Qwen3.5; needs --vocab).")
    String tokenizer;

    @Option(names = "--vocab", description = "clip: a bpe_simple_vocab_16e6.txt.gz merges file; clip-hf: a folder with vocab.json+merges.txt"
            + " or tokenizer.json; bert: vocab.txt or tokenizer.json (default: the bundled vocabulary); bpe: tokenizer.json or a model folder.")
    Path vocab;

    @Option(names = "--decode", description = "bpe: also write \"tokens\" and the decoded ids, with and without special tokens"
            + " (\"decoded\", \"decoded_skip_special\").")
    boolean decode;

    @Option(names = "--max-length", description = "bert: pad/truncate to this length (default 35, ImageReward's).")
    int maxLength = 35;

    @Option(names = "--input", required = true, description = "JSONL, one {\"text\": ...} per line.")
    Path input;

    @Option(names = "--output", required = true, description = "JSONL output, same order as the input.")
    Path output;

    /**
     * One output line per non-blank input line, in order; a line that is not UTF-8, not JSON or has no text gets
     * {@code {"line": N, "error": ...}} instead, the others are still tokenized, and the exit code is then 1.
     */
    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(input)) throw new IllegalArgumentException("--input " + input + " does not exist or is not a file");
        List<TextFile.Line> lines = TextFile.lines(input);
        Encoder encoder = encoder();
        int errors = 0;
        try (BufferedWriter w = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
            for (TextFile.Line line : lines) {
                if (line.text().isBlank() && line.problem() == null) continue;
                Map<String, Object> row = new LinkedHashMap<>();
                try {
                    if (line.problem() != null)
                        throw new IllegalArgumentException(input + " line " + line.number() + ": not UTF-8 text (" + line.problem() + ")");
                    String text = text(line.text(), line.number());
                    row.put("text", text);
                    encoder.encode(text, row);
                } catch (IllegalArgumentException e) {
                    row.clear();
                    row.put("line", line.number());
                    row.put("error", e.getMessage());
                    errors++;
                }
                w.write(GSON.toJson(row));
                w.write('\n');
            }
        }
        if (errors > 0) System.err.printf("palate tokenize: %d of the lines of %s have errors (see their \"error\" field)%n", errors, input);
        return errors > 0 ? 1 : 0;
    }

    private interface Encoder {
        void encode(String text, Map<String, Object> row);
    }

    private Encoder encoder() {
        switch (tokenizer) {
            case "clip": {
                ClipTokenizer t = vocab == null ? ClipTokenizer.openClip() : ClipTokenizer.fromMergesFile(vocab);
                return (text, row) -> row.put("ids", t.encode(text));
            }
            case "clip-hf": {
                if (vocab == null) throw new IllegalArgumentException("--tokenizer clip-hf needs --vocab FOLDER (vocab.json + merges.txt or tokenizer.json)");
                ClipTokenizer t = ClipTokenizer.fromHuggingFaceFolder(vocab);
                return (text, row) -> row.put("ids", t.encode(text));
            }
            case "bert": {
                WordPieceTokenizer t = vocab == null ? WordPieceTokenizer.bundledBertBaseUncased()
                        : vocab.getFileName().toString().endsWith(".json") ? WordPieceTokenizer.fromTokenizerJson(vocab)
                        : WordPieceTokenizer.fromVocab(vocab);
                return (text, row) -> {
                    Encoding e = t.encode(text, maxLength);
                    row.put("ids", e.ids());
                    row.put("attention_mask", e.attentionMask());
                };
            }
            case "bpe": {
                if (vocab == null) throw new IllegalArgumentException("--tokenizer bpe needs --vocab (a tokenizer.json or the model folder that has one)");
                ByteLevelBpeTokenizer t = ByteLevelBpeTokenizer.fromFolder(vocab);
                return (text, row) -> {
                    int[] ids = t.encode(text); // no special tokens added, no padding
                    row.put("ids", ids);
                    if (decode) {
                        row.put("tokens", t.tokens(text));
                        row.put("decoded", t.decode(ids, false));
                        row.put("decoded_skip_special", t.decode(ids, true));
                    }
                };
            }
            default:
                throw new IllegalArgumentException("unknown --tokenizer '" + tokenizer + "': use clip, clip-hf, bert or bpe");
        }
    }

    private String text(String line, int number) {
        JsonElement e;
        try {
            e = JsonParser.parseString(line);
        } catch (RuntimeException ex) {
            throw new IllegalArgumentException(input + " line " + number + ": not JSON (" + ex.getMessage() + ")");
        }
        if (!e.isJsonObject() || !e.getAsJsonObject().has("text") || !e.getAsJsonObject().get("text").isJsonPrimitive())
            throw new IllegalArgumentException(input + " line " + number + ": expected {\"text\": ...}");
        return e.getAsJsonObject().get("text").getAsString();
    }
}

package dev.palate.bench;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.google.gson.JsonParser;
import dev.palate.tokenizers.bert.Encoding;
import dev.palate.tokenizers.bert.WordPieceTokenizer;
import dev.palate.tokenizers.bpe.ByteLevelBpeTokenizer;
import dev.palate.tokenizers.clip.ClipTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Tokenizer throughput on a set of text-to-image prompts (short, long, punctuation, non-Latin, HTML
 * entities), one text per invocation, cycling through the set. Counters: {@code texts} (texts/s) and
 * {@code tokens} (content tokens/s, specials excluded, before truncation). The CLIP BPE cache is warm after
 * the first pass, as it is when scoring a prompt set; {@code clipOpenClipColdCache} appends a word never
 * seen before to each prompt, so at least one word per text goes through the merge loop ({@code tokenIds},
 * no padding).
 *
 * <pre>
 * mvn -q -o -pl bench -am package -DskipTests
 * java -cp "bench/target/classes:bench/target/lib/*" org.openjdk.jmh.Main TokenizerBench -f 1 -wi 4 -w 3 -i 3 -r 3
 * </pre>
 * The JIT needs about 3 s to reach steady state here: a 1-second warm-up ({@code -wi 1 -w 1}) reports 10-30x
 * lower rates.
 *
 * <p>{@code qwenBpe*}: Palate's {@link ByteLevelBpeTokenizer} on the Qwen2 tokenizer.json (testdata/hpsv3/hpsv3-tiny)
 * beside the Rust Hugging Face tokenizers through DJL's JNI binding ({@code qwenBpe*Rust}, same file, same texts,
 * {@code add_special_tokens=False}, no truncation), one text per call: {@code p=instruction} is HPSv3's rendered
 * chat prompt of the first pair (the 2,523-character instruction with the chat template, the image placeholder and
 * the pair's prompt: 2,782 characters, 547 tokens), {@code p=longPrompt} the fixture's long prompt (1,263 characters,
 * 277 tokens). The Rust side's time includes DJL's JNI round trip and its {@code Encoding} (ids, types, tokens,
 * offsets, masks copied to Java); Palate's gives ids only. Both merge
 * caches are warm after the first call, as when one instruction is scored against many images. Run from the
 * repository root (or pass {@code -jvmArgsAppend -Dpalate.testdata=DIR}):
 * <pre>
 * bench/run 'TokenizerBench.qwenBpe' -f 1 -wi 3 -w 2 -i 3 -r 2
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class TokenizerBench {

    public static final List<String> PROMPTS = List.of(
            "a photo of a cat",
            "an astronaut riding a horse on mars, 4k, trending on artstation",
            "a painting of an ocean with clouds and birds, day time, low depth field effect",
            "Nativity scene in a vibrant stained glass art style, featuring Mary, Joseph, and Baby Jesus nestled in a "
                    + "radiant manger, beneath a luminous star of Bethlehem. The holy family is adorned in flowing robes of "
                    + "deep blues and rich reds, surrounded by shepherds and angels with golden halos.",
            "portrait of a young woman, highly detailed, digital painting, sharp focus, illustration, art by greg rutkowski and alphonse mucha",
            "A cozy cabin in the snowy mountains at dusk, warm light glowing from the windows, smoke from the chimney",
            "it's the dog's bone, isn't it? we'll see; they're here",
            "fish &amp; chips on a plate, studio lighting, 85mm, f/1.8",
            "close-up macro shot of a dew-covered spider web at sunrise, bokeh background",
            "一只可爱的猫咪坐在窗台上",
            "猫と犬の写真、油絵風",
            "Café naïve résumé über straße",
            "cyberpunk city street at night, neon signs, rain, reflections, blade runner style, ultra-wide angle",
            "emoji 🐱🐶🚀 party with balloons and confetti",
            "isometric 3D render of a tiny island with a lighthouse, low poly, pastel colors",
            "a bowl of ramen, top-down view, food photography, 1/250s, ISO 200");

    private final ClipTokenizer clip = ClipTokenizer.openClip();
    private final WordPieceTokenizer bert = WordPieceTokenizer.bundledBertBaseUncased();
    private int[] clipTokens;
    private int[] bertTokens;
    private int next;
    private long coldSerial;

    /** Per-iteration counters reported by JMH as rates. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counters {
        public long texts;
        public long tokens;

        @Setup(Level.Iteration)
        public void reset() {
            texts = 0;
            tokens = 0;
        }
    }

    @Setup
    public void setup() {
        clipTokens = PROMPTS.stream().mapToInt(clip::countTokens).toArray();
        bertTokens = PROMPTS.stream().mapToInt(p -> bert.tokenIds(p).length).toArray();
    }

    private int nextIndex() {
        int i = next;
        next = (i + 1) % PROMPTS.size();
        return i;
    }

    @Benchmark
    public int[] clipOpenClip(Counters c) {
        int i = nextIndex();
        c.texts++;
        c.tokens += clipTokens[i];
        return clip.encode(PROMPTS.get(i));
    }

    @Benchmark
    public int[] clipOpenClipColdCache(Counters c) {
        // one never-seen letters-only word per call, so its BPE merges run; the rest of the prompt is cached
        String text = PROMPTS.get(nextIndex()) + " " + freshWord(coldSerial++);
        int[] content = clip.tokenIds(text);
        c.texts++;
        c.tokens += content.length;
        return content;
    }

    /** "kwa", "kwb", ...: a distinct lowercase word for every serial number. */
    private static String freshWord(long serial) {
        StringBuilder w = new StringBuilder("kw");
        do {
            w.append((char) ('a' + (serial % 26)));
            serial /= 26;
        } while (serial > 0);
        return w.toString();
    }

    @Benchmark
    public Encoding bertWordPiece(Counters c) {
        int i = nextIndex();
        c.texts++;
        c.tokens += bertTokens[i];
        return bert.encode(PROMPTS.get(i), 35);
    }

    /** The two Qwen2 tokenizers and the two texts; the setup checks that both give the same ids. */
    @State(Scope.Benchmark)
    public static class Qwen {
        @org.openjdk.jmh.annotations.Param({"instruction", "longPrompt"})
        public String p;

        ByteLevelBpeTokenizer palate;
        HuggingFaceTokenizer rust;
        String text;
        int tokens;

        @Setup
        public void setup() throws IOException {
            Path testdata = Path.of(System.getProperty("palate.testdata", "testdata"));
            Path tokenizerJson = testdata.resolve("hpsv3/hpsv3-tiny/tokenizer.json");
            if (!Files.isRegularFile(tokenizerJson)) {
                throw new IllegalStateException(tokenizerJson.toAbsolutePath() + " is missing: run from the repository root or pass "
                        + "-jvmArgsAppend -Dpalate.testdata=DIR");
            }
            text = switch (p) {
                case "instruction" -> firstField(testdata.resolve("hpsv3/pairs.jsonl"), "rendered", 2000);
                case "longPrompt" -> firstField(testdata.resolve("hpsv3/qwen2_tokenizer_cases.jsonl"), "text", 1000);
                default -> throw new IllegalArgumentException("p=" + p + ": use instruction or longPrompt");
            };
            palate = ByteLevelBpeTokenizer.fromFolder(tokenizerJson);
            // DJL truncates to 512 tokens unless told not to
            rust = HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
            int[] ours = palate.encode(text);
            long[] theirs = rust.encode(text, false, false).getIds();
            if (!Arrays.equals(ours, Arrays.stream(theirs).mapToInt(Math::toIntExact).toArray())) {
                throw new IllegalStateException("Palate and the Rust tokenizers disagree on the " + p + " text");
            }
            tokens = ours.length;
            System.out.printf("%n%s: %d characters, %d tokens%n", p, text.length(), tokens);
        }

        @TearDown
        public void close() {
            rust.close();
        }

        /** The first row's {@code field} that is at least {@code minLength} characters long. */
        private static String firstField(Path jsonl, String field, int minLength) {
            try {
                for (String line : Files.readAllLines(jsonl, StandardCharsets.UTF_8)) {
                    if (line.isBlank()) {
                        continue;
                    }
                    String value = JsonParser.parseString(line).getAsJsonObject().get(field).getAsString();
                    if (value.length() >= minLength) {
                        return value;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            throw new IllegalStateException(jsonl + " has no " + field + " of " + minLength + "+ characters");
        }
    }

    @Benchmark
    public int[] qwenBpe(Qwen q, Counters c) {
        c.texts++;
        c.tokens += q.tokens;
        return q.palate.encode(q.text);
    }

    @Benchmark
    public long[] qwenBpeRust(Qwen q, Counters c) {
        c.texts++;
        c.tokens += q.tokens;
        return q.rust.encode(q.text, false, false).getIds();
    }
}

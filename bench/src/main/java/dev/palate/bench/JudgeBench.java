package dev.palate.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import dev.palate.engine.DType;
import dev.palate.engine.Device;
import dev.palate.models.ImageInput;
import dev.palate.models.ScoreResult;
import dev.palate.models.Scorer;
import dev.palate.models.ScorerOptions;
import dev.palate.models.ScorerRegistry;
import dev.palate.preprocess.DecodedImage;

/**
 * A generative judge end to end (processor, prefill, greedy decoding with the KV cache, parsing): samples/s (the
 * {@code samples} counter) at a batch of {@code batch} samples decoded together, each a 448×448 image (random
 * pixels) and one prompt, {@code newTokens} new tokens each. Point {@code model} (and {@code processor}) at a real
 * checkpoint folder for a GPU measurement; the defaults are the tiny fixture models, a CPU smoke test.
 *
 * <pre>
 * bench/run JudgeBench -p metric=unifiedreward-edit -p model=/models/UnifiedReward-Edit-qwen3vl-8b -p processor= \
 *     -p device=cuda -p dtype=bf16 -p batch=1,8 -p newTokens=256
 * bench/run JudgeBench -f 1 -wi 1 -i 2                       # CPU smoke on testdata's tiny Qwen3-VL
 * </pre>
 */
@State(org.openjdk.jmh.annotations.Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Dorg.bytedeco.javacpp.maxPhysicalBytes=0", "-Dorg.bytedeco.javacpp.maxBytes=0", "-Xmx4g"})
public class JudgeBench {
    @Param({"unifiedreward-edit"})
    public String metric;

    @Param({"testdata/qwen3vl-judge/model"})
    public String model;

    /** The tokenizer/processor folder when the model folder lacks them; empty for none. */
    @Param({"testdata/qwen3vl-judge/tokenizer"})
    public String processor;

    @Param({"1", "8"})
    public int batch;

    @Param({"24"})
    public int newTokens;

    @Param({"cpu"})
    public String device;

    @Param({"fp32"})
    public String dtype;

    private Scorer scorer;
    private List<ImageInput> images;
    private List<String> prompts;

    @State(org.openjdk.jmh.annotations.Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Samples {
        public long samples;
    }

    @Setup(Level.Trial)
    public void setUp() {
        ScorerOptions.Builder o = ScorerOptions.builder().model(model).device(Device.parse(device).requireAvailable())
                .dtype(DType.parse(dtype)).batchSize(batch).set("max-new-tokens", String.valueOf(newTokens));
        if (!processor.isEmpty()) o.model("processor", processor);
        scorer = ScorerRegistry.create(metric, o.build());
        Random rnd = new Random(7);
        byte[] px = new byte[448 * 448 * 3];
        rnd.nextBytes(px);
        images = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            ImageInput image = ImageInput.of(DecodedImage.ofRgb("random-" + i, 448, 448, px.clone()));
            image.attach("source", ImageInput.of(DecodedImage.ofRgb("source-" + i, 448, 448, px.clone())));
            images.add(image);
        }
        prompts = Collections.nCopies(batch, "Change the sky to a sunset orange and keep the people unchanged.");
    }

    @Benchmark
    public ScoreResult judge(Samples counter) {
        for (ImageInput i : images) i.forgetDecoded();
        ScoreResult r = scorer.score(prompts, images);
        counter.samples += batch;
        return r;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        scorer.close();
    }
}

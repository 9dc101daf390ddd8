package dev.palate.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
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
import dev.palate.engine.NativeRuntime;
import dev.palate.engine.NativeScope;
import dev.palate.engine.Tensors;
import dev.palate.models.blip.ImageRewardConfig;
import dev.palate.models.blip.ImageRewardModel;
import dev.palate.models.blip.RandomImageRewardWeights;

/**
 * ImageReward rewards per second (image tower + MED text encoder + head, preprocessed pixels and token ids given),
 * one batch per invocation, the {@code rewards} counter adding the batch size.
 *
 * <pre>
 * # CPU smoke, ViT-B/16-sized tower + BERT-base text, random weights:
 * java -cp "bench/target/classes:bench/target/lib/*" org.openjdk.jmh.Main ImageRewardBench -f 1 -wi 1 -i 2
 * # full size (ViT-L/16 + BERT-base) on CUDA in half precision:
 * java ... org.openjdk.jmh.Main ImageRewardBench -p size=vit-l -p device=cuda -p dtype=fp16,bf16 -p batch=1,8,32
 * # a real checkpoint folder instead of random weights:
 * java ... org.openjdk.jmh.Main ImageRewardBench -p model=/models/ImageReward -p device=cuda -p dtype=fp16
 * </pre>
 * Random weights are written once to {@code $TMPDIR/palate-bench-imagereward-SIZE-DTYPE} and reused.
 */
@State(org.openjdk.jmh.annotations.Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Dorg.bytedeco.javacpp.maxPhysicalBytes=0", "-Dorg.bytedeco.javacpp.maxBytes=0",
        "-Xmx4g"})
public class ImageRewardBench {
    private static final int TEXT_LENGTH = 35;

    /** {@code vit-b} (ViT-B/16 tower, BERT-base text) or {@code vit-l} (the real ViT-L/16 + BERT-base sizes). */
    @Param({"vit-b"})
    public String size;

    @Param({"1", "8", "32"})
    public int batch;

    @Param({"cpu"})
    public String device;

    @Param({"fp32"})
    public String dtype;

    /** A real ImageReward folder or file; empty = random weights of {@link #size}. */
    @Param({""})
    public String model;

    /** Native threads on the CPU, every pool (NativeRuntime.setThreads: libtorch intra-op and OpenBLAS); 0 = the default. */
    @Param({"0"})
    public int threads;

    private ImageRewardModel reward;
    private Tensor pixels;
    private Tensor ids;
    private Tensor mask;
    private boolean cuda;

    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(org.openjdk.jmh.annotations.Scope.Thread)
    public static class Counters {
        /** Rewards computed (images scored). */
        public long rewards;
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        if (threads > 0) NativeRuntime.setThreads(threads); // libtorch intra-op and OpenBLAS
        Device dev = Device.parse(device);
        DType dt = DType.parse(dtype);
        cuda = dev.isCuda();
        Path folder = model.isEmpty() ? randomFolder(dt) : Path.of(model);
        reward = ImageRewardModel.load(folder, dev, dt);
        int s = reward.imageSize();
        Random rnd = new Random(7);
        float[] px = new float[batch * 3 * s * s];
        for (int i = 0; i < px.length; i++) px[i] = (float) rnd.nextGaussian();
        long[] tok = new long[batch * TEXT_LENGTH];
        long[] att = new long[batch * TEXT_LENGTH];
        for (int b = 0; b < batch; b++) {
            int len = 12 + rnd.nextInt(20); // [CLS] words… [SEP], then padding
            for (int j = 0; j < len; j++) {
                tok[b * TEXT_LENGTH + j] = j == 0 ? 101 : j == len - 1 ? 102 : 1000 + rnd.nextInt(28000);
                att[b * TEXT_LENGTH + j] = 1;
            }
        }
        // Kept for the whole trial, outside any scope.
        pixels = Tensors.fromFloats(px, batch, 3, s, s);
        ids = Tensors.fromLongs(tok, batch, TEXT_LENGTH);
        mask = Tensors.fromLongs(att, batch, TEXT_LENGTH);
    }

    private Path randomFolder(DType dt) {
        ImageRewardConfig config = switch (size) {
            case "vit-b" -> RandomImageRewardWeights.vitBase();
            case "vit-l" -> new ImageRewardConfig(ImageRewardConfig.v1().vision(), ImageRewardConfig.v1().text(), true);
            default -> throw new IllegalArgumentException("size must be vit-b or vit-l, got " + size);
        };
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "palate-bench-imagereward-" + size + "-" + dt.label());
        if (Files.isRegularFile(dir.resolve("model.safetensors"))) return dir;
        return RandomImageRewardWeights.writeFolder(dir, config, dt, 1234);
    }

    @Benchmark
    public float rewards(Counters counters) {
        try (NativeScope s = NativeScope.open()) {
            // toFloats copies to the host, so a CUDA batch has finished when it returns
            float[] r = Tensors.toFloats(reward.forward(pixels, ids, mask).reward());
            counters.rewards += batch;
            return r[0];
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (cuda) torch.cuda_synchronize();
        pixels.close();
        ids.close();
        mask.close();
        reward.close();
    }
}

package dev.palate.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
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
import dev.palate.engine.nn.Activation;
import dev.palate.models.hpsv3.Hpsv3RewardModel;
import dev.palate.models.qwen2vl.Qwen2VlConfig;
import dev.palate.models.qwen2vl.RandomQwen2VlWeights;

/**
 * HPSv3 rewards/s (the {@code images} counter): vision tower, decoder and head on a batch of pairs shaped as HPSv3
 * sees them (a 448×448 image = 1024 patches = 256 image tokens, inside a ~800-token prompt), random weights generated
 * in memory. {@code size=7b} is the real Qwen2-VL-7B architecture (about 16 GB in bf16: a GPU run);
 * {@code size=tiny} the fixture's sizes, a CPU smoke test.
 *
 * <pre>
 * bench/run Hpsv3Bench -p size=7b -p device=cuda -p dtype=bf16 -p batch=1,8,16     # on a GPU build
 * bench/run Hpsv3Bench -p size=tiny -f 1 -wi 1 -i 2                                 # CPU smoke
 * </pre>
 */
@State(org.openjdk.jmh.annotations.Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Dorg.bytedeco.javacpp.maxPhysicalBytes=0", "-Dorg.bytedeco.javacpp.maxBytes=0", "-Xmx2g"})
public class Hpsv3Bench {
    private static final int REWARD_ID = 151657, PROMPT_TOKENS = 800, GRID = 32; // 32×32 patches = 448²

    @Param({"tiny"})
    public String size;

    @Param({"1", "8", "16"})
    public int batch;

    @Param({"cpu"})
    public String device;

    @Param({"fp32"})
    public String dtype;

    /** Native threads on the CPU, every pool (NativeRuntime.setThreads: libtorch intra-op and OpenBLAS); 0 = the default. */
    @Param({"0"})
    public int threads;

    private Hpsv3RewardModel model;
    private long[][] ids;
    private int[] lengths;
    private Tensor pixels;
    private List<int[]> grids;
    private boolean cuda;

    static Qwen2VlConfig config(String size) {
        switch (size) {
            case "7b": return RandomQwen2VlWeights.qwen2Vl7b();
            case "tiny": return new Qwen2VlConfig(new Qwen2VlConfig.Text(151658, 16, 2, 2, 1, 48, 1e-6, 1e6, new int[] {1, 1, 2}),
                    new Qwen2VlConfig.Vision(2, 64, 4, 4, Activation.QUICK_GELU, 16, 3, 14, 2, 2, 10000.0), 151655, 151652);
            default: throw new IllegalArgumentException("size must be 7b or tiny, got " + size);
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        if (threads > 0) NativeRuntime.setThreads(threads); // libtorch intra-op and OpenBLAS
        Device dev = Device.parse(device).requireAvailable();
        cuda = dev.isCuda();
        Qwen2VlConfig c = config(size);
        model = Hpsv3RewardModel.random(c, 1234, dev, DType.parse(dtype));
        int imageTokens = GRID * GRID / 4, l = PROMPT_TOKENS + imageTokens;
        Random rnd = new Random(7);
        ids = new long[batch][l];
        lengths = new int[batch];
        grids = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < l; i++) ids[b][i] = rnd.nextInt(150000);
            for (int i = 0; i < imageTokens; i++) ids[b][20 + i] = c.imageTokenId();
            ids[b][l - 5] = REWARD_ID;
            lengths[b] = l;
            grids.add(new int[] {1, GRID, GRID});
        }
        float[] px = new float[batch * GRID * GRID * c.vision().patchDim()];
        for (int i = 0; i < px.length; i++) px[i] = (float) rnd.nextGaussian();
        Tensor host = Tensors.fromFloats(px, (long) batch * GRID * GRID, c.vision().patchDim());
        try (org.bytedeco.pytorch.Device d = dev.toTorch()) {
            pixels = host.to(d, DType.F32.scalarType()); // kept for the trial, outside any scope
        }
        host.close();
    }

    @Benchmark
    public float rewards(ImageCounter counters) {
        try (NativeScope s = NativeScope.open()) {
            // copying the logits to the host waits for CUDA
            float[] logits = Tensors.toFloats(model.forward(ids, lengths, pixels, grids, REWARD_ID, Hpsv3RewardModel.Positions.OFFICIAL, false).logits());
            counters.images += batch;
            return logits[0];
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (cuda) torch.cuda_synchronize();
        pixels.close();
        model.close();
    }
}

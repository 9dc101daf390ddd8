package dev.palate.bench;

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
import dev.palate.models.qwen2vl.Qwen2VlLayerBenchmarks;
import dev.palate.models.qwen2vl.RandomQwen2VlWeights;

/**
 * One HPSv3 (Qwen2-VL-7B) layer at the real sizes, random weights: a Qwen2 decoder layer (hidden 3584, 28/4 heads,
 * SwiGLU 18944, causal, M-RoPE) or a vision block (1280 wide, 16 heads, QuickGELU MLP 5120), over a
 * {@code tokens}-long sequence (one prompt, batch 1; one image for the vision block). The {@code tokens} counter
 * gives tokens/s. {@code bench/compare/qwen2vl-layers.sh} runs transformers' own modules beside it.
 *
 * <pre>
 * bench/run Qwen2VlLayerBench -p layer=decoder,vision -p dtype=fp32,bf16 -p tokens=1100 -f 1 -wi 1 -i 3
 * </pre>
 */
@State(org.openjdk.jmh.annotations.Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Dorg.bytedeco.javacpp.maxPhysicalBytes=0", "-Dorg.bytedeco.javacpp.maxBytes=0", "-Xmx2g"})
public class Qwen2VlLayerBench {

    /** {@code decoder} or {@code vision}. */
    @Param({"decoder", "vision"})
    public String layer;

    /** Sequence length (the vision block needs a multiple of 4: a grid with even sides). */
    @Param({"1100"})
    public int tokens;

    @Param({"cpu"})
    public String device;

    @Param({"fp32", "bf16"})
    public String dtype;

    /** Native threads on the CPU, every pool (NativeRuntime.setThreads: libtorch intra-op and OpenBLAS); 0 = the default. */
    @Param({"0"})
    public int threads;

    private Qwen2VlLayerBenchmarks module;
    private Tensor input;
    private boolean cuda;

    @State(org.openjdk.jmh.annotations.Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Tokens {
        public long tokens;
    }

    @Setup(Level.Trial)
    public void setUp() {
        if (threads > 0) NativeRuntime.setThreads(threads); // libtorch intra-op and OpenBLAS
        Device dev = Device.parse(device).requireAvailable();
        DType dt = DType.parse(dtype);
        cuda = dev.isCuda();
        module = layer.equals("vision")
                ? Qwen2VlLayerBenchmarks.visionBlock(RandomQwen2VlWeights.qwen2Vl7b(), dev, dt, 1234)
                : Qwen2VlLayerBenchmarks.decoderLayer(RandomQwen2VlWeights.qwen2Vl7b(), dev, dt, 1234);
        input = module.input(1, tokens, dev); // kept for the trial, outside any scope
    }

    @Benchmark
    public float forward(Tokens counter) {
        try (NativeScope s = NativeScope.open()) {
            float r = module.forward(input).select(-1, 0).sum().item_float(); // item() waits for CUDA
            counter.tokens += tokens;
            return r;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (cuda) torch.cuda_synchronize();
        input.close();
        module.close();
    }
}

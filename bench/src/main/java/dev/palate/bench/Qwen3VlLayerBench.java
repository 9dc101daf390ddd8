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
import dev.palate.engine.nn.KvCache;
import dev.palate.models.qwen3vl.Qwen3VlLayerBenchmarks;

/**
 * One UnifiedReward-Edit (Qwen3-VL-8B) decoder layer at the real sizes, random weights: {@code prefill} runs a
 * {@code context}-token prompt into an empty KV cache; {@code decode} runs one new token per row against a cache
 * holding {@code context} tokens (the cache is rewound after each step, so every step sees the same length). The
 * {@code tokens} counter gives tokens/s. {@code bench/compare/qwen3vl-layer.sh} runs transformers' layer beside it.
 *
 * <pre>
 * bench/run Qwen3VlLayerBench -p dtype=bf16 -p context=1024 -p batch=1 -f 1 -wi 1 -i 3
 * </pre>
 */
@State(org.openjdk.jmh.annotations.Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Dorg.bytedeco.javacpp.maxPhysicalBytes=0", "-Dorg.bytedeco.javacpp.maxBytes=0", "-Xmx2g"})
public class Qwen3VlLayerBench {

    @Param({"1024"})
    public int context;

    /** Rows decoded together (decode only; prefill runs one prompt). */
    @Param({"1"})
    public int batch;

    @Param({"cpu"})
    public String device;

    @Param({"bf16"})
    public String dtype;

    /** Native threads on the CPU, every pool (NativeRuntime.setThreads: libtorch intra-op and OpenBLAS); 0 = the default. */
    @Param({"0"})
    public int threads;

    private Qwen3VlLayerBenchmarks layer;
    private Tensor prompt, token;
    private KvCache prefillCache, decodeCache;
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
        cuda = dev.isCuda();
        layer = new Qwen3VlLayerBenchmarks(Qwen3VlLayerBenchmarks.qwen3Vl8b(), dev, DType.parse(dtype), 1234);
        prompt = layer.input(1, context);
        token = layer.input(batch, 1);
        prefillCache = layer.newCache(1, context);
        decodeCache = layer.newCache(batch, context + 1);
        try (NativeScope s = NativeScope.open()) {
            layer.forward(layer.input(batch, context), decodeCache); // fill the context once
        }
    }

    @Benchmark
    public float prefill(Tokens counter) {
        try (NativeScope s = NativeScope.open()) {
            prefillCache.rewind(0);
            float r = layer.forward(prompt, prefillCache).select(-1, 0).sum().item_float(); // item() waits for CUDA
            counter.tokens += context;
            return r;
        }
    }

    @Benchmark
    public float decode(Tokens counter) {
        try (NativeScope s = NativeScope.open()) {
            decodeCache.rewind(context);
            float r = layer.forward(token, decodeCache).select(-1, 0).sum().item_float();
            counter.tokens += batch;
            return r;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (cuda) torch.cuda_synchronize();
        prefillCache.close();
        decodeCache.close();
        layer.close();
    }
}

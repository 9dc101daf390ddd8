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
import dev.palate.models.qwen35.Qwen35LayerBenchmarks;
import dev.palate.models.qwen35.Qwen35Model;

/**
 * One Qwen3.5-9B token mixer (UnifiedReward 2.0's sizes), random weights: {@code mixer=deltanet} (gated delta-net,
 * chunked rule for the prompt, recurrent rule for a step) or {@code attention} (gated full attention, 16/4 heads ×
 * 256, partial rotary). {@code prefill} runs a {@code context}-token prompt into an empty state; {@code decode} one
 * token against the state after {@code context} tokens. The {@code tokens} counter gives tokens/s;
 * {@code bench/compare/qwen35-layers.sh} runs transformers' modules (torch fallbacks) beside it.
 *
 * <pre>
 * bench/run Qwen35LayerBench -p mixer=deltanet,attention -p dtype=bf16 -p context=1024 -f 1 -wi 1 -i 3
 * </pre>
 */
@State(org.openjdk.jmh.annotations.Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Dorg.bytedeco.javacpp.maxPhysicalBytes=0", "-Dorg.bytedeco.javacpp.maxBytes=0", "-Xmx2g"})
public class Qwen35LayerBench {
    @Param({"deltanet", "attention"})
    public String mixer;

    @Param({"1024"})
    public int context;

    @Param({"cpu"})
    public String device;

    @Param({"bf16"})
    public String dtype;

    /** Native threads on the CPU, every pool (NativeRuntime.setThreads: libtorch intra-op and OpenBLAS); 0 = the default. */
    @Param({"0"})
    public int threads;

    private Qwen35LayerBenchmarks layer;
    private Tensor prompt, token;
    private Qwen35Model.State decodeState;
    private Tensor[] saved;
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
        layer = new Qwen35LayerBenchmarks(Qwen35LayerBenchmarks.qwen35_9b(), mixer.equals("deltanet"), dev, DType.parse(dtype), 1234);
        prompt = layer.input(1, context);
        token = layer.input(1, 1);
        decodeState = layer.newState(1, context + 1);
        try (NativeScope s = NativeScope.open()) {
            layer.forward(prompt, decodeState);
        }
        saved = layer.snapshot(decodeState);
    }

    @Benchmark
    public float prefill(Tokens counter) {
        try (NativeScope s = NativeScope.open(); Qwen35Model.State state = layer.newState(1, context)) {
            float r = layer.forward(prompt, state).select(-1, 0).sum().item_float(); // item() waits for CUDA
            counter.tokens += context;
            return r;
        }
    }

    @Benchmark
    public float decode(Tokens counter) {
        try (NativeScope s = NativeScope.open()) {
            layer.rewind(decodeState, context, saved);
            float r = layer.forward(token, decodeState).select(-1, 0).sum().item_float();
            counter.tokens += 1;
            return r;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (cuda) torch.cuda_synchronize();
        decodeState.close();
        layer.close();
    }
}

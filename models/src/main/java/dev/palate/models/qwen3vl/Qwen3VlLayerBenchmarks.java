package dev.palate.models.qwen3vl;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

import dev.palate.engine.DType;
import dev.palate.engine.Device;
import dev.palate.engine.Tensors;
import dev.palate.engine.nn.KvCache;
import dev.palate.engine.nn.RotaryEmbedding;
import dev.palate.engine.weights.ScopedWeights;

/**
 * One Qwen3-VL decoder layer of any size with random weights (N(0, 0.02²) matrices, unit norms), for the prefill and
 * decode benchmarks (JMH {@code Qwen3VlLayerBench}, {@code bench/compare/qwen3vl-layer.sh}). The layer runs with a
 * {@link KvCache} as in generation. Closing frees the weights.
 */
public final class Qwen3VlLayerBenchmarks implements AutoCloseable {
    private final Qwen3VlConfig.Text config;
    private final DType dtype;
    private final Device device;
    private final List<Tensor> owned = new ArrayList<>();
    private final Qwen3VlTextLayer layer;

    /** UnifiedReward-Edit's Qwen3-VL-8B decoder sizes: hidden 4096, 32/8 heads × 128, SwiGLU 12288. */
    public static Qwen3VlConfig.Text qwen3Vl8b() {
        return new Qwen3VlConfig.Text(151936, 4096, 36, 32, 8, 128, 12288, 1e-6, 5e6, new int[] {24, 20, 20}, false);
    }

    public Qwen3VlLayerBenchmarks(Qwen3VlConfig.Text config, Device device, DType dtype, long seed) {
        this.config = config;
        this.dtype = dtype;
        this.device = device;
        torch.manual_seed(seed);
        long w = config.hiddenSize(), q = (long) config.heads() * config.headDim(), kv = (long) config.kvHeads() * config.headDim();
        try (PointerScope scope = new PointerScope()) {
            ScopedWeights weights = new ScopedWeights(key -> {
                long[] shape = switch (key.substring(key.lastIndexOf('.', key.length() - 8) + 1)) {
                    case "q_proj.weight" -> new long[] {q, w};
                    case "k_proj.weight", "v_proj.weight" -> new long[] {kv, w};
                    case "o_proj.weight" -> new long[] {w, q};
                    case "gate_proj.weight", "up_proj.weight" -> new long[] {config.intermediateSize(), w};
                    case "down_proj.weight" -> new long[] {w, config.intermediateSize()};
                    case "q_norm.weight", "k_norm.weight" -> new long[] {config.headDim()};
                    default -> new long[] {w};
                };
                try (TensorOptions o = new TensorOptions(DType.F32.scalarType())) {
                    return shape.length == 1 ? torch.ones(shape, o) : torch.randn(shape, o).mul(new Scalar(0.02));
                }
            }, device.requireAvailable(), dtype, owned, new HashSet<>());
            layer = new Qwen3VlTextLayer(weights, config, 0);
        }
    }

    /** A cache for one layer: {@code batch} rows, {@code capacity} positions. */
    public KvCache newCache(int batch, int capacity) {
        return new KvCache(1, batch, config.kvHeads(), capacity, config.headDim(), dtype, device);
    }

    /** Random hidden states [B, T, W] on the device, in the layer's dtype. */
    public Tensor input(int batch, int tokens) {
        try (TensorOptions o = new TensorOptions(DType.F32.scalarType())) {
            return torch.randn(new long[] {batch, tokens, config.hiddenSize()}, o).to(device.toTorch(), dtype.scalarType());
        }
    }

    /**
     * x [B, T, W] at positions {@code start … start+T−1} (text positions on all three M-RoPE streams): a prefill
     * when the cache is empty (causal), a decoding step otherwise; the cache grows by T. Caller's scope.
     */
    public Tensor forward(Tensor x, KvCache cache) {
        int b = (int) x.size(0), t = (int) x.size(1), start = cache.length();
        long[] pos = new long[3 * b * t];
        for (int i = 0; i < pos.length; i++) pos[i] = start + i % t;
        Tensor p = Tensors.fromLongs(pos, 3, b, t).to(x.device(), DType.I64.scalarType());
        RotaryEmbedding.CosSin cs = RotaryEmbedding.mrope(RotaryEmbedding.inverseFrequencies(config.ropeTheta(), config.headDim()),
                p, config.mropeSection(), RotaryEmbedding.MropeLayout.INTERLEAVED, dtype);
        Tensor out = layer.forward(x, cs.cos(), cs.sin(), null, cache);
        cache.advance(t);
        return out;
    }

    @Override
    public void close() {
        for (Tensor t : owned) t.releaseReference();
        owned.clear();
    }
}

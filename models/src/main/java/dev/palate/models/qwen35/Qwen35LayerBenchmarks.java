package dev.palate.models.qwen35;

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
import dev.palate.engine.nn.LinearAttentionCache;
import dev.palate.engine.nn.RotaryEmbedding;
import dev.palate.engine.weights.ScopedWeights;

/**
 * One Qwen3.5 token mixer of any size with random weights, for the prefill and decode benchmarks (JMH
 * {@code Qwen35LayerBench}, {@code bench/compare/qwen35-layers.sh}): the gated delta-net (with its conv and recurrent
 * state) or the gated full attention (with a KV cache). Closing frees the weights.
 */
public final class Qwen35LayerBenchmarks implements AutoCloseable {
    private final Qwen35Config.Text config;
    private final DType dtype;
    private final Device device;
    private final List<Tensor> owned = new ArrayList<>();
    private final Qwen35GatedDeltaNet deltaNet;
    private final Qwen35Attention attention;

    /** UnifiedReward 2.0's Qwen3.5-9B text sizes: hidden 4096; delta-net 16 key × 128, 32 value × 128; attention 16/4 × 256. */
    public static Qwen35Config.Text qwen35_9b() {
        boolean[] linear = new boolean[32];
        for (int i = 0; i < 32; i++) linear[i] = (i + 1) % 4 != 0;
        return new Qwen35Config.Text(248320, 4096, linear, 16, 4, 256, 12288, 1e-6, 1e7, 64, new int[] {11, 11, 10}, false,
                16, 32, 128, 128, 4);
    }

    public Qwen35LayerBenchmarks(Qwen35Config.Text c, boolean linear, Device device, DType dtype, long seed) {
        this.config = c;
        this.dtype = dtype;
        this.device = device;
        torch.manual_seed(seed);
        long w = c.hiddenSize(), kd = (long) c.linearKeyHeads() * c.linearKeyDim(), vd = (long) c.linearValueHeads() * c.linearValueDim();
        long q = (long) c.heads() * c.headDim(), kv = (long) c.kvHeads() * c.headDim();
        try (PointerScope scope = new PointerScope()) {
            ScopedWeights weights = new ScopedWeights(key -> {
                long[] shape = switch (key) {
                    case "in_proj_qkv.weight" -> new long[] {2 * kd + vd, w};
                    case "in_proj_z.weight" -> new long[] {vd, w};
                    case "in_proj_b.weight", "in_proj_a.weight" -> new long[] {c.linearValueHeads(), w};
                    case "out_proj.weight" -> new long[] {w, vd};
                    case "conv1d.weight" -> new long[] {2 * kd + vd, 1, c.convKernel()};
                    case "A_log", "dt_bias" -> new long[] {c.linearValueHeads()};
                    case "norm.weight" -> new long[] {c.linearValueDim()};
                    case "q_proj.weight" -> new long[] {2 * q, w};
                    case "k_proj.weight", "v_proj.weight" -> new long[] {kv, w};
                    case "o_proj.weight" -> new long[] {w, q};
                    case "q_norm.weight", "k_norm.weight" -> new long[] {c.headDim()};
                    default -> throw new IllegalArgumentException(key);
                };
                try (TensorOptions o = new TensorOptions(DType.F32.scalarType())) {
                    if (shape.length == 1) return key.equals("norm.weight") ? torch.ones(shape, o) : torch.zeros(shape, o);
                    return torch.randn(shape, o).mul(new Scalar(0.02));
                }
            }, device.requireAvailable(), dtype, owned, new HashSet<>());
            deltaNet = linear ? new Qwen35GatedDeltaNet(weights, c, 0) : null;
            attention = linear ? null : new Qwen35Attention(weights, c, 0);
        }
    }

    /** The decoding state: a KV cache for the attention mixer, the delta-net's states otherwise. */
    public Qwen35Model.State newState(int batch, int capacity) {
        return new Qwen35Model.State(new KvCache(1, batch, config.kvHeads(), capacity, config.headDim(), dtype, device), new LinearAttentionCache(1));
    }

    public Tensor input(int batch, int tokens) {
        try (TensorOptions o = new TensorOptions(DType.F32.scalarType())) {
            return torch.randn(new long[] {batch, tokens, config.hiddenSize()}, o).to(device.toTorch(), dtype.scalarType());
        }
    }

    /** x [B, T, W] through the mixer with the state (a prompt when the state is empty, a step otherwise). */
    public Tensor forward(Tensor x, Qwen35Model.State state) {
        if (deltaNet != null) return deltaNet.forward(x, null, state.linear);
        int b = (int) x.size(0), t = (int) x.size(1), start = state.attention.length();
        long[] pos = new long[3 * b * t];
        for (int i = 0; i < pos.length; i++) pos[i] = start + i % t;
        RotaryEmbedding.CosSin cs = RotaryEmbedding.mrope(RotaryEmbedding.inverseFrequencies(config.ropeTheta(), config.rotaryDim()),
                Tensors.fromLongs(pos, 3, b, t).to(x.device(), DType.I64.scalarType()), config.mropeSection(), RotaryEmbedding.MropeLayout.INTERLEAVED, dtype);
        Tensor out = attention.forward(x, cs.cos(), cs.sin(), null, state.attention);
        state.attention.advance(t);
        return out;
    }

    /** Back to the state after {@code context} tokens (attention: rewinds the cache; delta-net: restores the saved states). */
    public void rewind(Qwen35Model.State state, int context, Tensor[] saved) {
        if (deltaNet == null) state.attention.rewind(context);
        else state.linear.update(0, saved[0], saved[1]);
    }

    /** The delta-net's current states (to restore with {@link #rewind}); null for the attention mixer. */
    public Tensor[] snapshot(Qwen35Model.State state) {
        if (deltaNet == null) return null;
        return new Tensor[] {state.linear.conv(0).clone().retainReference(), state.linear.recurrent(0).clone().retainReference()};
    }

    @Override
    public void close() {
        for (Tensor t : owned) t.releaseReference();
        owned.clear();
    }
}

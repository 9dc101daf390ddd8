package dev.palate.models.qwen2vl;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

import dev.palate.engine.DType;
import dev.palate.engine.Device;
import dev.palate.engine.Tensors;
import dev.palate.engine.nn.RotaryEmbedding;
import dev.palate.engine.weights.ScopedWeights;

/**
 * One decoder layer or one vision block of any Qwen2-VL size with random weights, for the layer benchmarks (JMH
 * {@code Qwen2VlLayerBench} and the side-by-side script against transformers' modules). Closing frees the weights.
 */
public final class Qwen2VlLayerBenchmarks implements AutoCloseable {
    private final Qwen2VlConfig config;
    private final List<Tensor> owned = new ArrayList<>();
    private final Qwen2DecoderLayer decoder;
    private final dev.palate.engine.nn.VisionBlock block;
    private final DType dtype;

    private Qwen2VlLayerBenchmarks(Qwen2VlConfig config, Device device, DType dtype, long seed, boolean vision) {
        this.config = config;
        this.dtype = dtype;
        try (PointerScope scope = new PointerScope()) {
            ScopedWeights w = new ScopedWeights(RandomQwen2VlWeights.source(config, seed), device, dtype, owned, new HashSet<>());
            decoder = vision ? null : new Qwen2DecoderLayer(w.at("model").at("layers").at(0), config.text());
            block = vision ? Qwen2VlVision.block(w.at("visual").at("blocks").at(0), config.vision()) : null;
        }
    }

    public static Qwen2VlLayerBenchmarks decoderLayer(Qwen2VlConfig c, Device d, DType t, long seed) {
        return new Qwen2VlLayerBenchmarks(c, d, t, seed, false);
    }

    public static Qwen2VlLayerBenchmarks visionBlock(Qwen2VlConfig c, Device d, DType t, long seed) {
        return new Qwen2VlLayerBenchmarks(c, d, t, seed, true);
    }

    /** A random input: [B, L, W] for the decoder layer, [L, E] (one image of L patches) for the vision block. */
    public Tensor input(int batch, int length, Device device) {
        long width = block != null ? config.vision().embedDim() : config.text().hiddenSize();
        long[] shape = block != null ? new long[] {length, width} : new long[] {batch, length, width};
        try (org.bytedeco.pytorch.TensorOptions o = new org.bytedeco.pytorch.TensorOptions(DType.F32.scalarType())) {
            return org.bytedeco.pytorch.global.torch.randn(shape, o).to(device.toTorch(), dtype.scalarType());
        }
    }

    /** One forward in the caller's scope: causal decoder layer with 1-D positions, or a vision block over one image. */
    public Tensor forward(Tensor x) {
        if (block != null) {
            int n = (int) x.size(0);
            List<int[]> grid = List.of(new int[] {1, rows(n), n / rows(n)});
            Tensor rowCol = Tensors.fromLongs(dev.palate.engine.nn.VisionGrid.rowColumns(grid, config.vision().spatialMergeSize()), n, 2).to(x.device(), DType.I64.scalarType());
            RotaryEmbedding.CosSin cs = RotaryEmbedding.vision(RotaryEmbedding.inverseFrequencies(config.vision().ropeTheta(), config.vision().headDim() / 2), rowCol);
            return block.forward(x, cs.cos(), cs.sin(), List.of((long) n));
        }
        int b = (int) x.size(0), l = (int) x.size(1);
        Tensor pos = Tensors.fromLongs(MropePositions.sequential(b, l), 3, b, l).to(x.device(), DType.I64.scalarType());
        RotaryEmbedding.CosSin cs = RotaryEmbedding.mrope(RotaryEmbedding.inverseFrequencies(config.text().ropeTheta(), config.text().headDim()),
                pos, config.text().mropeSection(), RotaryEmbedding.MropeLayout.CONTIGUOUS, dtype);
        return decoder.forward(x, cs.cos(), cs.sin(), null);
    }

    /** Rows of a near-square grid of n patches whose sides are both even (2×2 merge windows). */
    private static int rows(int n) {
        for (int h = (int) Math.sqrt(n); h >= 2; h--)
            if (n % h == 0 && h % 2 == 0 && (n / h) % 2 == 0) return h;
        throw new IllegalArgumentException(n + " patches do not form a grid with even sides; use a multiple of 4");
    }

    @Override
    public void close() {
        for (Tensor t : owned) t.releaseReference();
        owned.clear();
    }
}

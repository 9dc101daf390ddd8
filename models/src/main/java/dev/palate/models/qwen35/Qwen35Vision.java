package dev.palate.models.qwen35;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import dev.palate.engine.nn.CpuReducedPrecision;
import dev.palate.engine.DType;
import dev.palate.engine.Tensors;
import dev.palate.engine.nn.LayerNorm;
import dev.palate.engine.nn.Linear;
import dev.palate.engine.nn.RotaryEmbedding;
import dev.palate.engine.nn.VisionBlock;
import dev.palate.engine.nn.VisionGrid;
import dev.palate.engine.weights.ScopedWeights;

/**
 * The Qwen3.5 vision tower (modeling_qwen3_5.py {@code Qwen3_5VisionModel}): Qwen3-VL's without deepstack — patch
 * embedding with bias, the learned position grid resampled bilinearly (align_corners=True), 2-D rotary, the blocks,
 * the merger.
 */
final class Qwen35Vision {
    private final Qwen35Config.Vision config;
    private final Tensor patchWeight, patchBias, posEmbed;
    private final List<VisionBlock> blocks = new ArrayList<>();
    private final Qwen35PatchMerger merger;

    Qwen35Vision(ScopedWeights w, Qwen35Config.Vision c) {
        this.config = c;
        patchWeight = w.get("patch_embed.proj.weight");
        patchBias = w.get("patch_embed.proj.bias");
        posEmbed = w.get("pos_embed.weight");
        for (int i = 0; i < c.depth(); i++) blocks.add(block(w.at("blocks").at(i), c));
        merger = new Qwen35PatchMerger(w.at("merger"), c, false);
    }

    /** pixelValues [N, C·T·P·P] → merged image features [N / merge², H]. */
    Tensor forward(Tensor pixelValues, List<int[]> grids) {
        List<Long> sizes = new ArrayList<>();
        long total = 0;
        for (int[] g : grids) { long n = (long) g[0] * g[1] * g[2]; sizes.add(n); total += n; }
        if (total != pixelValues.size(0))
            throw new IllegalArgumentException("pixel_values has " + pixelValues.size(0) + " rows but the grids describe " + total + " patches");
        org.bytedeco.pytorch.Device dev = patchWeight.device();
        torch.ScalarType dt = patchWeight.scalar_type();
        Tensor x = CpuReducedPrecision.linear(pixelValues.to(dev, dt), patchWeight.view(config.hiddenSize(), config.patchDim()), patchBias);
        VisionGrid.Taps taps = VisionGrid.bilinearTaps(grids, config.gridSide(), config.spatialMergeSize());
        Tensor idx = Tensors.fromLongs(taps.indices(), total, 4).to(dev, DType.I64.scalarType());
        Tensor wts = Tensors.fromFloats(taps.weights(), total, 4).to(dev, DType.F32.scalarType());
        Tensor pos = torch.embedding(posEmbed, idx).mul(wts.unsqueeze(-1)).sum(new long[] {1}, false, new org.bytedeco.pytorch.ScalarTypeOptional());
        x = x.add(pos.to(dt));
        Tensor rowCol = Tensors.fromLongs(VisionGrid.rowColumns(grids, config.spatialMergeSize()), total, 2).to(dev, DType.I64.scalarType());
        RotaryEmbedding.CosSin cs = RotaryEmbedding.vision(RotaryEmbedding.inverseFrequencies(config.ropeTheta(), config.headDim() / 2), rowCol);
        for (VisionBlock b : blocks) x = b.forward(x, cs.cos(), cs.sin(), sizes);
        return merger.apply(x);
    }

    /** One block in this checkpoint's names (LayerNorm eps 1e-6). */
    static VisionBlock block(ScopedWeights w, Qwen35Config.Vision c) {
        return new VisionBlock(c.hiddenSize(), c.heads(), c.activation(),
                new LayerNorm(w.get("norm1.weight"), w.get("norm1.bias"), 1e-6),
                new Linear(w.get("attn.qkv.weight"), w.get("attn.qkv.bias")), new Linear(w.get("attn.proj.weight"), w.get("attn.proj.bias")),
                new LayerNorm(w.get("norm2.weight"), w.get("norm2.bias"), 1e-6),
                new Linear(w.get("mlp.linear_fc1.weight"), w.get("mlp.linear_fc1.bias")), new Linear(w.get("mlp.linear_fc2.weight"), w.get("mlp.linear_fc2.bias")));
    }
}

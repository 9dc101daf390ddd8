package dev.palate.models.qwen3vl;

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
 * The Qwen3-VL vision tower (modeling_qwen3_vl.py {@code Qwen3VLVisionModel}): patch embedding (Conv3d with bias, as
 * a matmul), the learned square position grid resampled bilinearly (align_corners=True) to each image's patch grid,
 * 2-D rotary, the blocks with a deepstack merger after the configured ones, and the main merger.
 */
final class Qwen3VlVision {
    private final Qwen3VlConfig.Vision config;
    private final Tensor patchWeight, patchBias; // [E, C, T, P, P], [E]
    private final Tensor posEmbed;                // [side², E]
    private final List<VisionBlock> blocks = new ArrayList<>();
    private final Qwen3VlPatchMerger merger;
    private final List<Qwen3VlPatchMerger> deepstack = new ArrayList<>();

    Qwen3VlVision(ScopedWeights w, Qwen3VlConfig.Vision c) {
        this.config = c;
        patchWeight = w.get("patch_embed.proj.weight");
        patchBias = w.get("patch_embed.proj.bias");
        posEmbed = w.get("pos_embed.weight");
        for (int i = 0; i < c.depth(); i++) blocks.add(block(w.at("blocks").at(i), c));
        merger = new Qwen3VlPatchMerger(w.at("merger"), c, false);
        for (int k = 0; k < c.deepstackIndexes().length; k++)
            deepstack.add(new Qwen3VlPatchMerger(w.at("deepstack_merger_list").at(k), c, true));
    }

    /** lastHidden [N, E]; merged [N/4, H]; deepstack: one [N/4, H] per deepstack index, in order. */
    record Output(Tensor lastHidden, Tensor merged, List<Tensor> deepstack) {}

    Output forward(Tensor pixelValues, List<int[]> grids) {
        List<Long> sizes = new ArrayList<>();
        long total = 0;
        for (int[] g : grids) { long n = (long) g[0] * g[1] * g[2]; sizes.add(n); total += n; }
        if (total != pixelValues.size(0))
            throw new IllegalArgumentException("pixel_values has " + pixelValues.size(0) + " rows but the grids describe " + total + " patches");
        org.bytedeco.pytorch.Device dev = patchWeight.device();
        torch.ScalarType dt = patchWeight.scalar_type();
        Tensor kernel = patchWeight.view(config.hiddenSize(), config.patchDim());
        Tensor x = CpuReducedPrecision.linear(pixelValues.to(dev, dt), kernel, patchBias);                  // [N, E]
        VisionGrid.Taps taps = VisionGrid.bilinearTaps(grids, config.gridSide(), config.spatialMergeSize());
        Tensor idx = Tensors.fromLongs(taps.indices(), total, 4).to(dev, DType.I64.scalarType());
        Tensor wts = Tensors.fromFloats(taps.weights(), total, 4).to(dev, DType.F32.scalarType());
        // (pos_embed(indices) * weights[:, :, None]).sum(1): fp32 weights promote a bf16 table to fp32, then the cast
        Tensor pos = torch.embedding(posEmbed, idx).mul(wts.unsqueeze(-1)).sum(new long[] {1}, false, new org.bytedeco.pytorch.ScalarTypeOptional());
        x = x.add(pos.to(dt));
        Tensor rowCol = Tensors.fromLongs(VisionGrid.rowColumns(grids, config.spatialMergeSize()), total, 2).to(dev, DType.I64.scalarType());
        RotaryEmbedding.CosSin cs = RotaryEmbedding.vision(RotaryEmbedding.inverseFrequencies(config.ropeTheta(), config.headDim() / 2), rowCol);
        List<Tensor> features = new ArrayList<>();
        int[] ds = config.deepstackIndexes();
        for (int b = 0; b < blocks.size(); b++) {
            x = blocks.get(b).forward(x, cs.cos(), cs.sin(), sizes);
            for (int k = 0; k < ds.length; k++) if (ds[k] == b) features.add(deepstack.get(k).apply(x));
        }
        return new Output(x, merger.apply(x), features);
    }

    /** One block in this checkpoint's names (LayerNorm eps 1e-6). */
    static VisionBlock block(ScopedWeights w, Qwen3VlConfig.Vision c) {
        return new VisionBlock(c.hiddenSize(), c.heads(), c.activation(),
                new LayerNorm(w.get("norm1.weight"), w.get("norm1.bias"), 1e-6),
                new Linear(w.get("attn.qkv.weight"), w.get("attn.qkv.bias")), new Linear(w.get("attn.proj.weight"), w.get("attn.proj.bias")),
                new LayerNorm(w.get("norm2.weight"), w.get("norm2.bias"), 1e-6),
                new Linear(w.get("mlp.linear_fc1.weight"), w.get("mlp.linear_fc1.bias")), new Linear(w.get("mlp.linear_fc2.weight"), w.get("mlp.linear_fc2.bias")));
    }
}

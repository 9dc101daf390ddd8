package dev.palate.models.qwen2vl;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Tensor;

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
 * The Qwen2-VL vision tower (modeling_qwen2_vl.py {@code Qwen2VisionTransformerPretrainedModel}): patch embedding,
 * 2-D rotary over (row, column), {@code depth} blocks, and the patch merger (LayerNorm, 2×2 windows concatenated,
 * Linear → erf GELU → Linear to the decoder width). Weights under {@code visual.}.
 */
public final class Qwen2VlVision {
    private final Qwen2VlConfig.Vision config;
    private final Tensor patchWeight;                 // [E, C, T, P, P]: the Conv3d kernel (kernel = stride)
    private final List<VisionBlock> blocks = new ArrayList<>();
    private final LayerNorm lnQ;                      // [E]
    private final Linear mlp0;                        // [E·4, E·4]
    private final Linear mlp2;                        // [H, E·4]

    Qwen2VlVision(ScopedWeights w, Qwen2VlConfig.Vision c) {
        this.config = c;
        patchWeight = w.get("patch_embed.proj.weight");
        for (int i = 0; i < c.depth(); i++) blocks.add(block(w.at("blocks").at(i), c));
        lnQ = new LayerNorm(w.get("merger.ln_q.weight"), w.get("merger.ln_q.bias"), 1e-6);
        mlp0 = new Linear(w.get("merger.mlp.0.weight"), w.get("merger.mlp.0.bias"));
        mlp2 = new Linear(w.get("merger.mlp.2.weight"), w.get("merger.mlp.2.bias"));
    }

    /** The tower's outputs: the last block's hidden states and the merged tokens. */
    public record Output(Tensor lastHidden /* [N, E] */, Tensor merged /* [N / merge², H] */) {}

    /**
     * pixelValues [N, C·T·P·P] (images' patch rows in 2×2-window order, image after image), grids (t, h, w) per image.
     */
    public Output forward(Tensor pixelValues, List<int[]> grids) {
        // PatchEmbed: a Conv3d over [C, T, P, P] patches with kernel = stride is one matmul with the flattened kernel
        List<Long> sizes = new ArrayList<>();
        long total = 0;
        for (int[] g : grids) { sizes.add((long) g[0] * g[1] * g[2]); total += (long) g[0] * g[1] * g[2]; }
        if (total != pixelValues.size(0))
            throw new IllegalArgumentException("pixel_values has " + pixelValues.size(0) + " rows but the grids describe " + total + " patches");
        DType dt = DType.fromScalarType(patchWeight.scalar_type());
        Tensor kernel = patchWeight.view(config.embedDim(), config.patchDim());                    // [E, C·T·P·P]
        Tensor x = CpuReducedPrecision.matmul(pixelValues.to(patchWeight.device(), dt.scalarType()), kernel.t()); // [N, E]
        Tensor rowCol = Tensors.fromLongs(VisionGrid.rowColumns(grids, config.spatialMergeSize()), total, 2).to(patchWeight.device(), DType.I64.scalarType());
        // Qwen2VLVisionRotaryEmbedding: dim = head_dim / 2, so head_dim / 4 frequencies per axis
        Tensor invFreq = RotaryEmbedding.inverseFrequencies(config.ropeTheta(), config.headDim() / 2);
        RotaryEmbedding.CosSin cs = RotaryEmbedding.vision(invFreq, rowCol);                        // [N, D] fp32
        for (VisionBlock b : blocks) x = b.forward(x, cs.cos(), cs.sin(), sizes);
        Tensor merged = mlp2.apply(gelu(mlp0.apply(lnQ.apply(x).view(-1, config.mergedDim()))));    // [N/4, H]
        return new Output(x, merged);
    }

    private static Tensor gelu(Tensor x) {
        return org.bytedeco.pytorch.global.torch.gelu(x, "none"); // PatchMerger: nn.GELU() (erf)
    }

    /** One block in this checkpoint's names (LayerNorm eps 1e-6). */
    static VisionBlock block(ScopedWeights w, Qwen2VlConfig.Vision c) {
        return new VisionBlock(c.embedDim(), c.heads(), c.activation(),
                new LayerNorm(w.get("norm1.weight"), w.get("norm1.bias"), 1e-6),
                new Linear(w.get("attn.qkv.weight"), w.get("attn.qkv.bias")), new Linear(w.get("attn.proj.weight"), w.get("attn.proj.bias")),
                new LayerNorm(w.get("norm2.weight"), w.get("norm2.bias"), 1e-6),
                new Linear(w.get("mlp.fc1.weight"), w.get("mlp.fc1.bias")), new Linear(w.get("mlp.fc2.weight"), w.get("mlp.fc2.bias")));
    }
}

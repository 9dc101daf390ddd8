package dev.palate.models.clip;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

import dev.palate.engine.nn.CpuReducedPrecision;
import dev.palate.engine.nn.LayerNorm;

/**
 * The CLIP image tower (open_clip transformer.py VisionTransformer; HF CLIPVisionTransformer + visual_projection):
 * patches by a strided conv, class token, positional embedding, ln_pre, blocks, ln_post on the class token,
 * projection. Weight names are open_clip's, under {@code visual.}.
 */
final class ClipVision {
    private final ClipConfig.Vision cfg;
    private final Tensor conv1;      // [W, 3, P, P], no bias
    private final Tensor classEmb;   // [W]
    private final Tensor posEmb;     // [T, W], T = (S/P)^2 + 1
    private final LayerNorm lnPre, lnPost; // [W]
    private final ClipBlock[] blocks;
    private final Tensor proj;       // [W, E]

    ClipVision(WeightReader visual, ClipConfig.Vision cfg) {
        this.cfg = cfg;
        conv1 = visual.get("conv1.weight");
        classEmb = visual.get("class_embedding");
        posEmb = visual.get("positional_embedding");
        lnPre = new LayerNorm(visual.get("ln_pre.weight"), visual.get("ln_pre.bias"), cfg.eps());
        blocks = new ClipBlock[cfg.layers()];
        WeightReader res = visual.at("transformer").at("resblocks");
        for (int i = 0; i < blocks.length; i++)
            blocks[i] = new ClipBlock(res.at(i), cfg.width(), cfg.heads(), cfg.activation(), cfg.eps());
        lnPost = new LayerNorm(visual.get("ln_post.weight"), visual.get("ln_post.bias"), cfg.eps());
        proj = visual.get("proj");
    }

    /** pixels [B, 3, S, S] (model dtype and device) → image embeddings [B, E], projected, not normalised. */
    Tensor forward(Tensor pixels) {
        long b = pixels.size(0);
        int w = cfg.width(), p = cfg.patchSize();
        if (pixels.dim() != 4 || pixels.size(1) != 3 || pixels.size(2) != cfg.imageSize() || pixels.size(3) != cfg.imageSize())
            throw new IllegalArgumentException("pixels must be [B, 3, " + cfg.imageSize() + ", " + cfg.imageSize() + "], got "
                    + java.util.Arrays.toString(dev.palate.engine.Tensors.shape(pixels)));
        Tensor x = CpuReducedPrecision.conv2d(pixels, conv1, null, new long[] {p, p}, new long[] {0, 0}, new long[] {1, 1}, 1); // [B, W, g, g]
        x = x.flatten(2, 3).transpose(1, 2);                                 // [B, g*g, W], row-major over the grid
        Tensor cls = classEmb.view(1, 1, w).expand(b, 1, w);                 // [B, 1, W]
        x = torch.cat(new TensorVector(cls, x), 1).add(posEmb);             // [B, T, W]
        x = lnPre.apply(x);
        for (ClipBlock blk : blocks) x = blk.forward(x, false);
        Tensor pooled = lnPost.apply(x.select(1, 0));                          // [B, W], class token
        return CpuReducedPrecision.matmul(pooled, proj);                     // [B, E]
    }
}

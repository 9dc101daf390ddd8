package dev.palate.models.blip;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

import dev.palate.engine.DType;
import dev.palate.models.blip.ImageRewardKeys.VisionBlockKeys;
import dev.palate.engine.nn.CpuReducedPrecision;
import dev.palate.engine.nn.Linear;
import dev.palate.engine.nn.LayerNorm;
import dev.palate.engine.nn.MultiHeadAttention;

/**
 * BLIP's image tower (BLIP models/vit.py {@code VisionTransformer.forward}): patch conv with bias, class token,
 * {@code pos_embed}, pre-norm blocks, then the final {@code norm} on every token (no ln_pre, no pooling).
 */
final class BlipVisionTransformer {
    private final BlipVisionConfig config;
    private final Tensor patchWeight;          // [W, 3, P, P]
    private final Tensor patchBias;            // [W] or null
    private final Tensor classToken;           // [1, 1, W]
    private final Tensor positions;            // [1, T, W]
    private final List<Block> blocks;
    private final LayerNorm norm;
    private final long[] stride;
    private final long[] noPadding = {0, 0};
    private final long[] noDilation = {1, 1};

    private record Block(LayerNorm norm1, Linear qkv, Linear proj, LayerNorm norm2, Linear fc1, Linear fc2) {}

    BlipVisionTransformer(BlipVisionConfig c, WeightStore w, DType dtype) {
        this.config = c;
        long width = c.width();
        double eps = c.layerNormEps();
        this.patchWeight = w.get(ImageRewardKeys.PATCH.weight(), dtype, width, 3, c.patchSize(), c.patchSize());
        Tensor bias = w.get(ImageRewardKeys.PATCH.bias(), dtype, width);
        this.patchBias = bias;
        this.classToken = w.get(ImageRewardKeys.CLS_TOKEN, dtype, 1, 1, width);
        this.positions = w.get(ImageRewardKeys.POS_EMBED, dtype, 1, c.tokens(), width);
        this.blocks = new ArrayList<>();
        for (int i = 0; i < c.layers(); i++) {
            VisionBlockKeys k = VisionBlockKeys.of(i);
            blocks.add(new Block(w.norm(k.norm1(), dtype, width, eps), w.linear(k.qkv(), dtype, 3 * width, width),
                    w.linear(k.proj(), dtype, width, width), w.norm(k.norm2(), dtype, width, eps),
                    w.linear(k.fc1(), dtype, c.mlpWidth(), width), w.linear(k.fc2(), dtype, width, c.mlpWidth())));
        }
        this.norm = w.norm(ImageRewardKeys.VISION_NORM, dtype, width, eps);
        this.stride = new long[]{c.patchSize(), c.patchSize()};
    }

    BlipVisionConfig config() { return config; }

    /** {@code pixels} [B, 3, S, S] in the model's dtype and device → image tokens [B, T, W]. */
    Tensor forward(Tensor pixels) {
        long b = pixels.size(0);
        long t = config.tokens();
        long width = config.width();
        Tensor x = CpuReducedPrecision.conv2d(pixels, patchWeight, patchBias, stride, noPadding, noDilation, 1); // [B, W, g, g]
        x = x.flatten(2, 3).transpose(1, 2);                                                      // [B, g², W]
        TensorVector parts = new TensorVector(classToken.expand(b, -1, -1), x);
        x = torch.cat(parts, 1).add(positions);                                                   // [B, T, W]
        for (Block blk : blocks) {
            x = x.add(attention(blk, blk.norm1().apply(x), b, t, width));
            x = x.add(blk.fc2().apply(torch.gelu(blk.fc1().apply(blk.norm2().apply(x)), "none"))); // exact-erf GELU
        }
        return norm.apply(x);
    }

    /** vit.py Attention: fused qkv, softmax(q kᵀ · d^-½) v, proj. */
    private Tensor attention(Block blk, Tensor h, long b, long t, long width) {
        Tensor qkv = blk.qkv().apply(h);                                                   // [B, T, 3W]: q, k, v
        Tensor out = MultiHeadAttention.attend(qkv.narrow(2, 0, width), qkv.narrow(2, width, width),
                qkv.narrow(2, 2 * width, width), config.heads(), null, false);              // [B, T, W]
        return blk.proj().apply(out);
    }
}

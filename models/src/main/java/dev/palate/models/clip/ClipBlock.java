package dev.palate.models.clip;

import org.bytedeco.pytorch.Tensor;

import dev.palate.engine.nn.Activation;
import dev.palate.engine.nn.LayerNorm;
import dev.palate.engine.nn.Linear;
import dev.palate.engine.nn.MultiHeadAttention;

/**
 * One pre-norm residual block: {@code x += attn(ln_1(x)); x += mlp(ln_2(x))}
 * (open_clip transformer.py ResidualAttentionBlock; HF CLIPEncoderLayer). Attention is multi-head with the fused
 * in_proj (rows q, k, v) and scale head_dim^-0.5, through scaled_dot_product_attention.
 */
final class ClipBlock {
    private final int width, heads;
    private final Activation act;
    private final LayerNorm ln1, ln2;  // [W]
    private final Linear inProj;       // [3W, W]: q, k, v rows
    private final Linear outProj;      // [W, W]
    private final Linear fc;           // [M, W]
    private final Linear proj;         // [W, M]

    ClipBlock(WeightReader w, int width, int heads, Activation act, double eps) {
        this.width = width;
        this.heads = heads;
        this.act = act;
        ln1 = new LayerNorm(w.get("ln_1.weight"), w.get("ln_1.bias"), eps);
        inProj = new Linear(w.get("attn.in_proj_weight"), w.get("attn.in_proj_bias"));
        outProj = new Linear(w.get("attn.out_proj.weight"), w.get("attn.out_proj.bias"));
        ln2 = new LayerNorm(w.get("ln_2.weight"), w.get("ln_2.bias"), eps);
        fc = new Linear(w.get("mlp.c_fc.weight"), w.get("mlp.c_fc.bias"));
        proj = new Linear(w.get("mlp.c_proj.weight"), w.get("mlp.c_proj.bias"));
    }

    /** x [B, L, W] → [B, L, W]; {@code causal} masks attention to earlier positions (text tower). */
    Tensor forward(Tensor x, boolean causal) {
        Tensor qkv = inProj.apply(ln1.apply(x));                              // [B, L, 3W]
        Tensor a = MultiHeadAttention.attend(qkv.narrow(2, 0, width), qkv.narrow(2, width, width),
                qkv.narrow(2, 2L * width, width), heads, null, causal);     // [B, L, W]
        x = x.add(outProj.apply(a));
        Tensor h = act.apply(fc.apply(ln2.apply(x)));                         // [B, L, M]
        return x.add(proj.apply(h));
    }
}

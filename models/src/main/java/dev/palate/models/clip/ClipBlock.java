package dev.palate.models.clip;

import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * One pre-norm residual block: {@code x += attn(ln_1(x)); x += mlp(ln_2(x))}
 * (open_clip transformer.py ResidualAttentionBlock; HF CLIPEncoderLayer). Attention is multi-head with the fused
 * in_proj (rows q, k, v) and scale head_dim^-0.5, through scaled_dot_product_attention.
 */
final class ClipBlock {
    private final int width, heads;
    private final double eps;
    private final Activation act;
    private final Tensor ln1W, ln1B;      // [W]
    private final Tensor inProjW, inProjB; // [3W, W], [3W]
    private final Tensor outW, outB;      // [W, W], [W]
    private final Tensor ln2W, ln2B;      // [W]
    private final Tensor fcW, fcB;        // [M, W], [M]
    private final Tensor projW, projB;    // [W, M], [W]

    ClipBlock(WeightReader w, int width, int heads, Activation act, double eps) {
        this.width = width;
        this.heads = heads;
        this.act = act;
        this.eps = eps;
        ln1W = w.get("ln_1.weight");
        ln1B = w.get("ln_1.bias");
        inProjW = w.get("attn.in_proj_weight");
        inProjB = w.get("attn.in_proj_bias");
        outW = w.get("attn.out_proj.weight");
        outB = w.get("attn.out_proj.bias");
        ln2W = w.get("ln_2.weight");
        ln2B = w.get("ln_2.bias");
        fcW = w.get("mlp.c_fc.weight");
        fcB = w.get("mlp.c_fc.bias");
        projW = w.get("mlp.c_proj.weight");
        projB = w.get("mlp.c_proj.bias");
    }

    /** x [B, L, W] → [B, L, W]; {@code causal} masks attention to earlier positions (text tower). */
    Tensor forward(Tensor x, boolean causal) {
        long b = x.size(0), l = x.size(1);
        int d = width / heads;
        Tensor h = layerNorm(x, ln1W, ln1B, width, eps);
        Tensor qkv = torch.linear(h, inProjW, inProjB)           // [B, L, 3W]
                .view(b, l, 3, heads, d).permute(2, 0, 3, 1, 4); // [3, B, H, L, D]
        Tensor a = torch.scaled_dot_product_attention(qkv.select(0, 0), qkv.select(0, 1), qkv.select(0, 2),
                new TensorOptional(), 0.0, causal, new DoubleOptional(), false); // [B, H, L, D]
        a = a.transpose(1, 2).reshape(b, l, width);               // [B, L, W]
        x = x.add(torch.linear(a, outW, outB));
        h = layerNorm(x, ln2W, ln2B, width, eps);
        h = act.apply(torch.linear(h, fcW, fcB));                 // [B, L, M]
        return x.add(torch.linear(h, projW, projB));
    }

    static Tensor layerNorm(Tensor x, Tensor w, Tensor b, int width, double eps) {
        return torch.layer_norm(x, new long[] {width}, new TensorOptional(w), new TensorOptional(b), eps, true);
    }
}

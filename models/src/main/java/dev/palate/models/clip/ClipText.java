package dev.palate.models.clip;

import dev.palate.engine.Tensors;
import dev.palate.engine.nn.LayerNorm;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The CLIP text tower (open_clip model.py CLIP.encode_text; HF CLIPTextTransformer + text_projection): token and
 * positional embeddings, causal blocks, ln_final, the token at argmax(ids) (the first end-of-text token, the
 * largest id), projection.
 */
final class ClipText {
    private final ClipConfig.Text cfg;
    private final Tensor tokenEmb;  // [V, Wt]
    private final Tensor posEmb;    // [C, Wt]
    private final ClipBlock[] blocks;
    private final LayerNorm lnFinal; // [Wt]
    private final Tensor proj;      // [Wt, E]

    ClipText(WeightReader root, ClipConfig.Text cfg) {
        this.cfg = cfg;
        tokenEmb = root.get("token_embedding.weight");
        posEmb = root.get("positional_embedding");
        blocks = new ClipBlock[cfg.layers()];
        WeightReader res = root.at("transformer").at("resblocks");
        for (int i = 0; i < blocks.length; i++)
            blocks[i] = new ClipBlock(res.at(i), cfg.width(), cfg.heads(), cfg.activation(), cfg.eps());
        lnFinal = new LayerNorm(root.get("ln_final.weight"), root.get("ln_final.bias"), cfg.eps());
        proj = root.get("text_projection");
    }

    /** ids [B][C] → text embeddings [B, E] (model dtype and device), projected, not normalised. */
    Tensor forward(int[][] ids, org.bytedeco.pytorch.Device device) {
        int b = ids.length, c = cfg.contextLength(), w = cfg.width();
        long[] flat = new long[b * c];
        long[] pool = new long[b]; // row r's pooled position, as an index into the flattened [B*C] tokens
        for (int r = 0; r < b; r++) {
            if (ids[r].length != c)
                throw new IllegalArgumentException("token row " + r + " has " + ids[r].length + " ids; the model's context is " + c);
            int best = 0;
            for (int i = 0; i < c; i++) {
                int id = ids[r][i];
                if (id < 0 || id >= cfg.vocabSize())
                    throw new IllegalArgumentException("token id " + id + " at row " + r + " is outside the vocabulary of " + cfg.vocabSize());
                flat[r * c + i] = id;
                if (id > ids[r][best]) best = i; // first maximum, as torch.argmax
            }
            pool[r] = (long) r * c + best;
        }
        Tensor idx = Tensors.fromLongs(flat, b, c).to(device, torch.ScalarType.Long);
        Tensor x = torch.embedding(tokenEmb, idx).add(posEmb);   // [B, C, Wt]
        for (ClipBlock blk : blocks) x = blk.forward(x, true);
        x = lnFinal.apply(x);
        Tensor at = Tensors.fromLongs(pool, b).to(device, torch.ScalarType.Long);
        Tensor pooled = x.reshape(b * (long) c, w).index_select(0, at); // [B, Wt]
        return pooled.matmul(proj);                                    // [B, E]
    }
}

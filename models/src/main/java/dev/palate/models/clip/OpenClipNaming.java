package dev.palate.models.clip;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * open_clip / OpenAI naming (also HPSv2's {@code {"state_dict": ...}} checkpoints): the canonical names, one to one.
 * This is the table of every weight a CLIP model of a given config has.
 */
final class OpenClipNaming implements ClipNaming {
    static final OpenClipNaming INSTANCE = new OpenClipNaming();

    /** Per residual block, under {@code transformer.resblocks.i.} (text) or {@code visual.transformer.resblocks.i.}. */
    static final List<String> BLOCK = List.of(
            "ln_1.weight", "ln_1.bias",
            "attn.in_proj_weight", "attn.in_proj_bias",  // [3W, W], [3W]: rows q, k, v
            "attn.out_proj.weight", "attn.out_proj.bias",
            "ln_2.weight", "ln_2.bias",
            "mlp.c_fc.weight", "mlp.c_fc.bias",          // [M, W]
            "mlp.c_proj.weight", "mlp.c_proj.bias");     // [W, M]

    static final List<String> TEXT = List.of(
            "token_embedding.weight",    // [V, Wt]
            "positional_embedding",      // [C, Wt]
            "ln_final.weight", "ln_final.bias",
            "text_projection");          // [Wt, E]

    static final List<String> VISION = List.of(
            "visual.class_embedding",        // [W]
            "visual.conv1.weight",           // [W, 3, P, P]
            "visual.positional_embedding",   // [T, W]
            "visual.ln_pre.weight", "visual.ln_pre.bias",
            "visual.ln_post.weight", "visual.ln_post.bias",
            "visual.proj");                  // [W, E]

    static final String LOGIT_SCALE = "logit_scale"; // [] log of the similarity multiplier

    private OpenClipNaming() {}

    /** Every canonical key of a model with this config. */
    static List<String> canonicalKeys(ClipConfig cfg) {
        List<String> keys = new ArrayList<>(TEXT);
        for (int i = 0; i < cfg.text().layers(); i++)
            for (String k : BLOCK) keys.add("transformer.resblocks." + i + "." + k);
        keys.addAll(VISION);
        for (int i = 0; i < cfg.vision().layers(); i++)
            for (String k : BLOCK) keys.add("visual.transformer.resblocks." + i + "." + k);
        keys.add(LOGIT_SCALE);
        return keys;
    }

    @Override
    public String scheme() { return "open_clip"; }

    @Override
    public Mapping map(String canonicalKey) {
        return new Mapping(canonicalKey, List.of(canonicalKey), Transform.COPY);
    }

    @Override
    public Set<String> knownUnused() {
        return Set.of("attn_mask", "input_resolution", "context_length", "vocab_size"); // buffers/ints of OpenAI JIT-era dicts
    }
}

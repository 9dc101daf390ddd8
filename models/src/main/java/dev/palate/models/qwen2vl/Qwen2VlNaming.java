package dev.palate.models.qwen2vl;

import java.util.LinkedHashSet;
import java.util.Set;

import dev.palate.engine.weights.KeyMap;
import dev.palate.engine.weights.StateDict;

/**
 * Key layouts of Qwen2-VL checkpoints. Palate reads the pre-transformers-4.52 flat layout (Qwen2-VL-7B-Instruct's
 * original files, HPSv3's {@code HPSv3.safetensors}, DiffSynth's {@code HPSv3/model.safetensors}):
 * {@code visual.*}, {@code model.embed_tokens|layers|norm.*}, {@code lm_head.weight}. Files saved by transformers
 * ≥ 4.52 nest them as {@code model.visual.*} and {@code model.language_model.*}; {@link #toFlat} renames those
 * (the inverse of HPSv3 inference.py's key update and of transformers' checkpoint conversion mapping).
 */
public final class Qwen2VlNaming {
    private Qwen2VlNaming() {}

    /** transformers ≥ 4.52 layout → flat layout. */
    static final KeyMap NESTED_TO_FLAT = KeyMap.builder()
            .prefix("model.visual.", "visual.")
            .prefix("model.language_model.", "model.")
            .build();

    /** The checkpoint in flat naming, whichever layout it was saved in. */
    public static StateDict toFlat(StateDict sd) {
        boolean nested = false;
        for (String k : sd.keys()) if (k.startsWith("model.language_model.") || k.startsWith("model.visual.")) { nested = true; break; }
        return nested ? sd.renamed(NESTED_TO_FLAT) : sd;
    }

    /** Every key a Qwen2-VL backbone of {@code c} has in flat naming, {@code lm_head.weight} included. */
    public static Set<String> expectedKeys(Qwen2VlConfig c) {
        Set<String> keys = new LinkedHashSet<>();
        keys.add("visual.patch_embed.proj.weight");
        for (int i = 0; i < c.vision().depth(); i++)
            for (String m : new String[] {"norm1", "norm2", "attn.qkv", "attn.proj", "mlp.fc1", "mlp.fc2"}) {
                keys.add("visual.blocks." + i + "." + m + ".weight");
                keys.add("visual.blocks." + i + "." + m + ".bias");
            }
        for (String m : new String[] {"ln_q", "mlp.0", "mlp.2"}) {
            keys.add("visual.merger." + m + ".weight");
            keys.add("visual.merger." + m + ".bias");
        }
        keys.add("model.embed_tokens.weight");
        for (int i = 0; i < c.text().layers(); i++) {
            String p = "model.layers." + i + ".";
            keys.add(p + "input_layernorm.weight");
            keys.add(p + "post_attention_layernorm.weight");
            for (String m : new String[] {"q_proj", "k_proj", "v_proj"}) {
                keys.add(p + "self_attn." + m + ".weight");
                keys.add(p + "self_attn." + m + ".bias");
            }
            keys.add(p + "self_attn.o_proj.weight");
            for (String m : new String[] {"gate_proj", "up_proj", "down_proj"}) keys.add(p + "mlp." + m + ".weight");
        }
        keys.add("model.norm.weight");
        keys.add("lm_head.weight");
        return keys;
    }
}

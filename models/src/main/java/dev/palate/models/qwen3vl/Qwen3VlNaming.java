package dev.palate.models.qwen3vl;

import java.util.LinkedHashSet;
import java.util.Set;

import dev.palate.engine.weights.KeyMap;
import dev.palate.engine.weights.StateDict;

/**
 * Key layouts of Qwen3-VL checkpoints. Palate reads the Hugging Face layout ({@code model.visual.*},
 * {@code model.language_model.*}, {@code lm_head.weight}); DiffSynth-Studio's wrapper layout
 * ({@code model.model.*}, {@code model.lm_head.weight}; its JoyAIImageTextEncoder / UnifiedReward converters) is
 * renamed back by {@link #toHuggingFace}.
 */
final class Qwen3VlNaming {
    private Qwen3VlNaming() {}

    static final KeyMap DIFFSYNTH_TO_HF = KeyMap.builder()
            .exact("model.lm_head.weight", "lm_head.weight")
            .prefix("model.model.", "model.")
            .build();

    static StateDict toHuggingFace(StateDict sd) {
        for (String k : sd.keys()) if (k.startsWith("model.model.")) return sd.renamed(DIFFSYNTH_TO_HF);
        return sd;
    }

    static Set<String> expectedKeys(Qwen3VlConfig c, boolean tiedEmbeddings) {
        Set<String> keys = new LinkedHashSet<>();
        String v = "model.visual.";
        keys.add(v + "patch_embed.proj.weight");
        keys.add(v + "patch_embed.proj.bias");
        keys.add(v + "pos_embed.weight");
        for (int i = 0; i < c.vision().depth(); i++)
            for (String m : new String[] {"norm1", "norm2", "attn.qkv", "attn.proj", "mlp.linear_fc1", "mlp.linear_fc2"}) {
                keys.add(v + "blocks." + i + "." + m + ".weight");
                keys.add(v + "blocks." + i + "." + m + ".bias");
            }
        for (String merger : mergers(c))
            for (String m : new String[] {"norm", "linear_fc1", "linear_fc2"}) {
                keys.add(v + merger + "." + m + ".weight");
                keys.add(v + merger + "." + m + ".bias");
            }
        String t = "model.language_model.";
        keys.add(t + "embed_tokens.weight");
        for (int i = 0; i < c.text().layers(); i++) {
            String p = t + "layers." + i + ".";
            keys.add(p + "input_layernorm.weight");
            keys.add(p + "post_attention_layernorm.weight");
            keys.add(p + "self_attn.q_norm.weight");
            keys.add(p + "self_attn.k_norm.weight");
            for (String m : new String[] {"q_proj", "k_proj", "v_proj", "o_proj"}) {
                keys.add(p + "self_attn." + m + ".weight");
                if (c.text().attentionBias()) keys.add(p + "self_attn." + m + ".bias");
            }
            for (String m : new String[] {"gate_proj", "up_proj", "down_proj"}) keys.add(p + "mlp." + m + ".weight");
        }
        keys.add(t + "norm.weight");
        if (!tiedEmbeddings) keys.add("lm_head.weight");
        return keys;
    }

    private static Set<String> mergers(Qwen3VlConfig c) {
        Set<String> m = new LinkedHashSet<>();
        m.add("merger");
        for (int k = 0; k < c.vision().deepstackIndexes().length; k++) m.add("deepstack_merger_list." + k);
        return m;
    }
}

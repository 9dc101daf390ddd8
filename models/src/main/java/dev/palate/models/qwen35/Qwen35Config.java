package dev.palate.models.qwen35;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import dev.palate.engine.nn.Activation;
import dev.palate.models.ConfigJson;

/**
 * A Qwen3.5 checkpoint's {@code config.json} (transformers 5.18 configuration_qwen3_5.py): a hybrid decoder whose
 * {@code layer_types} mix gated delta-net ({@code linear_attention}) and gated full attention layers, and the
 * Qwen3-VL-style vision tower without deepstack.
 */
public record Qwen35Config(Text text, Vision vision, int imageTokenId, int visionStartTokenId, int visionEndTokenId) {

    /**
     * @param linearLayer       per layer: true for gated delta-net, false for full attention
     * @param rotaryDim         rotated dimensions of each full-attention head ({@code head_dim · partial_rotary_factor})
     * @param linearKeyHeads    delta-net key heads (q and k), {@code linearValueHeads} a multiple of it
     */
    public record Text(int vocabSize, int hiddenSize, boolean[] linearLayer, int heads, int kvHeads, int headDim,
                       int intermediateSize, double rmsNormEps, double ropeTheta, int rotaryDim, int[] mropeSection,
                       boolean attentionBias, int linearKeyHeads, int linearValueHeads, int linearKeyDim, int linearValueDim,
                       int convKernel) {
        public Text {
            if (kvHeads <= 0 || heads % kvHeads != 0)
                throw new IllegalArgumentException("num_attention_heads " + heads + " is not a multiple of num_key_value_heads " + kvHeads);
            if (Arrays.stream(mropeSection).sum() * 2 != rotaryDim)
                throw new IllegalArgumentException("mrope_section " + Arrays.toString(mropeSection) + " does not sum to the rotary dimension / 2 = " + rotaryDim / 2);
            if (linearKeyHeads <= 0 || linearValueHeads % linearKeyHeads != 0)
                throw new IllegalArgumentException("linear_num_value_heads " + linearValueHeads + " is not a multiple of linear_num_key_heads " + linearKeyHeads);
        }

        public int layers() { return linearLayer.length; }

        /** Channels of the delta-net's depthwise conv: q, k and v side by side. */
        public int convDim() { return 2 * linearKeyHeads * linearKeyDim + linearValueHeads * linearValueDim; }

        /** The full-attention layers' indexes among all layers, in order. */
        public int[] attentionLayers() {
            List<Integer> a = new ArrayList<>();
            for (int i = 0; i < linearLayer.length; i++) if (!linearLayer[i]) a.add(i);
            return a.stream().mapToInt(Integer::intValue).toArray();
        }

        @Override
        public String toString() {
            return "Text[hidden " + hiddenSize + ", " + linearLayer.length + " layers (" + attentionLayers().length + " full attention), "
                    + heads + "/" + kvHeads + " heads × " + headDim + ", delta-net " + linearKeyHeads + "/" + linearValueHeads + " heads, vocab " + vocabSize + "]";
        }
    }

    public record Vision(int depth, int hiddenSize, int heads, int intermediateSize, Activation activation, int outHidden,
                         int inChannels, int patchSize, int temporalPatchSize, int spatialMergeSize, int numPositionEmbeddings,
                         double ropeTheta) {
        public int headDim() { return hiddenSize / heads; }

        public int patchDim() { return inChannels * temporalPatchSize * patchSize * patchSize; }

        public int mergedDim() { return hiddenSize * spatialMergeSize * spatialMergeSize; }

        public int gridSide() { return (int) Math.round(Math.sqrt(numPositionEmbeddings)); }
    }

    public static Qwen35Config parse(Path file) {
        JsonObject o = ConfigJson.read(file);
        try {
            JsonObject t = o.has("text_config") && o.get("text_config").isJsonObject() ? o.getAsJsonObject("text_config") : o;
            String act = ConfigJson.string(t, "hidden_act", "silu");
            if (!act.equals("silu")) throw new IllegalArgumentException("text hidden_act '" + act + "' is not supported (silu)");
            if (!ConfigJson.flag(t, "attn_output_gate", true)) throw new IllegalArgumentException("attn_output_gate false is not supported");
            JsonObject rope = ConfigJson.object(t, "rope_parameters", ConfigJson.object(t, "rope_scaling", new JsonObject()));
            int layers = ConfigJson.integer(t, "num_hidden_layers", 32), headDim = ConfigJson.integer(t, "head_dim", 256);
            boolean[] linear = new boolean[layers];
            JsonElement types = t.get("layer_types");
            int interval = ConfigJson.integer(t, "full_attention_interval", 4);
            for (int i = 0; i < layers; i++) {
                String type = types != null && types.isJsonArray() ? types.getAsJsonArray().get(i).getAsString()
                        : (i + 1) % interval == 0 ? "full_attention" : "linear_attention";
                if (!type.equals("linear_attention") && !type.equals("full_attention"))
                    throw new IllegalArgumentException("layer_types[" + i + "] '" + type + "' is not supported (linear_attention, full_attention)");
                linear[i] = type.equals("linear_attention");
            }
            double partial = ConfigJson.number(rope, "partial_rotary_factor", ConfigJson.number(t, "partial_rotary_factor", 0.25));
            Text text = new Text(ConfigJson.integer(t, "vocab_size", 248320), ConfigJson.integer(t, "hidden_size", 4096), linear,
                    ConfigJson.integer(t, "num_attention_heads", 16), ConfigJson.integer(t, "num_key_value_heads", 4), headDim,
                    ConfigJson.integer(t, "intermediate_size", 12288), ConfigJson.number(t, "rms_norm_eps", 1e-6),
                    ConfigJson.number(rope, "rope_theta", ConfigJson.number(t, "rope_theta", 1e7)), (int) (headDim * partial),
                    ConfigJson.ints(rope, "mrope_section", new int[] {11, 11, 10}), ConfigJson.flag(t, "attention_bias", false),
                    ConfigJson.integer(t, "linear_num_key_heads", 16), ConfigJson.integer(t, "linear_num_value_heads", 32),
                    ConfigJson.integer(t, "linear_key_head_dim", 128), ConfigJson.integer(t, "linear_value_head_dim", 128),
                    ConfigJson.integer(t, "linear_conv_kernel_dim", 4));
            JsonObject v = ConfigJson.object(o, "vision_config", new JsonObject());
            JsonElement ds = v.get("deepstack_visual_indexes");
            if (ds != null && ds.isJsonArray() && ds.getAsJsonArray().size() > 0)
                throw new IllegalArgumentException("vision_config.deepstack_visual_indexes is not empty; Qwen3.5 has no deepstack");
            Vision vision = new Vision(ConfigJson.integer(v, "depth", 27), ConfigJson.integer(v, "hidden_size", 1152),
                    ConfigJson.integer(v, "num_heads", 16), ConfigJson.integer(v, "intermediate_size", 4304),
                    Activation.fromHuggingFace(ConfigJson.string(v, "hidden_act", "gelu_pytorch_tanh"), file + " vision_config.hidden_act"),
                    ConfigJson.integer(v, "out_hidden_size", text.hiddenSize()), ConfigJson.integer(v, "in_channels", 3),
                    ConfigJson.integer(v, "patch_size", 16), ConfigJson.integer(v, "temporal_patch_size", 2),
                    ConfigJson.integer(v, "spatial_merge_size", 2), ConfigJson.integer(v, "num_position_embeddings", 2304),
                    ConfigJson.number(ConfigJson.object(v, "rope_parameters", new JsonObject()), "rope_theta", 10000.0));
            return new Qwen35Config(text, vision, ConfigJson.integer(o, "image_token_id", 248056),
                    ConfigJson.integer(o, "vision_start_token_id", 248053), ConfigJson.integer(o, "vision_end_token_id", 248054));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }
}

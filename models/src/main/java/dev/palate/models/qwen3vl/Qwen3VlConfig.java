package dev.palate.models.qwen3vl;

import java.nio.file.Path;
import java.util.Arrays;

import com.google.gson.JsonObject;

import dev.palate.engine.nn.Activation;
import dev.palate.models.ConfigJson;

/**
 * A Qwen3-VL checkpoint's {@code config.json} ({@code text_config}, {@code vision_config}, token ids), with the
 * defaults of transformers 5.18 configuration_qwen3_vl.py for absent fields.
 */
public record Qwen3VlConfig(Text text, Vision vision, int imageTokenId, int visionStartTokenId, int visionEndTokenId) {

    /**
     * @param headDim          {@code head_dim} (128 for the 8B; not hidden / heads in general)
     * @param mropeSection     t/h/w frequency counts ([24, 20, 20]); interleaved M-RoPE
     * @param attentionBias    q/k/v/o biases (false for Qwen3)
     */
    public record Text(int vocabSize, int hiddenSize, int layers, int heads, int kvHeads, int headDim, int intermediateSize,
                       double rmsNormEps, double ropeTheta, int[] mropeSection, boolean attentionBias) {
        public Text {
            if (kvHeads <= 0 || heads % kvHeads != 0)
                throw new IllegalArgumentException("num_attention_heads " + heads + " is not a multiple of num_key_value_heads " + kvHeads);
            if (Arrays.stream(mropeSection).sum() * 2 != headDim)
                throw new IllegalArgumentException("mrope_section " + Arrays.toString(mropeSection) + " does not sum to head_dim/2 = " + headDim / 2);
        }

        @Override
        public String toString() {
            return "Text[hidden " + hiddenSize + ", " + layers + " layers, " + heads + "/" + kvHeads + " heads × " + headDim
                    + ", mlp " + intermediateSize + ", vocab " + vocabSize + "]";
        }
    }

    /**
     * @param numPositionEmbeddings learned position table, a square grid (2304 = 48² for the 8B)
     * @param deepstackIndexes      vision blocks whose outputs feed decoder layers 0, 1, … through their own mergers
     */
    public record Vision(int depth, int hiddenSize, int heads, int intermediateSize, Activation activation, int outHidden,
                         int inChannels, int patchSize, int temporalPatchSize, int spatialMergeSize, int numPositionEmbeddings,
                         int[] deepstackIndexes, double ropeTheta) {
        public Vision {
            if (heads <= 0 || hiddenSize % heads != 0)
                throw new IllegalArgumentException("vision hidden_size " + hiddenSize + " is not divisible by num_heads " + heads);
            int side = (int) Math.round(Math.sqrt(numPositionEmbeddings));
            if (side * side != numPositionEmbeddings)
                throw new IllegalArgumentException("num_position_embeddings " + numPositionEmbeddings + " is not a square grid");
        }

        public int headDim() { return hiddenSize / heads; }

        public int patchDim() { return inChannels * temporalPatchSize * patchSize * patchSize; }

        public int mergedDim() { return hiddenSize * spatialMergeSize * spatialMergeSize; }

        /** Side of the learned position grid. */
        public int gridSide() { return (int) Math.round(Math.sqrt(numPositionEmbeddings)); }
    }

    public static Qwen3VlConfig parse(Path file) {
        JsonObject o = ConfigJson.read(file);
        try {
            JsonObject t = o.has("text_config") && o.get("text_config").isJsonObject() ? o.getAsJsonObject("text_config") : o;
            String act = ConfigJson.string(t, "hidden_act", "silu");
            if (!act.equals("silu")) throw new IllegalArgumentException("text hidden_act '" + act + "' is not supported (silu)");
            JsonObject rope = ConfigJson.object(t, "rope_parameters", ConfigJson.object(t, "rope_scaling", new JsonObject()));
            if (rope.has("mrope_interleaved") && !rope.get("mrope_interleaved").getAsBoolean())
                throw new IllegalArgumentException("mrope_interleaved false is not Qwen3-VL's layout");
            int hidden = ConfigJson.integer(t, "hidden_size", 4096), heads = ConfigJson.integer(t, "num_attention_heads", 32);
            Text text = new Text(ConfigJson.integer(t, "vocab_size", 151936), hidden, ConfigJson.integer(t, "num_hidden_layers", 32),
                    heads, ConfigJson.integer(t, "num_key_value_heads", 32), ConfigJson.integer(t, "head_dim", 128),
                    ConfigJson.integer(t, "intermediate_size", 22016), ConfigJson.number(t, "rms_norm_eps", 1e-6),
                    ConfigJson.number(rope, "rope_theta", ConfigJson.number(t, "rope_theta", 5e6)),
                    ConfigJson.ints(rope, "mrope_section", new int[] {24, 20, 20}), ConfigJson.flag(t, "attention_bias", false));
            JsonObject v = ConfigJson.object(o, "vision_config", new JsonObject());
            JsonObject vrope = ConfigJson.object(v, "rope_parameters", new JsonObject());
            Vision vision = new Vision(ConfigJson.integer(v, "depth", 27), ConfigJson.integer(v, "hidden_size", 1152),
                    ConfigJson.integer(v, "num_heads", 16), ConfigJson.integer(v, "intermediate_size", 4304),
                    Activation.fromHuggingFace(ConfigJson.string(v, "hidden_act", "gelu_pytorch_tanh"), file + " vision_config.hidden_act"),
                    ConfigJson.integer(v, "out_hidden_size", 3584), ConfigJson.integer(v, "in_channels", 3),
                    ConfigJson.integer(v, "patch_size", 16), ConfigJson.integer(v, "temporal_patch_size", 2),
                    ConfigJson.integer(v, "spatial_merge_size", 2), ConfigJson.integer(v, "num_position_embeddings", 2304),
                    ConfigJson.ints(v, "deepstack_visual_indexes", new int[] {8, 16, 24}), ConfigJson.number(vrope, "rope_theta", 10000.0));
            if (vision.outHidden() != text.hiddenSize())
                throw new IllegalArgumentException("vision_config.out_hidden_size " + vision.outHidden() + " must equal the decoder's hidden_size " + text.hiddenSize());
            return new Qwen3VlConfig(text, vision, ConfigJson.integer(o, "image_token_id", 151655),
                    ConfigJson.integer(o, "vision_start_token_id", 151652), ConfigJson.integer(o, "vision_end_token_id", 151653));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }
}

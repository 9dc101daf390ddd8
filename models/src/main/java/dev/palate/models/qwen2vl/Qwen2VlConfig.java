package dev.palate.models.qwen2vl;

import java.nio.file.Path;
import java.util.Arrays;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import dev.palate.engine.nn.Activation;
import dev.palate.models.ConfigJson;

/**
 * A Qwen2-VL checkpoint's {@code config.json}: the Qwen2 decoder, the vision tower and the special token ids.
 * Both layouts transformers reads are accepted: the flat one of Qwen2-VL-7B-Instruct (decoder fields at the top level,
 * {@code rope_scaling {"type": "mrope", "mrope_section"}}) and the nested one of transformers ≥ 4.52
 * ({@code text_config}, {@code rope_parameters}). Defaults are those of transformers 5.18 configuration_qwen2_vl.py.
 *
 * @param text         the language model
 * @param vision       the vision tower
 * @param imageTokenId {@code <|image_pad|>}, whose slots receive the merged image features (151655)
 */
public record Qwen2VlConfig(Text text, Vision vision, int imageTokenId, int visionStartTokenId) {

    /**
     * @param vocabSize        embedding rows (151658 for HPSv3: Qwen2-VL's 152064 resized to the tokenizer + {@code <|Reward|>})
     * @param hiddenSize       3584 (7B)
     * @param layers           28
     * @param heads            28 query heads
     * @param kvHeads          4 key/value heads (grouped-query attention, 7 queries per group)
     * @param intermediateSize SwiGLU width, 18944
     * @param rmsNormEps       1e-6
     * @param ropeTheta        1e6
     * @param mropeSection     frequencies per t/h/w stream, summing to head_dim/2 ([16, 24, 24])
     */
    public record Text(int vocabSize, int hiddenSize, int layers, int heads, int kvHeads, int intermediateSize,
                       double rmsNormEps, double ropeTheta, int[] mropeSection) {
        public Text {
            if (heads <= 0 || hiddenSize % heads != 0)
                throw new IllegalArgumentException("hidden_size " + hiddenSize + " is not divisible by num_attention_heads " + heads);
            if (kvHeads <= 0 || heads % kvHeads != 0)
                throw new IllegalArgumentException("num_attention_heads " + heads + " is not a multiple of num_key_value_heads " + kvHeads);
            if (Arrays.stream(mropeSection).sum() * 2 != hiddenSize / heads)
                throw new IllegalArgumentException("mrope_section " + Arrays.toString(mropeSection) + " does not sum to head_dim/2 = " + hiddenSize / heads / 2);
        }

        public int headDim() { return hiddenSize / heads; }

        @Override
        public String toString() {
            return "Text[hidden " + hiddenSize + ", " + layers + " layers, " + heads + "/" + kvHeads + " heads, mlp "
                    + intermediateSize + ", vocab " + vocabSize + ", mrope " + Arrays.toString(mropeSection) + "]";
        }
    }

    /**
     * @param depth             32 blocks
     * @param embedDim          1280
     * @param heads             16
     * @param mlpRatio          4 (fc1 width = embedDim · mlpRatio)
     * @param activation        QuickGELU ({@code quick_gelu})
     * @param outHidden         merger output width = the decoder's hidden size (3584)
     * @param inChannels        3
     * @param patchSize         14
     * @param temporalPatchSize 2
     * @param spatialMergeSize  2 (a 2×2 window of patches becomes one decoder token)
     * @param ropeTheta         10000
     */
    public record Vision(int depth, int embedDim, int heads, int mlpRatio, Activation activation, int outHidden,
                         int inChannels, int patchSize, int temporalPatchSize, int spatialMergeSize, double ropeTheta) {
        public Vision {
            if (heads <= 0 || embedDim % heads != 0)
                throw new IllegalArgumentException("vision embed_dim " + embedDim + " is not divisible by num_heads " + heads);
        }

        public int headDim() { return embedDim / heads; }

        /** Columns of one flattened patch row: C · T · P · P (1176). */
        public int patchDim() { return inChannels * temporalPatchSize * patchSize * patchSize; }

        /** Width of one merged token before the merger MLP: embedDim · merge² (5120). */
        public int mergedDim() { return embedDim * spatialMergeSize * spatialMergeSize; }
    }

    /** Reads {@code config.json}; unsupported values (another rope type, sliding window) are errors naming the file. */
    public static Qwen2VlConfig parse(Path file) {
        JsonObject o = ConfigJson.read(file);
        try {
            JsonObject t = o.has("text_config") && o.get("text_config").isJsonObject() ? merged(o, o.getAsJsonObject("text_config")) : o;
            if (ConfigJson.flag(t, "use_sliding_window", false))
                throw new IllegalArgumentException("use_sliding_window true is not supported");
            String act = ConfigJson.string(t, "hidden_act", "silu");
            if (!act.equals("silu")) throw new IllegalArgumentException("hidden_act '" + act + "' is not supported (silu)");
            int hidden = ConfigJson.integer(t, "hidden_size", 8192);
            int heads = ConfigJson.integer(t, "num_attention_heads", 64);
            JsonObject rope = rope(t);
            double theta = ConfigJson.number(rope, "rope_theta", ConfigJson.number(t, "rope_theta", 1e6));
            Text text = new Text(ConfigJson.integer(t, "vocab_size", 152064), hidden,
                    ConfigJson.integer(t, "num_hidden_layers", 80), heads,
                    ConfigJson.integer(t, "num_key_value_heads", heads), ConfigJson.integer(t, "intermediate_size", 29568),
                    ConfigJson.number(t, "rms_norm_eps", 1e-5), theta, mropeSection(rope));

            JsonObject v = o.has("vision_config") && o.get("vision_config").isJsonObject() ? o.getAsJsonObject("vision_config") : new JsonObject();
            JsonObject vrope = v.has("rope_parameters") && v.get("rope_parameters").isJsonObject() ? v.getAsJsonObject("rope_parameters") : new JsonObject();
            Vision vision = new Vision(ConfigJson.integer(v, "depth", 32), ConfigJson.integer(v, "embed_dim", 1280),
                    ConfigJson.integer(v, "num_heads", 16), ConfigJson.integer(v, "mlp_ratio", 4),
                    Activation.fromHuggingFace(ConfigJson.string(v, "hidden_act", "quick_gelu"), file + " vision_config.hidden_act"),
                    ConfigJson.integer(v, "hidden_size", 3584), ConfigJson.integer(v, "in_channels", ConfigJson.integer(v, "in_chans", 3)),
                    ConfigJson.integer(v, "patch_size", 14), ConfigJson.integer(v, "temporal_patch_size", 2),
                    ConfigJson.integer(v, "spatial_merge_size", 2), ConfigJson.number(vrope, "rope_theta", 10000.0));
            if (vision.outHidden() != text.hiddenSize())
                throw new IllegalArgumentException("vision_config.hidden_size " + vision.outHidden() + " must equal the decoder's hidden_size " + text.hiddenSize());
            return new Qwen2VlConfig(text, vision, ConfigJson.integer(o, "image_token_id", 151655),
                    ConfigJson.integer(o, "vision_start_token_id", 151652));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** Top-level fields with the nested text_config's on top (transformers reads text fields from either). */
    private static JsonObject merged(JsonObject top, JsonObject text) {
        JsonObject m = top.deepCopy();
        for (var e : text.entrySet()) m.add(e.getKey(), e.getValue());
        return m;
    }

    private static JsonObject rope(JsonObject t) {
        for (String key : new String[] {"rope_parameters", "rope_scaling"}) {
            JsonElement e = t.get(key);
            if (e != null && e.isJsonObject()) {
                JsonObject r = e.getAsJsonObject();
                String type = ConfigJson.string(r, "rope_type", ConfigJson.string(r, "type", "default"));
                if (!type.equals("mrope") && !type.equals("default"))
                    throw new IllegalArgumentException(key + " type '" + type + "' is not supported (mrope)");
                return r;
            }
        }
        return new JsonObject();
    }

    private static int[] mropeSection(JsonObject rope) {
        int[] s = ConfigJson.ints(rope, "mrope_section", new int[] {16, 24, 24}); // Qwen2VLRotaryEmbedding's default
        if (s.length != 3) throw new IllegalArgumentException("mrope_section must have 3 entries (t, h, w), got " + Arrays.toString(s));
        return s;
    }
}

package dev.palate.models.clip;

import static dev.palate.models.ConfigJson.has;
import static dev.palate.models.ConfigJson.integer;
import static dev.palate.models.ConfigJson.number;
import static dev.palate.models.ConfigJson.read;
import static dev.palate.models.ConfigJson.string;

import java.nio.file.Path;

import com.google.gson.JsonObject;

import dev.palate.engine.nn.Activation;

/**
 * The hyper-parameters of a CLIP model: a ViT image tower and a causal text tower, each projected to
 * {@code embedDim}. Parsed from the checkpoint's own config ({@code open_clip_config.json} or Hugging Face
 * {@code config.json}) or taken from a preset ({@link #vitL14()}, {@link #vitH14()}) when a checkpoint carries none.
 *
 * @param source where the values came from, for error messages
 */
public record ClipConfig(Vision vision, Text text, int embedDim, String source) {

    /**
     * @param width     hidden width W
     * @param layers    residual blocks
     * @param heads     attention heads (W / heads = head dim)
     * @param patchSize conv1 kernel = stride
     * @param imageSize input side S; S / patch tokens per side plus one class token
     * @param mlpWidth  hidden width of the block MLP (4W for every known CLIP)
     */
    public record Vision(int width, int layers, int heads, int patchSize, int imageSize, int mlpWidth,
                         Activation activation, double eps) {
        public int gridSize() { return imageSize / patchSize; }

        /** Tokens per image: the patches plus the class token. */
        public int tokens() { return gridSize() * gridSize() + 1; }
    }

    /** @param contextLength token positions (77) */
    public record Text(int contextLength, int vocabSize, int width, int heads, int layers, int mlpWidth,
                       Activation activation, double eps) {}

    public ClipConfig {
        check(vision.width % vision.heads == 0, source, "vision width " + vision.width + " is not divisible by its " + vision.heads + " heads");
        check(text.width % text.heads == 0, source, "text width " + text.width + " is not divisible by its " + text.heads + " heads");
        check(vision.imageSize % vision.patchSize == 0, source, "image size " + vision.imageSize + " is not a multiple of patch size " + vision.patchSize);
        check(vision.layers > 0 && text.layers > 0 && embedDim > 0, source, "layers and embed_dim must be positive");
    }

    /** OpenAI CLIP ViT-L/14 (QuickGELU), as in {@code openai/clip-vit-large-patch14} and open_clip {@code ViT-L-14} openai. */
    public static ClipConfig vitL14() {
        return new ClipConfig(new Vision(1024, 24, 16, 14, 224, 4096, Activation.QUICK_GELU, 1e-5),
                new Text(77, 49408, 768, 12, 12, 3072, Activation.QUICK_GELU, 1e-5), 768, "preset ViT-L-14 (OpenAI, QuickGELU)");
    }

    /** LAION open_clip ViT-H-14 (erf GELU, head width 80), the backbone of PickScore, HPSv2, ICT and HP. */
    public static ClipConfig vitH14() {
        return new ClipConfig(new Vision(1280, 32, 16, 14, 224, 5120, Activation.GELU, 1e-5),
                new Text(77, 49408, 1024, 16, 24, 4096, Activation.GELU, 1e-5), 1024, "preset ViT-H-14 (LAION, GELU)");
    }

    /**
     * The preset whose image tower has this width and depth (what a checkpoint without a config is matched by).
     *
     * @throws IllegalArgumentException naming {@code file} when no preset fits
     */
    public static ClipConfig presetFor(int visionWidth, int visionLayers, Path file) {
        for (ClipConfig c : new ClipConfig[] {vitL14(), vitH14()})
            if (c.vision.width == visionWidth && c.vision.layers == visionLayers) return c;
        throw new IllegalArgumentException(file + " has no config (open_clip_config.json or config.json) and its image tower ("
                + "width " + visionWidth + ", " + visionLayers + " layers) matches no preset (ViT-L-14: 1024/24, ViT-H-14: 1280/32): "
                + "put the model's open_clip_config.json or config.json next to it");
    }

    /** Parses open_clip's model config ({@code open_clip_config.json}: top level or under {@code model_cfg}). */
    public static ClipConfig parseOpenClip(Path file) {
        JsonObject root = read(file);
        JsonObject cfg = root.has("model_cfg") ? root.getAsJsonObject("model_cfg") : root;
        String src = file.toString();
        JsonObject v = obj(cfg, "vision_cfg", src), t = obj(cfg, "text_cfg", src);
        for (String k : new String[] {"timm_model_name", "hf_model_name"})
            if (has(v, k) || has(t, k))
                throw new IllegalArgumentException(src + ": '" + k + "' towers are not supported; only the ViT/transformer CLIP towers are");
        if (v.has("layers") && !v.get("layers").isJsonPrimitive())
            throw new IllegalArgumentException(src + ": vision_cfg.layers is a list (a ResNet tower), which is not supported");
        rejectFlag(v, "attentional_pool", src);
        rejectFlag(t, "no_causal_mask", src);
        rejectFlag(t, "embed_cls", src);
        rejectFlag(t, "proj_bias", src);
        if (has(v, "ls_init_value") || has(t, "ls_init_value"))
            throw new IllegalArgumentException(src + ": layer scale (ls_init_value) is not supported");
        String vPool = string(v, "pool_type", "tok"), tPool = string(t, "pool_type", "argmax");
        if (!vPool.equals("tok") || !tPool.equals("argmax"))
            throw new IllegalArgumentException(src + ": pool_type " + vPool + "/" + tPool + " is not supported (tok/argmax only)");
        Activation act = cfg.has("quick_gelu") && cfg.get("quick_gelu").getAsBoolean() ? Activation.QUICK_GELU : Activation.GELU;
        int vw = integer(v, "width", 768), headWidth = integer(v, "head_width", 64);
        check(vw % headWidth == 0, src, "vision width " + vw + " is not divisible by head_width " + headWidth);
        Vision vision = new Vision(vw, integer(v, "layers", 12), vw / headWidth, integer(v, "patch_size", 16),
                integer(v, "image_size", 224), (int) Math.round(vw * number(v, "mlp_ratio", 4.0)), act, 1e-5);
        int tw = integer(t, "width", 512);
        Text text = new Text(integer(t, "context_length", 77), integer(t, "vocab_size", 49408), tw, integer(t, "heads", 8),
                integer(t, "layers", 12), (int) Math.round(tw * number(t, "mlp_ratio", 4.0)), act, 1e-5);
        return new ClipConfig(vision, text, integer(cfg, "embed_dim", -1), src);
    }

    /** Parses a Hugging Face {@code CLIPModel} {@code config.json}, with transformers' defaults for omitted fields. */
    public static ClipConfig parseHuggingFace(Path file) {
        JsonObject root = read(file);
        String src = file.toString();
        JsonObject v = root.has("vision_config") ? root.getAsJsonObject("vision_config") : root.getAsJsonObject("vision_config_dict");
        JsonObject t = root.has("text_config") ? root.getAsJsonObject("text_config") : root.getAsJsonObject("text_config_dict");
        if (v == null || t == null)
            throw new IllegalArgumentException(src + ": no vision_config/text_config; is this a CLIPModel config.json?");
        Vision vision = new Vision(integer(v, "hidden_size", 768), integer(v, "num_hidden_layers", 12),
                integer(v, "num_attention_heads", 12), integer(v, "patch_size", 32), integer(v, "image_size", 224),
                integer(v, "intermediate_size", 3072),
                Activation.fromHuggingFace(string(v, "hidden_act", "quick_gelu"), src + " vision_config.hidden_act"),
                number(v, "layer_norm_eps", 1e-5));
        Text text = new Text(integer(t, "max_position_embeddings", 77), integer(t, "vocab_size", 49408),
                integer(t, "hidden_size", 512), integer(t, "num_attention_heads", 8), integer(t, "num_hidden_layers", 12),
                integer(t, "intermediate_size", 2048),
                Activation.fromHuggingFace(string(t, "hidden_act", "quick_gelu"), src + " text_config.hidden_act"),
                number(t, "layer_norm_eps", 1e-5));
        return new ClipConfig(vision, text, integer(root, "projection_dim", 512), src);
    }

    private static JsonObject obj(JsonObject o, String k, String src) {
        if (!o.has(k) || !o.get(k).isJsonObject()) throw new IllegalArgumentException(src + ": missing object '" + k + "'");
        return o.getAsJsonObject(k);
    }

    private static void rejectFlag(JsonObject o, String k, String src) {
        if (has(o, k) && o.get(k).getAsBoolean())
            throw new IllegalArgumentException(src + ": '" + k + "': true is not supported");
    }

    private static void check(boolean ok, String src, String what) {
        if (!ok) throw new IllegalArgumentException(src + ": " + what);
    }
}

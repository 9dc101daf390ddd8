package dev.palate.models.blip;

import java.nio.file.Path;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import dev.palate.models.ConfigJson;

/**
 * Sizes of a BLIP vision tower (BLIP models/vit.py {@code VisionTransformer}): a ViT with a class token, a learned
 * {@code pos_embed}, pre-norm blocks with a fused {@code qkv} Linear and an MLP of ratio 4.
 *
 * <p>The released ImageReward checkpoint carries no vision config ({@code create_vit('large', 224)} is implied), so
 * {@link #vitLarge16()} is the default; a {@code vision_config.json} beside the weights describes any other tower.
 *
 * @param imageSize    input side in pixels (224)
 * @param patchSize    patch side in pixels (16)
 * @param width        token width (1024 for ViT-L)
 * @param layers       number of blocks (24)
 * @param heads        attention heads (16)
 * @param mlpWidth     hidden width of the block MLP (4 × width)
 * @param layerNormEps LayerNorm epsilon of every norm in the tower (BLIP: 1e-6)
 */
public record BlipVisionConfig(int imageSize, int patchSize, int width, int layers, int heads, int mlpWidth,
                               double layerNormEps) {

    public BlipVisionConfig {
        if (imageSize <= 0 || patchSize <= 0 || imageSize % patchSize != 0)
            throw new IllegalArgumentException("vision config: image_size " + imageSize + " is not a positive multiple of"
                    + " patch_size " + patchSize);
        if (width <= 0 || heads <= 0 || width % heads != 0)
            throw new IllegalArgumentException("vision config: width " + width + " is not divisible by heads " + heads);
        if (layers <= 0 || mlpWidth <= 0)
            throw new IllegalArgumentException("vision config: layers and mlp width must be positive");
    }

    /** BLIP {@code create_vit('large', 224)}: ViT-L/16 at 224, as ImageReward v1.0 uses it. */
    public static BlipVisionConfig vitLarge16() {
        return new BlipVisionConfig(224, 16, 1024, 24, 16, 4096, 1e-6);
    }

    /** BLIP {@code create_vit('base', 224)}: ViT-B/16 at 224. */
    public static BlipVisionConfig vitBase16() {
        return new BlipVisionConfig(224, 16, 768, 12, 12, 3072, 1e-6);
    }

    /** Patches per side. */
    public int gridSize() { return imageSize / patchSize; }

    /** Tokens per image: the class token plus one per patch. */
    public int tokens() { return gridSize() * gridSize() + 1; }

    public int headDim() { return width / heads; }

    /**
     * Reads {@code vision_config.json}: {@code image_size}, {@code patch_size}, {@code width}, {@code layers},
     * {@code heads} (required), {@code layer_norm_eps} (default 1e-6), {@code mlp_ratio} (default 4).
     */
    public static BlipVisionConfig parse(Path file) {
        JsonObject o = ConfigJson.read(file);
        try {
            int width = requiredInt(o, "width", file);
            double ratio = ConfigJson.number(o, "mlp_ratio", 4.0);
            return new BlipVisionConfig(requiredInt(o, "image_size", file), requiredInt(o, "patch_size", file), width,
                    requiredInt(o, "layers", file), requiredInt(o, "heads", file), (int) (width * ratio),
                    ConfigJson.number(o, "layer_norm_eps", 1e-6));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    private static int requiredInt(JsonObject o, String field, Path file) {
        JsonElement e = o.get(field);
        if (e == null || !e.isJsonPrimitive())
            throw new IllegalArgumentException("missing integer field '" + field + "' (a BLIP vision_config.json needs"
                    + " image_size, patch_size, width, layers, heads)");
        return e.getAsInt();
    }
}

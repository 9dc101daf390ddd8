package dev.palate.models.blip;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The BLIP "MED" BERT text encoder config, as in ImageReward's {@code med_config.json} (a Hugging Face
 * {@code BertConfig} plus {@code encoder_width} and {@code add_cross_attention}).
 *
 * @param vocabSize         word embedding rows (30524: bert-base-uncased plus [DEC] and [ENC])
 * @param hiddenSize        token width (768)
 * @param layers            {@code num_hidden_layers} (12)
 * @param heads             {@code num_attention_heads} (12)
 * @param intermediateSize  MLP width (3072)
 * @param hiddenAct         {@code gelu} (exact erf) or {@code gelu_new}/{@code gelu_pytorch_tanh} (tanh)
 * @param layerNormEps      1e-12
 * @param maxPositions      {@code max_position_embeddings} (512)
 * @param encoderWidth      width of the image tokens cross-attended to; BLIP overrides the file's value with the
 *                          vision width ({@link #withEncoderWidth})
 * @param crossAttention    {@code add_cross_attention}: ImageReward needs it
 */
public record MedConfig(int vocabSize, int hiddenSize, int layers, int heads, int intermediateSize, String hiddenAct,
                        double layerNormEps, int maxPositions, int encoderWidth, boolean crossAttention) {

    public MedConfig {
        if (hiddenSize <= 0 || heads <= 0 || hiddenSize % heads != 0)
            throw new IllegalArgumentException("med config: hidden_size " + hiddenSize + " is not divisible by"
                    + " num_attention_heads " + heads);
        if (!hiddenAct.equals("gelu") && !hiddenAct.equals("gelu_new") && !hiddenAct.equals("gelu_pytorch_tanh"))
            throw new IllegalArgumentException("med config: hidden_act '" + hiddenAct + "' is not supported (gelu,"
                    + " gelu_new, gelu_pytorch_tanh)");
    }

    /** ImageReward's {@code med_config.json} (BERT-base, vocabulary 30524, cross-attention to 1024-wide tokens). */
    public static MedConfig bertBase() {
        return new MedConfig(30524, 768, 12, 12, 3072, "gelu", 1e-12, 512, 1024, true);
    }

    public int headDim() { return hiddenSize / heads; }

    /** libtorch's {@code gelu} approximate argument: "none" (erf) or "tanh". */
    String geluApproximation() { return hiddenAct.equals("gelu") ? "none" : "tanh"; }

    /** BLIP_Pretrain: {@code encoder_config.encoder_width = vision_width}. */
    public MedConfig withEncoderWidth(int width) {
        return new MedConfig(vocabSize, hiddenSize, layers, heads, intermediateSize, hiddenAct, layerNormEps,
                maxPositions, width, crossAttention);
    }

    /** Reads a {@code med_config.json}; fields BERT defaults when absent, as {@code BertConfig} does. */
    public static MedConfig parse(Path file) {
        JsonObject o;
        try (Reader r = Files.newBufferedReader(file)) {
            o = JsonParser.parseReader(r).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(file + ": not a readable JSON object (" + e.getMessage() + ")", e);
        }
        try {
            String pos = string(o, "position_embedding_type", "absolute");
            if (!pos.equals("absolute"))
                throw new IllegalArgumentException("position_embedding_type '" + pos + "' is not supported (absolute)");
            return new MedConfig(integer(o, "vocab_size", 30522), integer(o, "hidden_size", 768),
                    integer(o, "num_hidden_layers", 12), integer(o, "num_attention_heads", 12),
                    integer(o, "intermediate_size", 3072), string(o, "hidden_act", "gelu"),
                    o.has("layer_norm_eps") ? o.get("layer_norm_eps").getAsDouble() : 1e-12,
                    integer(o, "max_position_embeddings", 512), integer(o, "encoder_width", 768),
                    o.has("add_cross_attention") && o.get("add_cross_attention").getAsBoolean());
        } catch (IllegalArgumentException | IllegalStateException | UnsupportedOperationException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    private static int integer(JsonObject o, String field, int fallback) {
        JsonElement e = o.get(field);
        return e == null || e.isJsonNull() ? fallback : e.getAsInt();
    }

    private static String string(JsonObject o, String field, String fallback) {
        JsonElement e = o.get(field);
        return e == null || e.isJsonNull() ? fallback : e.getAsString();
    }
}

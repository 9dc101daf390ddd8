package dev.palate.models.blip;

import java.nio.file.Path;

import com.google.gson.JsonObject;

import dev.palate.models.ConfigJson;

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
        JsonObject o = ConfigJson.read(file);
        try {
            String pos = ConfigJson.string(o, "position_embedding_type", "absolute");
            if (!pos.equals("absolute"))
                throw new IllegalArgumentException("position_embedding_type '" + pos + "' is not supported (absolute)");
            return new MedConfig(ConfigJson.integer(o, "vocab_size", 30522), ConfigJson.integer(o, "hidden_size", 768),
                    ConfigJson.integer(o, "num_hidden_layers", 12), ConfigJson.integer(o, "num_attention_heads", 12),
                    ConfigJson.integer(o, "intermediate_size", 3072), ConfigJson.string(o, "hidden_act", "gelu"),
                    ConfigJson.number(o, "layer_norm_eps", 1e-12),
                    ConfigJson.integer(o, "max_position_embeddings", 512), ConfigJson.integer(o, "encoder_width", 768),
                    ConfigJson.flag(o, "add_cross_attention", false));
        } catch (IllegalArgumentException | IllegalStateException | UnsupportedOperationException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }
}

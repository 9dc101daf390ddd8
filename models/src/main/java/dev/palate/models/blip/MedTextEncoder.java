package dev.palate.models.blip;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import dev.palate.engine.DType;
import dev.palate.models.blip.ImageRewardKeys.AttentionKeys;
import dev.palate.models.blip.ImageRewardKeys.TextLayerKeys;
import dev.palate.engine.nn.Linear;
import dev.palate.engine.nn.LayerNorm;
import dev.palate.engine.nn.MultiHeadAttention;

/**
 * BLIP's "MED" BERT in the mode ImageReward calls it (BLIP med.py {@code BertModel.forward}, {@code mode='multimodal'},
 * {@code is_decoder=False}): word + absolute position embeddings → LayerNorm; then per layer, post-norm,
 * bidirectional self-attention masked by the attention mask, cross-attention from the text to the image tokens,
 * and the MLP. No token-type embeddings, no pooler.
 */
final class MedTextEncoder {
    private final MedConfig config;
    private final Tensor wordEmbeddings;     // [V, H]
    private final Tensor positionEmbeddings; // [512, H]
    private final LayerNorm embeddingsNorm;
    private final List<Layer> layers;
    private final DType dtype;
    private final Scalar one = new Scalar(1.0);
    private final Scalar maskedScore = new Scalar(10000.0); // (m − 1) · 10000 = (1 − m) · −10000

    /** med.py BertAttention: BertSelfAttention (separate query/key/value) + BertSelfOutput (dense, residual, norm). */
    private record Attention(Linear query, Linear key, Linear value, Linear dense, LayerNorm norm) {}

    private record Layer(Attention self, Attention cross, Linear intermediate, Linear output, LayerNorm outputNorm) {}

    MedTextEncoder(MedConfig c, WeightStore w, DType dtype) {
        if (!c.crossAttention())
            throw new IllegalArgumentException("med config: add_cross_attention is false, but ImageReward cross-attends"
                    + " to the image tokens in every layer");
        this.config = c;
        this.dtype = dtype;
        long h = c.hiddenSize();
        this.wordEmbeddings = w.get(ImageRewardKeys.WORD_EMBEDDINGS, dtype, c.vocabSize(), h);
        this.positionEmbeddings = w.get(ImageRewardKeys.POSITION_EMBEDDINGS, dtype, c.maxPositions(), h);
        this.embeddingsNorm = w.norm(ImageRewardKeys.EMBEDDINGS_NORM, dtype, h, c.layerNormEps());
        this.layers = new ArrayList<>();
        for (int i = 0; i < c.layers(); i++) {
            TextLayerKeys k = TextLayerKeys.of(i);
            layers.add(new Layer(attention(w, k.self(), h), attention(w, k.cross(), c.encoderWidth()),
                    w.linear(k.intermediate(), dtype, c.intermediateSize(), h),
                    w.linear(k.output(), dtype, h, c.intermediateSize()),
                    w.norm(k.outputNorm(), dtype, h, c.layerNormEps())));
        }
        w.keep(one);
        w.keep(maskedScore);
    }

    private Attention attention(WeightStore w, AttentionKeys k, long keyWidth) {
        long h = config.hiddenSize();
        return new Attention(w.linear(k.query(), dtype, h, h), w.linear(k.key(), dtype, h, keyWidth),
                w.linear(k.value(), dtype, h, keyWidth), w.linear(k.dense(), dtype, h, h),
                w.norm(k.norm(), dtype, h, config.layerNormEps()));
    }

    MedConfig config() { return config; }

    /**
     * The cross-attention keys and values of every layer for {@code image} [B, T, Wv] ([B, h, T, d] each). They do not
     * depend on the text, so several prompts against the same images reuse them.
     */
    ImageKeys imageKeys(Tensor image) {
        List<Tensor> keys = new ArrayList<>(layers.size());
        List<Tensor> values = new ArrayList<>(layers.size());
        for (Layer layer : layers) {
            keys.add(heads(layer.cross().key().apply(image)));
            values.add(heads(layer.cross().value().apply(image)));
        }
        return new ImageKeys(keys, values);
    }

    /** Per-layer cross-attention keys and values of a batch of image tokens. */
    record ImageKeys(List<Tensor> keys, List<Tensor> values) {
        long batch() { return keys.get(0).size(0); }
    }

    /**
     * {@code ids} [B, L] int64 and {@code mask} [B, L] (1 = token, 0 = padding) on the model's device,
     * {@code image} the cross-attention keys of B images → last hidden state [B, L, H].
     */
    Tensor forward(Tensor ids, Tensor mask, ImageKeys image) {
        long b = ids.size(0);
        long len = ids.size(1);
        if (image.batch() != b)
            throw new IllegalArgumentException(b + " token rows but " + image.batch() + " images");
        if (len > config.maxPositions())
            throw new IllegalArgumentException(len + " tokens exceed max_position_embeddings " + config.maxPositions());
        // med.py BertEmbeddings: position_ids = arange(L); word + position, LayerNorm (dropout is off in eval)
        Tensor x = torch.embedding(wordEmbeddings, ids).add(positionEmbeddings.narrow(0, 0, len)); // [B, L, H]
        x = embeddingsNorm.apply(x);
        // get_extended_attention_mask: (1 − m) · −10000, broadcast over heads and queries
        Tensor additive = mask.to(dtype.scalarType()).sub(one).mul(maskedScore).reshape(b, 1, 1, len); // [B, 1, 1, L]
        // The image mask is all ones (ImageReward's image_atts), so cross-attention needs none.
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            Attention self = layer.self();
            Tensor a = attend(self, x, heads(self.key().apply(x)), heads(self.value().apply(x)), additive);
            Tensor c = attend(layer.cross(), a, image.keys().get(i), image.values().get(i), null);
            Tensor ff = layer.output().apply(torch.gelu(layer.intermediate().apply(c), config.geluApproximation()));
            x = layer.outputNorm().apply(ff.add(c));
        }
        return x;
    }

    /** [B, n, H] → [B, h, n, d] (med.py transpose_for_scores). */
    private Tensor heads(Tensor x) {
        return MultiHeadAttention.splitHeads(x, config.heads());
    }

    /** BertAttention: softmax(q kᵀ / √d + mask) v, then LayerNorm(dense(ctx) + q-side input). */
    private Tensor attend(Attention at, Tensor queries, Tensor k, Tensor v, Tensor maskOrNull) {
        Tensor q = heads(at.query().apply(queries));                                  // [B, h, L, d]
        Tensor ctx = MultiHeadAttention.mergeHeads(MultiHeadAttention.attendHeads(q, k, v, maskOrNull, false)); // [B, L, H]
        return at.norm().apply(at.dense().apply(ctx).add(queries));
    }
}

package dev.palate.models.blip;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one table of checkpoint names ImageReward reads, in the released file's own naming (the keys of the
 * {@code ImageReward} module: {@code blip.visual_encoder.*} from BLIP vit.py, {@code blip.text_encoder.*} from BLIP
 * med.py {@code BertModel}, {@code mlp.layers.*} from ImageReward.py {@code MLP}). {@code model.safetensors}
 * conversions use the same names.
 */
final class ImageRewardKeys {
    private ImageRewardKeys() {}

    static final String VISION = "blip.visual_encoder.";
    static final String TEXT = "blip.text_encoder.";
    static final String HEAD = "mlp.layers.";

    /**
     * Keys of the released file that ImageReward never reads (its {@code load_state_dict(strict=False)} skips them):
     * the ITC projections of BLIP_Pretrain and BERT's position-id buffer. Any other unknown key is an error.
     */
    static final Set<String> KNOWN_UNUSED = Set.of(
            "blip.vision_proj.*", "blip.text_proj.*", TEXT + "embeddings.position_ids", TEXT + "pooler.*");

    record LinearKeys(String weight, String bias) {
        static LinearKeys at(String module) { return new LinearKeys(module + ".weight", module + ".bias"); }
    }

    record NormKeys(String weight, String bias) {
        static NormKeys at(String module) { return new NormKeys(module + ".weight", module + ".bias"); }
    }

    // ---- vision: BLIP vit.py VisionTransformer ----

    static final String CLS_TOKEN = VISION + "cls_token";             // [1, 1, W]
    static final String POS_EMBED = VISION + "pos_embed";             // [1, T, W]
    static final LinearKeys PATCH = LinearKeys.at(VISION + "patch_embed.proj"); // conv [W, 3, P, P] + bias [W]
    static final NormKeys VISION_NORM = NormKeys.at(VISION + "norm");

    /** vit.py Block: {@code x + attn(norm1(x))}, {@code x + mlp(norm2(x))}. */
    record VisionBlockKeys(NormKeys norm1, LinearKeys qkv, LinearKeys proj, NormKeys norm2, LinearKeys fc1,
                           LinearKeys fc2) {
        static VisionBlockKeys of(int i) {
            String b = VISION + "blocks." + i + ".";
            return new VisionBlockKeys(NormKeys.at(b + "norm1"), LinearKeys.at(b + "attn.qkv"),
                    LinearKeys.at(b + "attn.proj"), NormKeys.at(b + "norm2"), LinearKeys.at(b + "mlp.fc1"),
                    LinearKeys.at(b + "mlp.fc2"));
        }
    }

    // ---- text: BLIP med.py BertModel (add_pooling_layer=False) ----

    static final String WORD_EMBEDDINGS = TEXT + "embeddings.word_embeddings.weight";         // [V, H]
    static final String POSITION_EMBEDDINGS = TEXT + "embeddings.position_embeddings.weight"; // [512, H]
    static final NormKeys EMBEDDINGS_NORM = NormKeys.at(TEXT + "embeddings.LayerNorm");

    /** med.py BertAttention: BertSelfAttention's separate query/key/value, then BertSelfOutput dense + LayerNorm. */
    record AttentionKeys(LinearKeys query, LinearKeys key, LinearKeys value, LinearKeys dense, NormKeys norm) {
        static AttentionKeys at(String module) {
            return new AttentionKeys(LinearKeys.at(module + ".self.query"), LinearKeys.at(module + ".self.key"),
                    LinearKeys.at(module + ".self.value"), LinearKeys.at(module + ".output.dense"),
                    NormKeys.at(module + ".output.LayerNorm"));
        }
    }

    /** med.py BertLayer: self-attention, cross-attention ({@code crossattention}), intermediate, output. */
    record TextLayerKeys(AttentionKeys self, AttentionKeys cross, LinearKeys intermediate, LinearKeys output,
                         NormKeys outputNorm) {
        static TextLayerKeys of(int i) {
            String l = TEXT + "encoder.layer." + i + ".";
            return new TextLayerKeys(AttentionKeys.at(l + "attention"), AttentionKeys.at(l + "crossattention"),
                    LinearKeys.at(l + "intermediate.dense"), LinearKeys.at(l + "output.dense"),
                    NormKeys.at(l + "output.LayerNorm"));
        }
    }

    // ---- head: ImageReward.py MLP, nn.Sequential indices of the Linear layers (Dropouts at 1, 3, 5) ----

    static final int[] HEAD_LINEAR_INDICES = {0, 2, 4, 6, 7};
    static final long[] HEAD_WIDTHS = {1024, 128, 64, 16, 1};

    static LinearKeys headLinear(int sequentialIndex) { return LinearKeys.at(HEAD + sequentialIndex); }

    /** Every key the model reads with its shape under {@code c}, for the missing/unexpected check and random models. */
    static Map<String, long[]> shapes(ImageRewardConfig c) {
        Map<String, long[]> k = new LinkedHashMap<>();
        BlipVisionConfig v = c.vision();
        long w = v.width();
        k.put(CLS_TOKEN, new long[]{1, 1, w});
        k.put(POS_EMBED, new long[]{1, v.tokens(), w});
        k.put(PATCH.weight(), new long[]{w, 3, v.patchSize(), v.patchSize()});
        k.put(PATCH.bias(), new long[]{w});
        for (int i = 0; i < v.layers(); i++) {
            VisionBlockKeys b = VisionBlockKeys.of(i);
            norm(k, b.norm1(), w);
            linear(k, b.qkv(), 3 * w, w);
            linear(k, b.proj(), w, w);
            norm(k, b.norm2(), w);
            linear(k, b.fc1(), v.mlpWidth(), w);
            linear(k, b.fc2(), w, v.mlpWidth());
        }
        norm(k, VISION_NORM, w);
        MedConfig t = c.text();
        long h = t.hiddenSize();
        k.put(WORD_EMBEDDINGS, new long[]{t.vocabSize(), h});
        k.put(POSITION_EMBEDDINGS, new long[]{t.maxPositions(), h});
        norm(k, EMBEDDINGS_NORM, h);
        for (int i = 0; i < t.layers(); i++) {
            TextLayerKeys l = TextLayerKeys.of(i);
            attention(k, l.self(), h, h);
            attention(k, l.cross(), h, t.encoderWidth());
            linear(k, l.intermediate(), t.intermediateSize(), h);
            linear(k, l.output(), h, t.intermediateSize());
            norm(k, l.outputNorm(), h);
        }
        long in = h;
        for (int i = 0; i < HEAD_LINEAR_INDICES.length; i++) {
            linear(k, headLinear(HEAD_LINEAR_INDICES[i]), HEAD_WIDTHS[i], in);
            in = HEAD_WIDTHS[i];
        }
        return k;
    }

    private static void attention(Map<String, long[]> k, AttentionKeys a, long h, long keyWidth) {
        linear(k, a.query(), h, h);
        linear(k, a.key(), h, keyWidth);
        linear(k, a.value(), h, keyWidth);
        linear(k, a.dense(), h, h);
        norm(k, a.norm(), h);
    }

    private static void linear(Map<String, long[]> k, LinearKeys l, long out, long in) {
        k.put(l.weight(), new long[]{out, in});
        k.put(l.bias(), new long[]{out});
    }

    private static void norm(Map<String, long[]> k, NormKeys n, long width) {
        k.put(n.weight(), new long[]{width});
        k.put(n.bias(), new long[]{width});
    }
}

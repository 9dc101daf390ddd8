package dev.palate.models.qwen35;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

import dev.palate.engine.DType;
import dev.palate.engine.Device;
import dev.palate.engine.NativeRuntime;
import dev.palate.engine.Tensors;
import dev.palate.engine.generate.Padding;
import dev.palate.engine.nn.KvCache;
import dev.palate.engine.nn.MropeIndex;
import dev.palate.engine.nn.LinearAttentionCache;
import dev.palate.engine.nn.Linear;
import dev.palate.engine.nn.RmsNorm;
import dev.palate.engine.nn.RotaryEmbedding;
import dev.palate.engine.nn.SwiGluMlp;
import dev.palate.engine.weights.KeyMap;
import dev.palate.engine.weights.ScopedWeights;
import dev.palate.engine.weights.StateDict;
import dev.palate.models.ConfigJson;

/**
 * Qwen3.5 for generation (modeling_qwen3_5.py {@code Qwen3_5ForConditionalGeneration}): the vision tower, token
 * embeddings with the image features scattered into the {@code <|image_pad|>} slots, the hybrid decoder — gated
 * delta-net layers and gated full-attention layers, each with zero-centred RMSNorm pre-norms and a SwiGLU MLP —, the
 * final zero-centred norm and the untied LM head. Prompts are left-padded and decoded with a {@link State}: a
 * {@link KvCache} for the full-attention layers and a {@link LinearAttentionCache} for the delta-net layers.
 */
public final class Qwen35Model implements AutoCloseable {
    /** transformers ≥ 4.52 / released layout ← DiffSynth's wrapper layout (its UnifiedReward converter). */
    static final KeyMap DIFFSYNTH_TO_HF = KeyMap.builder().exact("model.lm_head.weight", "lm_head.weight").prefix("model.model.", "model.").build();

    private final Qwen35Config config;
    private final DType dtype;
    private final Device device;
    private final Qwen35Vision vision;
    private final Tensor embedTokens, lmHead;
    private final List<Layer> layers = new ArrayList<>();
    private final RmsNorm norm;
    private final List<Tensor> owned;
    private final String description;

    /** One decoder layer: token mixer (delta-net or attention) and MLP, each behind a zero-centred RMSNorm. */
    private record Layer(RmsNorm inputNorm, Qwen35GatedDeltaNet deltaNet, Qwen35Attention attention, RmsNorm postNorm, SwiGluMlp mlp) {}

    private Qwen35Model(Qwen35Config config, ScopedWeights w, boolean tied, List<Tensor> owned, String description) {
        this.config = config;
        this.dtype = w.dtype();
        this.device = w.device();
        this.owned = owned;
        this.description = description;
        vision = new Qwen35Vision(w.at("model").at("visual"), config.vision());
        ScopedWeights t = w.at("model").at("language_model");
        embedTokens = t.get("embed_tokens.weight");
        Qwen35Config.Text c = config.text();
        int slot = 0;
        for (int i = 0; i < c.layers(); i++) {
            ScopedWeights l = t.at("layers").at(i);
            ScopedWeights m = l.at("mlp");
            layers.add(new Layer(RmsNorm.zeroCentred(l.get("input_layernorm.weight"), c.rmsNormEps()),
                    c.linearLayer()[i] ? new Qwen35GatedDeltaNet(l.at("linear_attn"), c, i) : null,
                    c.linearLayer()[i] ? null : new Qwen35Attention(l.at("self_attn"), c, slot++),
                    RmsNorm.zeroCentred(l.get("post_attention_layernorm.weight"), c.rmsNormEps()),
                    new SwiGluMlp(new Linear(m.get("gate_proj.weight"), null), new Linear(m.get("up_proj.weight"), null),
                            new Linear(m.get("down_proj.weight"), null))));
        }
        norm = RmsNorm.zeroCentred(t.get("norm.weight"), c.rmsNormEps());
        lmHead = tied ? embedTokens : w.get("lm_head.weight");
    }

    /** Loads a model folder ({@code config.json} + weights, sharded or not; HF or DiffSynth layout), strictly. */
    public static Qwen35Model load(Path folder, Device device, DType dtype) {
        NativeRuntime.ensureLoaded();
        Path configFile = folder.resolve("config.json");
        if (!Files.isRegularFile(configFile)) throw new IllegalArgumentException(folder + " has no config.json; pass the Qwen3.5 model folder");
        Qwen35Config config = Qwen35Config.parse(configFile);
        boolean tied = ConfigJson.flag(ConfigJson.read(configFile), "tie_word_embeddings", false);
        List<Tensor> owned = new ArrayList<>();
        try (StateDict raw = StateDict.load(folder); PointerScope scope = new PointerScope()) {
            StateDict sd = raw;
            for (String k : raw.keys()) if (k.startsWith("model.model.")) { sd = raw.renamed(DIFFSYNTH_TO_HF); break; }
            // the multi-token-prediction head (mtp.*) is for speculative decoding, which scoring never uses
            sd.requireKeys(expectedKeys(config, tied), Set.of("mtp.*"));
            ScopedWeights w = new ScopedWeights(sd::get, device.requireAvailable(), dtype, owned, new HashSet<>());
            return new Qwen35Model(config, w, tied, owned, raw.source() + " (Qwen3.5 " + config.text() + ", " + dtype.label() + " on " + device + ")");
        } catch (RuntimeException e) {
            for (Tensor t : owned) t.releaseReference();
            throw e;
        }
    }

    static Set<String> expectedKeys(Qwen35Config c, boolean tied) {
        Set<String> keys = new LinkedHashSet<>();
        String v = "model.visual.";
        for (String k : new String[] {"patch_embed.proj.weight", "patch_embed.proj.bias", "pos_embed.weight"}) keys.add(v + k);
        for (int i = 0; i < c.vision().depth(); i++)
            for (String m : new String[] {"norm1", "norm2", "attn.qkv", "attn.proj", "mlp.linear_fc1", "mlp.linear_fc2"}) {
                keys.add(v + "blocks." + i + "." + m + ".weight");
                keys.add(v + "blocks." + i + "." + m + ".bias");
            }
        for (String m : new String[] {"norm", "linear_fc1", "linear_fc2"}) {
            keys.add(v + "merger." + m + ".weight");
            keys.add(v + "merger." + m + ".bias");
        }
        String t = "model.language_model.";
        keys.add(t + "embed_tokens.weight");
        keys.add(t + "norm.weight");
        for (int i = 0; i < c.text().layers(); i++) {
            String p = t + "layers." + i + ".";
            for (String k : new String[] {"input_layernorm.weight", "post_attention_layernorm.weight", "mlp.gate_proj.weight",
                    "mlp.up_proj.weight", "mlp.down_proj.weight"}) keys.add(p + k);
            if (c.text().linearLayer()[i]) {
                for (String k : new String[] {"in_proj_qkv.weight", "in_proj_z.weight", "in_proj_b.weight", "in_proj_a.weight",
                        "out_proj.weight", "conv1d.weight", "A_log", "dt_bias", "norm.weight"}) keys.add(p + "linear_attn." + k);
            } else {
                for (String m : new String[] {"q_proj", "k_proj", "v_proj", "o_proj"}) {
                    keys.add(p + "self_attn." + m + ".weight");
                    if (c.text().attentionBias()) keys.add(p + "self_attn." + m + ".bias");
                }
                keys.add(p + "self_attn.q_norm.weight");
                keys.add(p + "self_attn.k_norm.weight");
            }
        }
        if (!tied) keys.add("lm_head.weight");
        return keys;
    }

    public Qwen35Config config() { return config; }

    public DType dtype() { return dtype; }

    /** The decoding state of one batch: attention KV cache and delta-net states. */
    public static final class State implements AutoCloseable {
        /** Builds a state from its parts (benchmarks of single layers). */
        final KvCache attention;
        final LinearAttentionCache linear;

        public State(KvCache attention, LinearAttentionCache linear) {
            this.attention = attention;
            this.linear = linear;
        }

        @Override
        public void close() {
            attention.close();
            linear.close();
        }
    }

    public State newState(int batch, int capacity) {
        Qwen35Config.Text t = config.text();
        return new State(new KvCache(Math.max(1, t.attentionLayers().length), batch, t.kvHeads(), capacity, t.headDim(), dtype, device),
                new LinearAttentionCache(t.layers()));
    }

    /** Prompts to prefill, as {@code Qwen3VlModel.Batch}: ids per row, all rows' image patches and grids in row order. */
    public record Batch(List<int[]> ids, Tensor pixelValues, List<int[]> grids, List<Integer> imagesPerRow) {}

    /** logits [B, V] at each row's last token; positions of each row; the position of each row's first new token. */
    public record Prefill(Tensor logits, Padding padding, List<MropeIndex> positions, long[] nextPosition, Tensor visionOutput) {}

    public Prefill prefill(Batch in, State state) {
        int b = in.ids().size();
        int[] lengths = new int[b];
        for (int r = 0; r < b; r++) lengths[r] = in.ids().get(r).length;
        Padding pad = new Padding(lengths);
        int l = pad.width(), width = config.text().hiddenSize();
        org.bytedeco.pytorch.Device dev = embedTokens.device();
        long[] flat = new long[b * l], pos = new long[3 * b * l], next = new long[b];
        byte[] valid = new byte[b * l];
        List<MropeIndex> rowPositions = new ArrayList<>();
        List<Long> slots = new ArrayList<>();
        int image = 0;
        for (int r = 0; r < b; r++) {
            int[] ids = in.ids().get(r);
            int off = pad.offset(r);
            List<int[]> grids = in.grids().subList(image, image + in.imagesPerRow().get(r));
            image += in.imagesPerRow().get(r);
            MropeIndex p = MropeIndex.of(ids, grids, config.imageTokenId(), config.vision().spatialMergeSize());
            rowPositions.add(p);
            next[r] = ids.length + p.delta();
            for (int i = 0; i < ids.length; i++) {
                flat[r * l + off + i] = ids[i];
                valid[r * l + off + i] = 1;
                for (int s = 0; s < 3; s++) pos[(s * b + r) * l + off + i] = p.ids()[s][i];
                if (ids[i] == config.imageTokenId()) slots.add((long) r * l + off + i);
            }
            for (int i = 0; i < off; i++) flat[r * l + i] = ids[0]; // masked / zeroed: never read
        }
        Tensor x = torch.embedding(embedTokens, Tensors.fromLongs(flat, b, l).to(dev, DType.I64.scalarType()));
        Tensor visionOut = null;
        if (!slots.isEmpty()) {
            visionOut = vision.forward(in.pixelValues(), in.grids());
            if (visionOut.size(0) != slots.size())
                throw new IllegalArgumentException("image features and image tokens do not match: " + slots.size()
                        + " <|image_pad|> tokens, " + visionOut.size(0) + " image features");
            Tensor index = Tensors.fromLongs(slots.stream().mapToLong(Long::longValue).toArray(), slots.size()).to(dev, DType.I64.scalarType());
            x = x.reshape(b * l, width).index_copy(0, index, visionOut.to(x.scalar_type())).reshape(b, l, width);
        }
        Tensor validMask = pad.none() ? null : Tensors.fromBytes(valid, b, l).to(dev, DType.BOOL.scalarType());
        x = run(x, rope(Tensors.fromLongs(pos, 3, b, l).to(dev, DType.I64.scalarType())), pad.prefillMask(dev), validMask, state);
        state.attention.advance(l);
        Tensor last = norm.apply(x.narrow(1, l - 1, 1)).squeeze(1);
        return new Prefill(torch.linear(last, lmHead, new TensorOptional()), pad, rowPositions, next, visionOut);
    }

    /** One decoding step for every row at {@code positions[r]} → logits [B, V]. */
    public Tensor step(long[] tokens, long[] positions, Padding padding, State state) {
        int b = tokens.length;
        org.bytedeco.pytorch.Device dev = embedTokens.device();
        Tensor x = torch.embedding(embedTokens, Tensors.fromLongs(tokens, b, 1).to(dev, DType.I64.scalarType()));
        long[] pos = new long[3 * b];
        for (int s = 0; s < 3; s++) System.arraycopy(positions, 0, pos, s * b, b);
        x = run(x, rope(Tensors.fromLongs(pos, 3, b, 1).to(dev, DType.I64.scalarType())), padding.stepMask(state.attention.length() + 1, dev), null, state);
        state.attention.advance(1);
        return torch.linear(norm.apply(x).squeeze(1), lmHead, new TensorOptional());
    }

    private Tensor run(Tensor x, RotaryEmbedding.CosSin cs, Tensor mask, Tensor validOrNull, State state) {
        for (Layer layer : layers) {
            Tensor h = layer.inputNorm().apply(x);
            h = layer.deltaNet() != null ? layer.deltaNet().forward(h, validOrNull, state.linear)
                    : layer.attention().forward(h, cs.cos(), cs.sin(), mask, state.attention);
            x = x.add(h);
            x = x.add(layer.mlp().apply(layer.postNorm().apply(x)));
        }
        return x;
    }

    private RotaryEmbedding.CosSin rope(Tensor positions) {
        Qwen35Config.Text t = config.text();
        return RotaryEmbedding.mrope(RotaryEmbedding.inverseFrequencies(t.ropeTheta(), t.rotaryDim()), positions, t.mropeSection(),
                RotaryEmbedding.MropeLayout.INTERLEAVED, dtype);
    }

    @Override
    public void close() {
        for (Tensor t : owned) t.releaseReference();
        owned.clear();
    }

    @Override
    public String toString() { return description; }
}

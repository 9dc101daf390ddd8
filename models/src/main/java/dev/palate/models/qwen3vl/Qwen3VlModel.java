package dev.palate.models.qwen3vl;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
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
import dev.palate.engine.nn.RmsNorm;
import dev.palate.engine.nn.RotaryEmbedding;
import dev.palate.engine.weights.ScopedWeights;
import dev.palate.engine.weights.StateDict;
import dev.palate.models.ConfigJson;

/**
 * Qwen3-VL for generation (modeling_qwen3_vl.py {@code Qwen3VLForConditionalGeneration}): vision tower with deepstack
 * features, token embeddings with the merged image features scattered into the {@code <|image_pad|>} slots, Qwen3
 * decoder layers with interleaved M-RoPE, the deepstack features added at the image positions after decoder layers
 * 0, 1, …, final norm and the untied LM head. A batch of prompts is left-padded ({@link Padding}) and decoded with a
 * {@link KvCache}: {@link #prefill} fills it, {@link #step} appends one token per row. Read-only after load: one
 * model serves several generations at once, each with its own cache.
 */
public final class Qwen3VlModel implements AutoCloseable {
    private final Qwen3VlConfig config;
    private final DType dtype;
    private final Device device;
    private final Qwen3VlVision vision;
    private final Tensor embedTokens, lmHead;   // [V, W]
    private final List<Qwen3VlTextLayer> layers = new ArrayList<>();
    private final RmsNorm norm;
    private final List<Tensor> owned;
    private final String description;

    private Qwen3VlModel(Qwen3VlConfig config, ScopedWeights w, boolean tied, List<Tensor> owned, String description) {
        this.config = config;
        this.dtype = w.dtype();
        this.device = w.device();
        this.owned = owned;
        this.description = description;
        vision = new Qwen3VlVision(w.at("model").at("visual"), config.vision());
        ScopedWeights t = w.at("model").at("language_model");
        embedTokens = t.get("embed_tokens.weight");
        for (int i = 0; i < config.text().layers(); i++) layers.add(new Qwen3VlTextLayer(t.at("layers").at(i), config.text(), i));
        norm = RmsNorm.of(t.get("norm.weight"), config.text().rmsNormEps());
        lmHead = tied ? embedTokens : w.get("lm_head.weight");
    }

    /**
     * Loads a model folder ({@code config.json} + {@code model.safetensors} or a sharded index), in the Hugging Face
     * layout or DiffSynth's, strictly (missing and unexpected keys listed).
     */
    public static Qwen3VlModel load(Path folder, Device device, DType dtype) {
        NativeRuntime.ensureLoaded();
        Path configFile = folder.resolve("config.json");
        if (!Files.isRegularFile(configFile))
            throw new IllegalArgumentException(folder + " has no config.json; pass the Qwen3-VL model folder");
        Qwen3VlConfig config = Qwen3VlConfig.parse(configFile);
        boolean tied = ConfigJson.flag(ConfigJson.read(configFile), "tie_word_embeddings", false);
        List<Tensor> owned = new ArrayList<>();
        try (StateDict raw = StateDict.load(folder); PointerScope scope = new PointerScope()) {
            StateDict sd = Qwen3VlNaming.toHuggingFace(raw);
            sd.requireKeys(Qwen3VlNaming.expectedKeys(config, tied), Set.of());
            ScopedWeights w = new ScopedWeights(sd::get, device.requireAvailable(), dtype, owned, new HashSet<>());
            return new Qwen3VlModel(config, w, tied, owned, raw.source() + " (Qwen3-VL " + config.text() + ", " + dtype.label() + " on " + device + ")");
        } catch (RuntimeException e) {
            for (Tensor t : owned) t.releaseReference();
            throw e;
        }
    }

    public Qwen3VlConfig config() { return config; }

    public DType dtype() { return dtype; }

    public Device device() { return device; }

    /** A new cache for {@code batch} rows and up to {@code capacity} positions. */
    public KvCache newCache(int batch, int capacity) {
        Qwen3VlConfig.Text t = config.text();
        return new KvCache(t.layers(), batch, t.kvHeads(), capacity, t.headDim(), dtype, device);
    }

    /**
     * Prompts to prefill: each row's token ids (image slots already expanded) and, for all rows' images in row
     * order, their patches {@code [N, C·T·P·P]} and grids.
     */
    public record Batch(List<int[]> ids, Tensor pixelValues, List<int[]> grids, List<Integer> imagesPerRow) {}

    /**
     * What a prefill computed. {@code logits} [B, V] at each row's last token; {@code positions} the M-RoPE ids of each
     * row's valid tokens; {@code nextPosition} per row the position of its first new token. Intermediates (vision
     * outputs, layer outputs before the deepstack addition) only when asked for.
     */
    public record Prefill(Tensor logits, Padding padding, List<MropeIndex> positions, long[] nextPosition,
                          Tensor visionLastHidden, Tensor visionMerged, List<Tensor> deepstack, Tensor inputsEmbeds,
                          List<Tensor> layerOutputs) {}

    /** Runs the prompts, filling {@code cache} (empty, capacity ≥ the padded length); tensors in the caller's scope. */
    public Prefill prefill(Batch in, KvCache cache, boolean keepIntermediates) {
        int b = in.ids().size();
        int[] lengths = new int[b];
        for (int r = 0; r < b; r++) lengths[r] = in.ids().get(r).length;
        Padding pad = new Padding(lengths);
        int l = pad.width(), width = config.text().hiddenSize();
        org.bytedeco.pytorch.Device dev = embedTokens.device();

        long[] flat = new long[b * l];
        long[] pos = new long[3 * b * l];
        long[] next = new long[b];
        List<MropeIndex> rowPositions = new ArrayList<>();
        List<Long> imageSlots = new ArrayList<>();
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
                for (int s = 0; s < 3; s++) pos[(s * b + r) * l + off + i] = p.ids()[s][i];
                if (ids[i] == config.imageTokenId()) imageSlots.add((long) r * l + off + i);
            }
            for (int i = 0; i < off; i++) flat[r * l + i] = ids[0]; // any id: padded slots are masked and never read
        }
        Tensor tokens = Tensors.fromLongs(flat, b, l).to(dev, DType.I64.scalarType());
        Tensor x = torch.embedding(embedTokens, tokens);                                           // [B, L, W]

        Qwen3VlVision.Output vis = null;
        Tensor slots = null;
        if (!imageSlots.isEmpty()) {
            vis = vision.forward(in.pixelValues(), in.grids());
            if (vis.merged().size(0) != imageSlots.size())
                throw new IllegalArgumentException("image features and image tokens do not match: " + imageSlots.size()
                        + " <|image_pad|> tokens, " + vis.merged().size(0) + " image features");
            slots = Tensors.fromLongs(imageSlots.stream().mapToLong(Long::longValue).toArray(), imageSlots.size()).to(dev, DType.I64.scalarType());
            x = x.reshape(b * l, width).index_copy(0, slots, vis.merged().to(x.scalar_type())).reshape(b, l, width);
        }
        Tensor inputsEmbeds = x;
        RotaryEmbedding.CosSin cs = rope(Tensors.fromLongs(pos, 3, b, l).to(dev, DType.I64.scalarType()));
        Tensor mask = pad.prefillMask(dev);
        List<Tensor> outs = keepIntermediates ? new ArrayList<>() : null;
        for (int i = 0; i < layers.size(); i++) {
            x = layers.get(i).forward(x, cs.cos(), cs.sin(), mask, cache);
            if (outs != null) outs.add(x);
            if (vis != null && i < vis.deepstack().size()) x = addAt(x, slots, vis.deepstack().get(i));
        }
        cache.advance(l);
        Tensor last = norm.apply(x.narrow(1, l - 1, 1)).squeeze(1);                             // [B, W]
        Tensor logits = torch.linear(last, lmHead, new TensorOptional());                        // [B, V]
        return new Prefill(logits, pad, rowPositions, next, vis == null ? null : vis.lastHidden(), vis == null ? null : vis.merged(),
                vis == null ? List.of() : vis.deepstack(), inputsEmbeds, outs);
    }

    /**
     * One decoding step: {@code tokens[r]} at position {@code positions[r]} (the same on all three streams: text after
     * the prompt) for every row → logits {@code [B, V]}; the cache grows by one.
     */
    public Tensor step(long[] tokens, long[] positions, Padding padding, KvCache cache) {
        int b = tokens.length;
        org.bytedeco.pytorch.Device dev = embedTokens.device();
        Tensor x = torch.embedding(embedTokens, Tensors.fromLongs(tokens, b, 1).to(dev, DType.I64.scalarType())); // [B, 1, W]
        long[] pos = new long[3 * b];
        for (int s = 0; s < 3; s++) System.arraycopy(positions, 0, pos, s * b, b);
        RotaryEmbedding.CosSin cs = rope(Tensors.fromLongs(pos, 3, b, 1).to(dev, DType.I64.scalarType()));
        Tensor mask = padding.stepMask(cache.length() + 1, dev);
        for (Qwen3VlTextLayer layer : layers) x = layer.forward(x, cs.cos(), cs.sin(), mask, cache);
        cache.advance(1);
        return torch.linear(norm.apply(x).squeeze(1), lmHead, new TensorOptional());
    }

    private RotaryEmbedding.CosSin rope(Tensor positions) {
        return RotaryEmbedding.mrope(RotaryEmbedding.inverseFrequencies(config.text().ropeTheta(), config.text().headDim()),
                positions, config.text().mropeSection(), RotaryEmbedding.MropeLayout.INTERLEAVED, dtype);
    }

    /** {@code x[slots] += features} (modeling_qwen3_vl.py {@code _deepstack_process}) on a copy. */
    private static Tensor addAt(Tensor x, Tensor slots, Tensor features) {
        long b = x.size(0), l = x.size(1), w = x.size(2);
        Tensor flat = x.reshape(b * l, w).clone();
        flat.index_add_(0, slots, features.to(x.scalar_type()));
        return flat.reshape(b, l, w);
    }

    @Override
    public void close() {
        for (Tensor t : owned) t.releaseReference();
        owned.clear();
    }

    @Override
    public String toString() { return description; }
}

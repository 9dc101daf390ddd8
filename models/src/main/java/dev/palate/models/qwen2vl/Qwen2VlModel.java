package dev.palate.models.qwen2vl;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import dev.palate.engine.DType;
import dev.palate.engine.Tensors;
import dev.palate.engine.nn.RmsNorm;
import dev.palate.engine.nn.RotaryEmbedding;
import dev.palate.engine.weights.ScopedWeights;

/**
 * The Qwen2-VL backbone without the LM head: vision tower, token embeddings with the merged image features scattered
 * into the {@code <|image_pad|>} slots, Qwen2 decoder layers with M-RoPE and the final RMSNorm
 * (modeling_qwen2_vl.py {@code Qwen2VLModel.forward} → {@code Qwen2VLTextModel.forward}). Read-only after
 * construction, so one instance serves several threads. The weights belong to whoever built the
 * {@link ScopedWeights}; see {@code Hpsv3RewardModel} for a loader.
 */
public final class Qwen2VlModel {
    private final Qwen2VlConfig config;
    private final Qwen2VlVision vision;
    private final Tensor embedTokens;                 // [V, W]
    private final List<Qwen2DecoderLayer> layers = new ArrayList<>();
    private final RmsNorm norm;                       // [W]
    private final DType dtype;

    /** Builds from flat-layout weights ({@link Qwen2VlNaming}); {@code lm_head} is not read. */
    public Qwen2VlModel(ScopedWeights w, Qwen2VlConfig config) {
        this.config = config;
        this.dtype = w.dtype();
        this.vision = new Qwen2VlVision(w.at("visual"), config.vision());
        ScopedWeights m = w.at("model");
        embedTokens = m.get("embed_tokens.weight");
        for (int i = 0; i < config.text().layers(); i++) layers.add(new Qwen2DecoderLayer(m.at("layers").at(i), config.text()));
        norm = RmsNorm.of(m.get("norm.weight"), config.text().rmsNormEps());
    }

    public Qwen2VlConfig config() { return config; }

    public DType dtype() { return dtype; }

    /** One batch of prompts with their images. */
    public record Input(long[][] ids /* [B, L], right-padded */, int[] lengths, Tensor pixelValues /* [N, C·T·P·P] */,
                        List<int[]> grids, long[] positions /* [3, B, L] */) {}

    /** What a forward computed; {@code layerOutputs} only when asked for. */
    public record Output(Tensor visionLastHidden, Tensor imageEmbeds, Tensor inputsEmbeds, List<Tensor> layerOutputs,
                         Tensor lastHidden /* [B, L, W] after the final norm */) {}

    /** Runs the backbone; all tensors belong to the caller's scope. */
    public Output forward(Input in, boolean keepLayerOutputs) {
        int b = in.ids().length, l = in.ids()[0].length;
        org.bytedeco.pytorch.Device dev = embedTokens.device();
        long[] flat = new long[b * l];
        for (int i = 0; i < b; i++) System.arraycopy(in.ids()[i], 0, flat, i * l, l);
        Tensor ids = Tensors.fromLongs(flat, b, l).to(dev, DType.I64.scalarType());
        Tensor embeds = torch.embedding(embedTokens, ids);                                  // [B, L, W]

        Qwen2VlVision.Output vis = null;
        if (in.pixelValues() != null) {
            vis = vision.forward(in.pixelValues(), in.grids());
            Tensor imageMask = ids.eq(new org.bytedeco.pytorch.Scalar(config.imageTokenId()));   // [B, L]
            long slots = imageMask.sum().item_long();
            if (slots != vis.merged().size(0))
                throw new IllegalArgumentException("image features and image tokens do not match: " + slots
                        + " <|image_pad|> tokens, " + vis.merged().size(0) + " image features");
            // masked_scatter fills the slots in row-major order: image after image, as upstream
            embeds = embeds.masked_scatter(imageMask.unsqueeze(-1).expand_as(embeds), vis.merged().to(embeds.scalar_type()));
        }

        Tensor positions = Tensors.fromLongs(in.positions(), 3, b, l).to(dev, DType.I64.scalarType());
        Tensor invFreq = RotaryEmbedding.inverseFrequencies(config.text().ropeTheta(), config.text().headDim());
        RotaryEmbedding.CosSin cs = RotaryEmbedding.mrope(invFreq, positions, config.text().mropeSection(),
                RotaryEmbedding.MropeLayout.CONTIGUOUS, dtype);                             // [B, L, D]
        Tensor mask = paddingCausalMask(in.lengths(), l, dev);

        Tensor x = embeds;
        List<Tensor> outs = keepLayerOutputs ? new ArrayList<>() : null;
        for (Qwen2DecoderLayer layer : layers) {
            x = layer.forward(x, cs.cos(), cs.sin(), mask);
            if (outs != null) outs.add(x);
        }
        return new Output(vis == null ? null : vis.lastHidden(), vis == null ? null : vis.merged(), embeds, outs, norm.apply(x));
    }

    /**
     * Causal mask that also hides right padding from every query: bool [B, 1, L, L], true = attend; null when no row
     * is padded (plain causal attention then, as transformers' create_causal_mask returns None for SDPA).
     */
    static Tensor paddingCausalMask(int[] lengths, int l, org.bytedeco.pytorch.Device dev) {
        boolean padded = false;
        for (int n : lengths) padded |= n < l;
        if (!padded) return null;
        int b = lengths.length;
        byte[] m = new byte[b * l * l];
        for (int r = 0; r < b; r++)
            for (int i = 0; i < l; i++)
                for (int j = 0; j <= i && j < lengths[r]; j++) m[(r * l + i) * l + j] = 1;
        return Tensors.fromBytes(m, b, 1, l, l).to(dev, DType.BOOL.scalarType());
    }
}

package dev.palate.models.clip;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import dev.palate.engine.DType;
import dev.palate.engine.Device;
import dev.palate.engine.NativeRuntime;
import dev.palate.engine.NativeScope;
import dev.palate.engine.Tensors;
import dev.palate.engine.weights.StateDict;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/**
 * A CLIP model (image and text towers with their projections) on one device in one dtype. Loads open_clip naming
 * (plain state dicts, HPSv2's {@code {"state_dict": ...}} {@code .pt}) and Hugging Face {@code CLIPModel} naming
 * ({@code config.json} + {@code model.safetensors} or {@code pytorch_model.bin}, sharded or not).
 *
 * <p>Towers run in the model's dtype; embeddings leave as fp32 so that normalisation, similarities and heads are
 * always computed in fp32. Forward passes only read the weights, so one model serves several threads at once.
 */
public final class ClipModel implements AutoCloseable {
    private final ClipConfig config;
    private final Device device;
    private final DType dtype;
    private final String description;
    private final List<Tensor> owned;
    private final ClipVision vision;
    private final ClipText text;
    private final float logitScale;
    private volatile boolean closed;

    private ClipModel(ClipConfig config, Device device, DType dtype, String description, Function<String, Tensor> canonical) {
        NativeRuntime.ensureLoaded();
        this.config = config;
        this.device = device.requireAvailable();
        this.dtype = dtype;
        this.description = description;
        this.owned = new ArrayList<>();
        // A private scope: temporaries of the conversion die here, the kept weights were retained by WeightReader,
        // and an enclosing caller scope never sees them.
        try (PointerScope scope = new PointerScope()) {
            WeightReader w = new WeightReader(key -> checkShape(key, canonical.apply(key)), device, dtype, owned);
            this.vision = new ClipVision(w.at("visual"), config.vision());
            this.text = new ClipText(w, config.text());
            Tensor ls = canonical.apply(OpenClipNaming.LOGIT_SCALE);
            this.logitScale = Tensors.toFloats(ls)[0];
        } catch (RuntimeException e) {
            releaseOwned();
            throw e;
        }
    }

    /**
     * Loads a checkpoint: a folder (weights file and config found inside) or a weight file (config looked for
     * beside it; ViT-L-14 / ViT-H-14 presets when there is none).
     *
     * @throws IllegalArgumentException naming the file when it is no CLIP checkpoint, a key is missing or unexpected,
     *                                  or a tensor has the wrong shape
     */
    public static ClipModel load(Path fileOrFolder, Device device, DType dtype) {
        return load(fileOrFolder, null, device, dtype);
    }

    /**
     * As {@link #load(Path, Device, DType)}, but weights the checkpoint lacks are taken from {@code baseOrNull} (a
     * CLIP checkpoint of the same architecture, in either naming), the way ICT and HP are loaded upstream:
     * {@code load_state_dict(strict=False)} over the LAION ViT-H-14 base. Unexpected keys are still an error.
     */
    public static ClipModel load(Path fileOrFolder, Path baseOrNull, Device device, DType dtype) {
        Path file = ClipCheckpoint.weightsFile(fileOrFolder);
        try (StateDict sd = StateDict.load(file)) {
            ClipCheckpoint ckpt = ClipCheckpoint.inspect(file, sd);
            Set<String> expected = ckpt.expectedFileKeys();
            Set<String> missing = new TreeSet<>(expected);
            missing.removeAll(sd.keys());
            if (missing.isEmpty() || baseOrNull == null) {
                sd.requireKeys(expected, ckpt.naming.knownUnused());
                String desc = file + " (" + ckpt.naming.scheme() + " naming, " + ckpt.config.source() + ")";
                return new ClipModel(ckpt.config, device, dtype, desc, reader(sd, ckpt.naming));
            }
            Set<String> unexpected = new TreeSet<>(sd.keys());
            unexpected.removeAll(expected);
            unexpected.removeAll(ckpt.naming.knownUnused());
            if (!unexpected.isEmpty())
                throw new IllegalArgumentException(file + ": unexpected keys " + unexpected + " for a CLIP model of " + ckpt.config.source());
            Path baseFile = ClipCheckpoint.weightsFile(baseOrNull);
            try (StateDict base = StateDict.load(baseFile)) {
                ClipCheckpoint b = ClipCheckpoint.inspect(baseFile, base);
                base.requireKeys(b.expectedFileKeys(), b.naming.knownUnused());
                String desc = file + " (" + ckpt.naming.scheme() + " naming, " + ckpt.config.source() + "; "
                        + missing.size() + " missing tensors from " + baseFile + ")";
                // shapes are checked against the primary's config as each weight is read
                java.util.function.Predicate<String> fromBase = key -> !sd.keys().containsAll(ckpt.naming.map(key).fileKeys());
                Function<String, Tensor> own = reader(sd, ckpt.naming), other = reader(base, b.naming);
                return new ClipModel(ckpt.config, device, dtype, desc, key -> fromBase.test(key) ? other.apply(key) : own.apply(key));
            }
        }
    }

    /** Canonical key → tensor, read through a naming table. */
    private static Function<String, Tensor> reader(StateDict sd, ClipNaming naming) {
        return key -> {
            ClipNaming.Mapping m = naming.map(key);
            List<Tensor> parts = new ArrayList<>();
            for (String k : m.fileKeys()) parts.add(sd.get(k));
            return m.transform().toCanonical(parts);
        };
    }

    /** Random weights of the real architecture (benchmarks, tests): N(0, 0.02²) matrices, unit norms, logit scale ln 100. */
    public static ClipModel random(ClipConfig config, long seed, Device device, DType dtype) {
        NativeRuntime.ensureLoaded();
        torch.manual_seed(seed);
        return new ClipModel(config, device, dtype, "random weights, " + config.source(), key -> {
            long[] shape = expectedShape(key, config);
            TensorOptions f32 = new TensorOptions(torch.ScalarType.Float);
            if (key.endsWith("ln_1.weight") || key.endsWith("ln_2.weight") || key.endsWith("ln_pre.weight")
                    || key.endsWith("ln_post.weight") || key.endsWith("ln_final.weight"))
                return torch.ones(shape, f32);
            if (key.equals(OpenClipNaming.LOGIT_SCALE)) return torch.full(shape, new org.bytedeco.pytorch.Scalar(Math.log(100)), f32);
            return torch.randn(shape, f32).mul(new org.bytedeco.pytorch.Scalar(0.02));
        });
    }

    /** Weight files a checkpoint folder is searched for, in order of preference. */
    public static List<String> weightFiles() { return ClipCheckpoint.WEIGHT_FILES; }

    public ClipConfig config() { return config; }

    public Device device() { return device; }

    public DType dtype() { return dtype; }

    /** The raw {@code logit_scale} parameter (a log); similarity multipliers use {@code exp} of it. */
    public float logitScale() { return logitScale; }

    /**
     * pixels [B, 3, S, S] float (any device and dtype; moved and cast here) → image embeddings [B, E] in the
     * model's dtype on its device, projected, not normalised. The result belongs to the caller's scope.
     */
    public Tensor encodeImages(Tensor pixels) {
        ensureOpen();
        try (org.bytedeco.pytorch.Device dev = device.toTorch()) {
            return vision.forward(pixels.to(dev, dtype.scalarType()));
        }
    }

    /** token ids [B][C] → text embeddings [B, E] in the model's dtype on its device (caller's scope). */
    public Tensor encodeTexts(int[][] ids) {
        ensureOpen();
        try (org.bytedeco.pytorch.Device dev = device.toTorch()) {
            return text.forward(ids, dev);
        }
    }

    /** Image embeddings as fp32 rows [B][E] (projected, not normalised). */
    public float[][] imageEmbeddings(Tensor pixels) {
        try (NativeScope s = NativeScope.open()) {
            return rows(encodeImages(pixels), config.embedDim());
        }
    }

    /** Text embeddings as fp32 rows [B][E] (projected, not normalised). */
    public float[][] textEmbeddings(int[][] ids) {
        try (NativeScope s = NativeScope.open()) {
            return rows(encodeTexts(ids), config.embedDim());
        }
    }

    @Override
    public String toString() {
        return "ClipModel[" + description + ", " + device + ", " + dtype.label() + "]";
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        releaseOwned();
    }

    private void releaseOwned() {
        for (Tensor t : owned) t.releaseReference();
        owned.clear();
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException(this + " is closed");
    }

    private static float[][] rows(Tensor embeds, int e) {
        float[] flat = Tensors.toFloats(embeds);
        float[][] out = new float[flat.length / e][];
        for (int i = 0; i < out.length; i++) out[i] = Arrays.copyOfRange(flat, i * e, (i + 1) * e);
        return out;
    }

    private Tensor checkShape(String key, Tensor t) {
        long[] want = expectedShape(key, config), got = Tensors.shape(t);
        if (!Arrays.equals(want, got))
            throw new IllegalArgumentException(description + ": weight '" + key + "' has shape " + Arrays.toString(got)
                    + " but the config (" + config.source() + ") implies " + Arrays.toString(want)
                    + "; is the config the one of this checkpoint?");
        return t;
    }

    /** The shape the config implies for a canonical (open_clip) key. */
    static long[] expectedShape(String key, ClipConfig cfg) {
        ClipConfig.Vision v = cfg.vision();
        ClipConfig.Text t = cfg.text();
        boolean visual = key.startsWith("visual.");
        long w = visual ? v.width() : t.width(), m = visual ? v.mlpWidth() : t.mlpWidth();
        String k = key.replaceFirst("^(visual\\.)?transformer\\.resblocks\\.\\d+\\.", "");
        if (!k.equals(key)) {
            switch (k) {
                case "attn.in_proj_weight": return new long[] {3 * w, w};
                case "attn.in_proj_bias": return new long[] {3 * w};
                case "attn.out_proj.weight": return new long[] {w, w};
                case "mlp.c_fc.weight": return new long[] {m, w};
                case "mlp.c_fc.bias": return new long[] {m};
                case "mlp.c_proj.weight": return new long[] {w, m};
                default: return new long[] {w}; // norms, out_proj.bias, c_proj.bias
            }
        }
        switch (key) {
            case "token_embedding.weight": return new long[] {t.vocabSize(), t.width()};
            case "positional_embedding": return new long[] {t.contextLength(), t.width()};
            case "text_projection": return new long[] {t.width(), cfg.embedDim()};
            case "visual.conv1.weight": return new long[] {v.width(), 3, v.patchSize(), v.patchSize()};
            case "visual.positional_embedding": return new long[] {v.tokens(), v.width()};
            case "visual.proj": return new long[] {v.width(), cfg.embedDim()};
            case "logit_scale": return new long[] {};
            default: return new long[] {w}; // class embedding, ln_pre, ln_post, ln_final
        }
    }
}

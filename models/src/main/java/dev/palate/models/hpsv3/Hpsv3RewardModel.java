package dev.palate.models.hpsv3;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

import dev.palate.engine.DType;
import dev.palate.engine.Device;
import dev.palate.engine.NativeRuntime;
import dev.palate.engine.Tensors;
import dev.palate.engine.weights.ScopedWeights;
import dev.palate.engine.weights.StateDict;
import dev.palate.models.qwen2vl.MropePositions;
import dev.palate.models.qwen2vl.Qwen2VlConfig;
import dev.palate.models.qwen2vl.Qwen2VlModel;
import dev.palate.models.qwen2vl.Qwen2VlNaming;

/**
 * HPSv3's {@code Qwen2VLRewardModelBT}: a Qwen2-VL backbone and the fp32 {@link RankNetHead} applied at the
 * {@code <|Reward|>} token (HPSv3 model/qwen2vl_trainer.py forward). The checkpoint is the whole state dict in flat
 * naming (or transformers ≥ 4.52's nested naming), loaded strictly: every key of the backbone and the head present,
 * nothing else. On the CPU in the file's dtype the weights are the memory-mapped tensors themselves.
 */
public final class Hpsv3RewardModel implements AutoCloseable {
    /** Weight files looked for in a folder, in this order. */
    static final List<String> WEIGHT_FILES = List.of("HPSv3.safetensors", "model.safetensors.index.json", "model.safetensors");

    /** Which M-RoPE position ids the decoder gets. */
    public enum Positions {
        /** {@code arange(L)} on all three streams: HPSv3's own forward (inference.py → Qwen2VLRewardModelBT). */
        OFFICIAL,
        /** The 3-D ids of get_rope_index, as DiffSynth's HPSv3RewardModelMixin passes them (scores differ). */
        DIFFSYNTH
    }

    private final Qwen2VlConfig config;
    private final Qwen2VlModel backbone;
    private final RankNetHead head;
    private final List<Tensor> owned;
    private final String description;

    private Hpsv3RewardModel(Qwen2VlConfig config, Qwen2VlModel backbone, RankNetHead head, List<Tensor> owned, String description) {
        this.config = config;
        this.backbone = backbone;
        this.head = head;
        this.owned = owned;
        this.description = description;
    }

    /**
     * Loads the reward model from {@code weights} (a file, or a folder holding one of {@link #WEIGHT_FILES}); the
     * backbone runs in {@code dtype} on {@code device}, the head in fp32.
     *
     * @throws IllegalArgumentException naming the file when keys are missing or unexpected or a shape is wrong
     */
    public static Hpsv3RewardModel load(Path weights, Qwen2VlConfig config, Device device, DType dtype) {
        NativeRuntime.ensureLoaded();
        Path file = weightsFile(weights);
        List<Tensor> owned = new ArrayList<>();
        try (StateDict raw = StateDict.load(file); PointerScope scope = new PointerScope()) {
            StateDict sd = Qwen2VlNaming.toFlat(raw);
            Set<String> expected = new LinkedHashSet<>(Qwen2VlNaming.expectedKeys(config));
            expected.addAll(List.of(RankNetHead.KEYS));
            sd.requireKeys(expected, Set.of());
            checkShapes(sd, config, file);
            Set<String> used = new HashSet<>();
            ScopedWeights w = new ScopedWeights(sd::get, device.requireAvailable(), dtype, owned, used);
            Qwen2VlModel backbone = new Qwen2VlModel(w, config);
            RankNetHead head = new RankNetHead(w);
            return new Hpsv3RewardModel(config, backbone, head, owned,
                    file + " (Qwen2-VL " + config.text() + ", " + dtype.label() + " on " + device + ", head fp32)");
        } catch (RuntimeException e) {
            for (Tensor t : owned) t.releaseReference();
            throw e;
        }
    }

    /** Random weights of {@code config}'s sizes (benchmarks: the 7B architecture without its 16 GB of files). */
    public static Hpsv3RewardModel random(Qwen2VlConfig config, long seed, Device device, DType dtype) {
        NativeRuntime.ensureLoaded();
        List<Tensor> owned = new ArrayList<>();
        try (PointerScope scope = new PointerScope()) {
            ScopedWeights w = new ScopedWeights(dev.palate.models.qwen2vl.RandomQwen2VlWeights.source(config, seed),
                    device.requireAvailable(), dtype, owned, new HashSet<>());
            return new Hpsv3RewardModel(config, new Qwen2VlModel(w, config), new RankNetHead(w), owned,
                    "random weights (" + config.text() + ", " + dtype.label() + " on " + device + ")");
        } catch (RuntimeException e) {
            for (Tensor t : owned) t.releaseReference();
            throw e;
        }
    }

    static Path weightsFile(Path p) {
        if (!Files.isDirectory(p)) return p;
        for (String name : WEIGHT_FILES) if (Files.isRegularFile(p.resolve(name))) return p.resolve(name);
        throw new IllegalArgumentException(p + " holds no HPSv3 weights: expected one of " + WEIGHT_FILES);
    }

    private static void checkShapes(StateDict sd, Qwen2VlConfig c, Path file) {
        long[] embed = sd.info("model.embed_tokens.weight").shape();
        if (embed[0] != c.text().vocabSize() || embed[1] != c.text().hiddenSize())
            throw new IllegalArgumentException(file + ": model.embed_tokens.weight is " + java.util.Arrays.toString(embed)
                    + " but config.json says vocab " + c.text().vocabSize() + " × hidden " + c.text().hiddenSize()
                    + "; is config.json the one of this checkpoint?");
        long[] patch = sd.info("visual.patch_embed.proj.weight").shape();
        if (patch[0] != c.vision().embedDim())
            throw new IllegalArgumentException(file + ": visual.patch_embed.proj.weight is " + java.util.Arrays.toString(patch)
                    + " but vision_config.embed_dim is " + c.vision().embedDim());
    }

    public Qwen2VlConfig config() { return config; }

    public DType dtype() { return backbone.dtype(); }

    /** The batch's rewards and what led to them. */
    public record Output(Qwen2VlModel.Output backbone, Tensor rewardHidden /* [B, W] */, Tensor logits /* [B, 2] fp32 */) {}

    /**
     * Scores one right-padded batch. Each row must hold exactly one {@code rewardTokenId} among its valid tokens.
     * Tensors belong to the caller's scope.
     */
    public Output forward(long[][] ids, int[] lengths, Tensor pixelValues, List<int[]> grids, int rewardTokenId,
                          Positions positions, boolean keepLayerOutputs) {
        int b = ids.length, l = ids[0].length;
        long[] rewardIndex = new long[b];
        for (int r = 0; r < b; r++) {
            int found = -1, count = 0;
            for (int i = 0; i < lengths[r]; i++) if (ids[r][i] == rewardTokenId) { found = i; count++; }
            if (count != 1)
                throw new IllegalArgumentException("row " + r + " holds " + count + " <|Reward|> tokens; HPSv3 needs exactly one");
            rewardIndex[r] = (long) r * l + found;
        }
        long[] pos = positions == Positions.OFFICIAL ? MropePositions.sequential(b, l)
                : MropePositions.multimodal(ids, lengths, grids, config.imageTokenId(), config.vision().spatialMergeSize());
        Qwen2VlModel.Output out = backbone.forward(new Qwen2VlModel.Input(ids, lengths, pixelValues, grids, pos), keepLayerOutputs);
        Tensor index = Tensors.fromLongs(rewardIndex, b).to(out.lastHidden().device(), DType.I64.scalarType());
        Tensor hidden = out.lastHidden().reshape(-1, config.text().hiddenSize()).index_select(0, index); // [B, W]
        return new Output(out, hidden, head.apply(hidden));
    }

    @Override
    public void close() {
        for (Tensor t : owned) t.releaseReference();
        owned.clear();
    }

    @Override
    public String toString() { return "HPSv3 " + description; }
}

package dev.palate.models.scorers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.palate.models.MetricInfo;
import dev.palate.models.ModelLocator;
import dev.palate.models.Scorer;
import dev.palate.models.ScorerOptions;
import dev.palate.models.SharedModels;
import dev.palate.models.aesthetic.LinearStack;
import dev.palate.models.clip.ClipModel;

/**
 * HP (ICTHP trainer/eval/eval.py, the HP model card): {@code sigmoid(MLP(image_embeds))}, the MLP
 * (1024-1024-128-64-16-1, no activations) fed the <em>un-normalised</em> projected image embedding of the fine-tuned
 * LAION ViT-H-14 backbone; P2 preprocessing. Text is ignored. Roles: {@code backbone} ({@code hp_backbone/}) and
 * {@code head} ({@code hp_scorer/mlp_pytorch_model.bin}), or {@code model} = the {@code 8y/HP} folder holding both;
 * {@code base} fills backbone tensors the file lacks (upstream's {@code strict=False} over the LAION base).
 */
public final class HpFactory extends ClipMetricFactory {
    static final String NAME = "hp";
    static final String HEAD_FILE = "hp_scorer/mlp_pytorch_model.bin";
    static final MetricInfo METRIC = new MetricInfo(NAME,
            "HP (High-Preference): sigmoid of an MLP on the CLIP ViT-H-14 image embedding",
            MetricInfo.Direction.HIGHER_IS_BETTER, "probability-like, in (0, 1)", 0, 1, false);
    static final Map<String, String> DEFAULTS = Map.of(
            ScorerOptions.BACKBONE, "8y/HP/hp_backbone",
            ScorerOptions.HEAD, "8y/HP/" + HEAD_FILE,
            ClipMetricSupport.BASE, ClipMetricSupport.LAION_H14);

    public HpFactory() { super(METRIC, DEFAULTS); }

    /** {@code model}: the {@code 8y/HP} folder holding both backbone and head (no default; they have their own). */
    @Override
    public List<String> roles() { return List.of(ScorerOptions.MODEL, ScorerOptions.BACKBONE, ScorerOptions.HEAD, ClipMetricSupport.BASE); }

    @Override
    public Scorer create(ScorerOptions o) {
        Path backbone, headFile;
        if (o.model(ScorerOptions.MODEL) != null && o.model(ScorerOptions.BACKBONE) == null && o.model(ScorerOptions.HEAD) == null) {
            Path root = ModelLocator.system().locate(o.model(ScorerOptions.MODEL), List.of("hp_backbone", HEAD_FILE));
            backbone = root.resolve("hp_backbone");
            headFile = root.resolve(HEAD_FILE);
            if (!Files.exists(backbone) || !Files.isRegularFile(headFile))
                throw new IllegalArgumentException(root + " should hold hp_backbone/ and " + HEAD_FILE
                        + " (the layout of 8y/HP); or pass --model hp:backbone=... and --model hp:head=...");
        } else {
            backbone = ClipMetricSupport.checkpoint(NAME, o, DEFAULTS, ScorerOptions.BACKBONE);
            Path given = ModelRoles.locate(NAME, o, DEFAULTS, ScorerOptions.HEAD, List.of("mlp_pytorch_model.bin"));
            headFile = Files.isDirectory(given) ? given.resolve("mlp_pytorch_model.bin") : given;
        }
        LinearStack head = LinearStack.load(headFile);
        SharedModels.Lease<ClipModel> lease = releasingOnFailure(() -> ClipBackbones.acquire(backbone,
                ClipMetricSupport.optionalFolder(o, DEFAULTS, ClipMetricSupport.BASE), o), head::close);
        return releasingOnFailure(() -> {
            ClipModel m = lease.get();
            if (head.inputWidth() != m.config().embedDim())
                throw new IllegalArgumentException(headFile + " takes " + head.inputWidth() + "-d embeddings but the backbone "
                        + m + " makes " + m.config().embedDim() + "-d ones");
            return ClipScorer.imageOnly(METRIC, lease,
                    ClipMetricSupport.huggingFaceTransform(m.config().vision().imageSize(), ClipMetricSupport.folder(backbone)),
                    raw -> sigmoid(head.scores(raw)), o.batchSize(), List.of(head));
        }, head::close, lease::close);
    }

    private static float[] sigmoid(float[] x) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) out[i] = (float) (1.0 / (1.0 + Math.exp(-x[i])));
        return out;
    }
}

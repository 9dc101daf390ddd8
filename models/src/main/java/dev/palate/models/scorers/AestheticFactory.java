package dev.palate.models.scorers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.palate.models.MetricInfo;
import dev.palate.models.Scorer;
import dev.palate.models.ScorerOptions;
import dev.palate.models.SharedModels;
import dev.palate.models.aesthetic.LinearStack;
import dev.palate.models.clip.ClipModel;
import dev.palate.models.clip.Embeddings;
import dev.palate.preprocess.ClipTransforms;

/**
 * LAION aesthetic predictors on the L2-normalised OpenAI CLIP ViT-L/14 image embedding, P1 preprocessing:
 * v1 = the linear head {@code sa_0_4_vit_l_14_linear.pth} (LAION-AI/aesthetic-predictor), v2 = the MLP
 * {@code sac+logos+ava1-l14-linearMSE.pth} (improved-aesthetic-predictor). Roles: {@code head} (required; the .pth
 * file or its folder) and {@code backbone} (default {@code openai/clip-vit-large-patch14}, shared with clip-score).
 */
public class AestheticFactory extends ClipMetricFactory {
    private final String headFile;
    static final Map<String, String> DEFAULTS = Map.of(ScorerOptions.BACKBONE, "openai/clip-vit-large-patch14");

    public AestheticFactory() {
        this("aesthetic-v1", "sa_0_4_vit_l_14_linear.pth",
                "LAION aesthetic predictor v1: linear head on the L2-normalised CLIP ViT-L/14 image embedding");
    }

    AestheticFactory(String name, String headFile, String description) {
        super(new MetricInfo(name, description, MetricInfo.Direction.HIGHER_IS_BETTER,
                "aesthetic rating on the 1–10 scale of its training ratings; most images 4–7",
                Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, false), DEFAULTS);
        this.headFile = headFile;
    }

    /** Improved aesthetic predictor (v2). */
    public static final class V2 extends AestheticFactory {
        public V2() {
            super("aesthetic-v2", "sac+logos+ava1-l14-linearMSE.pth",
                    "improved aesthetic predictor (v2, sac+logos+ava1 linear MSE): MLP on the L2-normalised CLIP ViT-L/14 image embedding");
        }
    }

    /** {@code head} has no default (LAION's .pth file); {@code model} names the head too. */
    @Override
    public List<String> roles() { return List.of(ScorerOptions.HEAD, ScorerOptions.BACKBONE); }

    @Override
    public Scorer create(ScorerOptions o) {
        // The head is this metric's own checkpoint, so the plain role (--model aesthetic-v2=PATH) names it too.
        String headRole = o.model(ScorerOptions.HEAD) == null && o.model(ScorerOptions.MODEL) != null ? ScorerOptions.MODEL : ScorerOptions.HEAD;
        Path given = ModelRoles.locate(name(), o, DEFAULTS, headRole, List.of(headFile));
        Path head = Files.isDirectory(given) ? given.resolve(headFile) : given;
        Path backbone = ClipMetricSupport.checkpoint(name(), o, DEFAULTS, ScorerOptions.BACKBONE);
        LinearStack mlp = LinearStack.load(head);
        SharedModels.Lease<ClipModel> lease = releasingOnFailure(() -> ClipBackbones.acquire(backbone, o), mlp::close);
        return releasingOnFailure(() -> {
            ClipModel m = lease.get();
            if (mlp.inputWidth() != m.config().embedDim())
                throw new IllegalArgumentException(head + " takes " + mlp.inputWidth() + "-d embeddings but the backbone "
                        + m + " makes " + m.config().embedDim() + "-d ones (the aesthetic heads need CLIP ViT-L/14)");
            return ClipScorer.imageOnly(metric(), lease, ClipTransforms.openClip(m.config().vision().imageSize()),
                    raw -> mlp.scores(Embeddings.l2Normalize(raw)), o.batchSize(), List.of(mlp));
        }, mlp::close, lease::close);
    }
}

package dev.palate.models.scorers;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.palate.models.MetricInfo;
import dev.palate.models.Scorer;
import dev.palate.models.ScorerOptions;
import dev.palate.models.SharedModels;
import dev.palate.models.clip.ClipModel;

/**
 * PickScore v1 (yuvalkirstain/PickScore README): {@code exp(logit_scale) · cos} on the fine-tuned LAION ViT-H-14 HF
 * CLIPModel, P2 preprocessing and tokenizer of {@code laion/CLIP-ViT-H-14-laion2B-s32B-b79K} (role
 * {@code processor}; CLIPImageProcessor's 224 defaults and the open_clip vocabulary when that repo is not cached,
 * which are the same values).
 */
public final class PickScoreFactory extends ClipMetricFactory {
    static final String NAME = "pickscore";
    static final MetricInfo METRIC = new MetricInfo(NAME,
            "PickScore v1: exp(logit_scale) × cos of the fine-tuned CLIP ViT-H-14 embeddings",
            MetricInfo.Direction.HIGHER_IS_BETTER,
            "logit scale (exp(logit_scale), about 100) × cosine; typically 18–24; softmax over one prompt's images gives preference probabilities",
            Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, true);
    static final Map<String, String> DEFAULTS = Map.of(ScorerOptions.MODEL, "yuvalkirstain/PickScore_v1",
            ClipMetricSupport.PROCESSOR, "laion/CLIP-ViT-H-14-laion2B-s32B-b79K");

    public PickScoreFactory() { super(METRIC, DEFAULTS); }

    @Override
    public List<String> roles() { return List.of(ScorerOptions.MODEL, ClipMetricSupport.PROCESSOR); }

    @Override
    public Scorer create(ScorerOptions o) {
        Path ckpt = ClipMetricSupport.checkpoint(NAME, o, DEFAULTS, ScorerOptions.MODEL);
        Path folder = ClipMetricSupport.folder(ckpt);
        Path processor = ClipMetricSupport.optionalFolder(o, DEFAULTS, ClipMetricSupport.PROCESSOR);
        SharedModels.Lease<ClipModel> lease = ClipBackbones.acquire(ckpt, o);
        return releasingOnFailure(() -> {
            float scale = (float) Math.exp(lease.get().logitScale());
            int size = lease.get().config().vision().imageSize();
            return ClipScorer.textImage(METRIC, lease, ClipMetricSupport.huggingFaceTransform(size, processor, folder),
                    ClipMetricSupport.tokenizer(processor != null ? processor : folder), cos -> scale * cos, o.batchSize());
        }, lease::close);
    }
}

package dev.palate.models.scorers;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.palate.models.MetricInfo;
import dev.palate.models.Scorer;
import dev.palate.models.ScorerOptions;
import dev.palate.models.SharedModels;
import dev.palate.models.clip.ClipModel;
import dev.palate.tokenizers.clip.ClipTokenizer;

/**
 * ICT (ICTHP trainer/eval/eval.py): cosine of the normalised embeddings of the fine-tuned LAION ViT-H-14 HF
 * CLIPModel; P2 preprocessing; the open_clip tokenizer (as the official evaluation), ids without attention mask.
 * Upstream loads the file over the LAION base with {@code strict=False}: tensors the file lacks come from role
 * {@code base} (default {@code laion/CLIP-ViT-H-14-laion2B-s32B-b79K}, used only when needed and cached).
 */
public final class IctFactory extends ClipMetricFactory {
    static final String NAME = "ict";
    static final MetricInfo METRIC = new MetricInfo(NAME,
            "ICT (Image-Contained-Text): cosine of the normalised CLIP ViT-H-14 image and text embeddings",
            MetricInfo.Direction.HIGHER_IS_BETTER, "cosine in [-1, 1]", -1, 1, true);
    static final Map<String, String> DEFAULTS = Map.of(ScorerOptions.MODEL, "8y/ICT", ClipMetricSupport.BASE, ClipMetricSupport.LAION_H14);

    public IctFactory() { super(METRIC, DEFAULTS); }

    @Override
    public List<String> roles() { return List.of(ScorerOptions.MODEL, ClipMetricSupport.BASE); }

    @Override
    public Scorer create(ScorerOptions o) {
        Path ckpt = ClipMetricSupport.checkpoint(NAME, o, DEFAULTS, ScorerOptions.MODEL);
        SharedModels.Lease<ClipModel> lease = ClipBackbones.acquire(ckpt, ClipMetricSupport.optionalFolder(o, DEFAULTS, ClipMetricSupport.BASE), o);
        return releasingOnFailure(() -> {
            int size = lease.get().config().vision().imageSize();
            return ClipScorer.textImage(METRIC, lease, ClipMetricSupport.huggingFaceTransform(size, ClipMetricSupport.folder(ckpt)),
                    ClipTokenizer.openClip(), cos -> cos, o.batchSize());
        }, lease::close);
    }
}

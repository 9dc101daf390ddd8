package dev.palate.models.scorers;

import java.nio.file.Path;
import java.util.Map;

import dev.palate.models.MetricInfo;
import dev.palate.models.Scorer;
import dev.palate.models.ScorerOptions;
import dev.palate.models.SharedModels;
import dev.palate.models.clip.ClipModel;

/**
 * CLIP Score as torchmetrics defines it (functional/multimodal/clip_score.py): OpenAI CLIP ViT-L/14,
 * {@code 100 · max(cos, 0)} per pair, HF {@code CLIPProcessor} preprocessing (P2). torchmetrics' aggregate is
 * {@code max(mean(100·cos), 0)}; per pair the clamp is applied here. Prompts are truncated to 77 tokens keeping the
 * end token (torchmetrics slices over-long captions without one; models.md §2.1.5).
 */
public final class ClipScoreFactory extends ClipMetricFactory {
    static final String NAME = "clip-score";
    static final MetricInfo METRIC = new MetricInfo(NAME,
            "CLIP Score (torchmetrics): 100 × max(cos, 0) of OpenAI CLIP ViT-L/14 image and text embeddings",
            MetricInfo.Direction.HIGHER_IS_BETTER,
            "0–100 (100 × cosine, clamped at 0); matching pairs typically 20–35", 0, 100, true);
    static final Map<String, String> DEFAULTS = Map.of(ScorerOptions.MODEL, "openai/clip-vit-large-patch14");

    public ClipScoreFactory() { super(METRIC, DEFAULTS); }

    @Override
    public Scorer create(ScorerOptions o) {
        Path ckpt = ClipMetricSupport.checkpoint(NAME, o, DEFAULTS, ScorerOptions.MODEL);
        Path folder = ClipMetricSupport.folder(ckpt);
        SharedModels.Lease<ClipModel> lease = ClipBackbones.acquire(ckpt, o);
        return releasingOnFailure(() -> {
            int size = lease.get().config().vision().imageSize();
            return ClipScorer.textImage(METRIC, lease, ClipMetricSupport.huggingFaceTransform(size, folder),
                    ClipMetricSupport.tokenizer(folder), cos -> 100f * Math.max(cos, 0f), o.batchSize());
        }, lease::close);
    }
}

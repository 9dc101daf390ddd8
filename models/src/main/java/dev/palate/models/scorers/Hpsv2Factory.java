package dev.palate.models.scorers;

import java.nio.file.Path;
import java.util.Map;

import dev.palate.models.MetricInfo;
import dev.palate.models.Scorer;
import dev.palate.models.ScorerOptions;
import dev.palate.models.SharedModels;
import dev.palate.models.clip.ClipModel;
import dev.palate.preprocess.ClipTransforms;
import dev.palate.tokenizers.clip.ClipTokenizer;

/**
 * HPSv2 and HPSv2.1 as the {@code hpsv2} package's {@code score()} reports them (HPSv2 img_score.py): the raw cosine
 * of the normalised open_clip ViT-H-14 embeddings, no logit scale, no ×100 (the benchmark tables of its README are
 * ×100). Preprocessing is HPSv2's own (P3: longest side to 224 by torch bicubic without antialias, as torchvision
 * &lt; 0.17, then zero padding); tokenizer open_clip's. Checkpoints {@code HPS_v2_compressed.pt} /
 * {@code HPS_v2.1_compressed.pt} are {@code {"state_dict": ...}} pickles in open_clip naming without a config (ViT-H-14 preset).
 */
public class Hpsv2Factory extends ClipMetricFactory {

    public Hpsv2Factory() {
        this("hpsv2", "HPS_v2_compressed.pt", "HPSv2 (v2.0)");
    }

    Hpsv2Factory(String name, String file, String label) {
        super(new MetricInfo(name,
                label + ": cosine of the normalised CLIP ViT-H-14 image and text embeddings, with HPSv2's own preprocessing",
                MetricInfo.Direction.HIGHER_IS_BETTER,
                "raw cosine as hpsv2.score() returns it, typically 0.2–0.35; the HPSv2 benchmark tables report 100 × this (e.g. 27.86); v2.0 and v2.1 scores are not comparable",
                -1, 1, true), Map.of(ScorerOptions.MODEL, "xswu/HPSv2/" + file));
    }

    /** HPSv2.1. */
    public static final class V21 extends Hpsv2Factory {
        public V21() {
            super("hpsv2.1", "HPS_v2.1_compressed.pt", "HPSv2.1");
        }
    }

    @Override
    public Scorer create(ScorerOptions o) {
        Path ckpt = ClipMetricSupport.checkpoint(name(), o, defaultModels(), ScorerOptions.MODEL);
        SharedModels.Lease<ClipModel> lease = ClipBackbones.acquire(ckpt, o);
        return releasingOnFailure(() -> {
            int size = lease.get().config().vision().imageSize();
            return ClipScorer.textImage(metric(), lease, ClipTransforms.hpsv2(size), ClipTokenizer.openClip(), cos -> cos, o.batchSize());
        }, lease::close);
    }
}

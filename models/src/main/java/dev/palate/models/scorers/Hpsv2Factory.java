package dev.palate.models.scorers;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.palate.models.MetricInfo;
import dev.palate.models.MetricOption;
import dev.palate.models.Scorer;
import dev.palate.models.ScorerOptions;
import dev.palate.models.SharedModels;
import dev.palate.models.clip.ClipModel;
import dev.palate.preprocess.ClipTransforms;
import dev.palate.preprocess.ResizeMaxPadTransform;
import dev.palate.tokenizers.clip.ClipTokenizer;

/**
 * HPSv2 and HPSv2.1 as the {@code hpsv2} package's {@code score()} reports them (HPSv2 img_score.py): the raw cosine
 * of the normalised open_clip ViT-H-14 embeddings, no logit scale, no ×100 (the benchmark tables of its README are
 * ×100). Preprocessing is HPSv2's own (P3: longest side to 224 by torch bicubic, then zero padding), with the resize
 * of option {@link #RESIZE}; tokenizer open_clip's. Checkpoints {@code HPS_v2_compressed.pt} /
 * {@code HPS_v2.1_compressed.pt} are {@code {"state_dict": ...}} pickles in open_clip naming without a config (ViT-H-14 preset).
 */
public class Hpsv2Factory extends ClipMetricFactory {
    /**
     * HPSv2 resizes the image tensor with {@code torchvision.transforms.functional.resize(..., BICUBIC)} and pins no
     * torchvision version; since torchvision 0.17 that call antialiases by default (HPSv2 src/open_clip/transform.py
     * {@code ResizeMaxSize}).
     */
    public static final MetricOption RESIZE = MetricOption.choice("resize", "legacy",
            "legacy = bicubic without antialias, as torchvision < 0.17 ran it and the published HPSv2 benchmark was computed;"
                    + " antialias = torchvision >= 0.17's default antialiased bicubic, what a fresh 'pip install hpsv2' computes",
            "legacy", "antialias");

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
    public List<MetricOption> options() { return List.of(RESIZE); }

    /** P3 at {@code size} with the resize {@code options} select ({@link #RESIZE}); also what {@code palate preprocess} runs. */
    public static ResizeMaxPadTransform transform(int size, ScorerOptions options) {
        return ClipTransforms.hpsv2(size, RESIZE.value(options).equals("antialias"));
    }

    @Override
    public Scorer create(ScorerOptions o) {
        Path ckpt = ClipMetricSupport.checkpoint(name(), o, defaultModels(), ScorerOptions.MODEL);
        SharedModels.Lease<ClipModel> lease = ClipBackbones.acquire(ckpt, o);
        return releasingOnFailure(() -> {
            int size = lease.get().config().vision().imageSize();
            return ClipScorer.textImage(metric(), lease, transform(size, o), ClipTokenizer.openClip(), cos -> cos, o.batchSize());
        }, lease::close);
    }
}

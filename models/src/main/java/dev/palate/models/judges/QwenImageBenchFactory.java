package dev.palate.models.judges;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.palate.models.ImageInput;
import dev.palate.models.MetricInfo;
import dev.palate.models.MetricOption;
import dev.palate.models.ScoreResult;
import dev.palate.models.Scorer;
import dev.palate.models.ScorerFactory;
import dev.palate.models.ScorerOptions;
import dev.palate.models.qwen35.Qwen35Model;
import dev.palate.preprocess.DecodedImage;
import dev.palate.preprocess.PilResampler;
import dev.palate.tokenizers.bpe.ByteLevelBpeTokenizer;
import dev.palate.tokenizers.chat.ChatTemplate;

/**
 * The {@code qwen-image-bench} metric: Qwen-Image-Bench (Qwen3.5) as DiffSynth-Studio runs it ({@link QwenImageBench}):
 * one generation per level-1 dimension, each filling a checklist scored 0/1/2/N/A, mapped and averaged level 3 → 2 →
 * 1 → total. The dimensions of one image are decoded together in one batch. Images whose longer side exceeds 1024
 * are first squashed to 1024×1024 with Pillow LANCZOS, as DiffSynth's {@code _prepare_image} does. No default weights.
 */
public final class QwenImageBenchFactory implements ScorerFactory {
    static final MetricOption DIMENSIONS = new MetricOption("dimensions", List.of(), "all",
            "level-1 dimensions to judge, comma-separated by DiffSynth's names (" + String.join(", ", QwenImageBench.DIMENSIONS) + "); all = the five");
    static final MetricOption MAX_NEW_TOKENS = new MetricOption("max-new-tokens", List.of(),
            String.valueOf(QwenImageBench.GENERATION.maxNewTokens()), "greedy decoding budget per dimension (DiffSynth: 4096)");

    private static final MetricInfo METRIC = new MetricInfo("qwen-image-bench",
            "Qwen-Image-Bench (Qwen3.5): checklist verdicts per dimension aggregated to a total, as DiffSynth-Studio computes it",
            MetricInfo.Direction.HIGHER_IS_BETTER, "total score 0–100 (DiffSynth's compute(): 0.0 when every item is N/A or unparsed)", 0, 100, true);

    @Override
    public String name() { return METRIC.name(); }

    @Override
    public MetricInfo metric() { return METRIC; }

    @Override
    public Map<String, String> defaultModels() { return Map.of(); }

    /** {@code model} is required (no default); {@code processor} is optional ({@link JudgeFiles}). */
    @Override
    public List<String> roles() { return List.of(ScorerOptions.MODEL, JudgeFiles.PROCESSOR); }

    @Override
    public List<MetricOption> options() { return List.of(DIMENSIONS, MAX_NEW_TOKENS); }

    @Override
    public Scorer create(ScorerOptions o) {
        String spec = DIMENSIONS.value(o);
        List<String> dims = spec.equals("all") ? QwenImageBench.DIMENSIONS : QwenImageBench.dimensions(spec);
        JudgeFiles files = new JudgeFiles(METRIC.name(), o, null);
        ByteLevelBpeTokenizer tokenizer = files.tokenizer();
        ChatTemplate template = files.chatTemplate();
        var processor = files.imageProcessor();
        int maxNew = Integer.parseInt(MAX_NEW_TOKENS.value(o));
        Qwen35Model model = Qwen35Model.load(files.model, o.device(), o.dtype());
        try {
            return new JudgeScorer(new Judge(template, dims), new Qwen35Generator(model), tokenizer, processor,
                    JudgeScorer.generation(QwenImageBench.GENERATION.withMaxNewTokens(maxNew), tokenizer), o.batchSize());
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private record Judge(ChatTemplate template, List<String> dimensions) implements JudgeScorer.Judge {
        @Override
        public MetricInfo metric() { return METRIC; }

        @Override
        public List<JudgeScorer.Request> requests(String prompt, ImageInput image) {
            List<JudgeScorer.Request> rs = new ArrayList<>();
            for (String d : dimensions) rs.add(new JudgeScorer.Request(QwenImageBench.chatText(template, prompt, d), List.of(image)));
            return rs;
        }

        /** {@code _prepare_image}: RGB, then a longer side above 1024 → exactly 1024×1024, LANCZOS (aspect not kept). */
        @Override
        public DecodedImage prepare(DecodedImage rgb) {
            int edge = QwenImageBench.RESIZE_LONG_EDGE;
            return Math.max(rgb.width(), rgb.height()) > edge ? PilResampler.resize(rgb, edge, edge, PilResampler.Filter.LANCZOS) : rgb;
        }

        @Override
        public void verdict(ScoreResult.Builder out, int i, List<JudgeScorer.Request> requests, List<String> texts) {
            Map<String, String> raw = new LinkedHashMap<>();
            for (int k = 0; k < dimensions.size(); k++) raw.put(dimensions.get(k), texts.get(k));
            QwenImageBench.SampleResult r = QwenImageBench.evaluate(dimensions, raw);
            out.value(i, r.score() == null ? Float.NaN : r.score().floatValue());
            Map<String, Object> evaluation = r.evaluation();
            if (evaluation != null) evaluation.forEach((k, v) -> out.field(i, k, v));
            else out.field(i, "raw_outputs", r.rawOutputs());
            out.field(i, ScoreResult.SCORE, r.score());
            if (r.parseError() != null) out.field(i, "parse_error", r.parseError());
        }
    }
}

package dev.palate.models.judges;

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
import dev.palate.tokenizers.bpe.ByteLevelBpeTokenizer;
import dev.palate.tokenizers.chat.ChatTemplate;

/**
 * The {@code unifiedreward} metric: UnifiedReward 2.0 (Qwen3.5-9B) as DiffSynth-Studio runs it ({@link UnifiedReward2}):
 * alignment, coherence and style (1–5) written by the model, score = the mean of those found. No default weights.
 */
public final class UnifiedReward2Factory implements ScorerFactory {
    static final MetricOption MAX_NEW_TOKENS = new MetricOption("max-new-tokens", List.of(),
            String.valueOf(UnifiedReward2.GENERATION.maxNewTokens()), "greedy decoding budget per verdict (DiffSynth: 1024)");

    private static final MetricInfo METRIC = new MetricInfo("unifiedreward",
            "UnifiedReward 2.0 (Qwen3.5-9B): a generative judge's alignment, coherence and style scores, as DiffSynth-Studio parses them",
            MetricInfo.Direction.HIGHER_IS_BETTER, "mean of the alignment, coherence and style scores found (1–5); null when none parsed", 1, 5, true);

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
    public List<MetricOption> options() { return List.of(MAX_NEW_TOKENS); }

    @Override
    public Scorer create(ScorerOptions o) {
        JudgeFiles files = new JudgeFiles(METRIC.name(), o, null);
        ByteLevelBpeTokenizer tokenizer = files.tokenizer();
        ChatTemplate template = files.chatTemplate();
        var processor = files.imageProcessor();
        int maxNew = Integer.parseInt(MAX_NEW_TOKENS.value(o));
        Qwen35Model model = Qwen35Model.load(files.model, o.device(), o.dtype());
        try {
            return new JudgeScorer(new Judge(template), new Qwen35Generator(model), tokenizer, processor,
                    JudgeScorer.generation(UnifiedReward2.GENERATION.withMaxNewTokens(maxNew), tokenizer), o.batchSize());
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private record Judge(ChatTemplate template) implements JudgeScorer.Judge {
        @Override
        public MetricInfo metric() { return METRIC; }

        @Override
        public List<JudgeScorer.Request> requests(String prompt, ImageInput image) {
            return List.of(new JudgeScorer.Request(UnifiedReward2.chatText(template, prompt), List.of(image)));
        }

        @Override
        public void verdict(ScoreResult.Builder out, int i, List<JudgeScorer.Request> requests, List<String> texts) {
            String text = texts.get(0);
            UnifiedReward2.Parsed p = UnifiedReward2.parse(text);
            out.value(i, p.score() == null ? Float.NaN : p.score().floatValue());
            out.field(i, "alignment", p.alignment());
            out.field(i, "coherence", p.coherence());
            out.field(i, "style", p.style());
            out.field(i, ScoreResult.SCORE, p.score());
            out.field(i, "text", text);
            if (p.parseError() != null) out.field(i, "parse_error", p.parseError());
        }
    }
}

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
import dev.palate.models.qwen3vl.Qwen3VlModel;
import dev.palate.tokenizers.bpe.ByteLevelBpeTokenizer;
import dev.palate.tokenizers.chat.ChatTemplate;

/**
 * The {@code unifiedreward-edit} metric: UnifiedReward-Edit (Qwen3-VL-8B) judging an edit as DiffSynth-Studio runs it
 * ({@link UnifiedRewardEdit}: prompts, parser, score). Each item is an instruction (the prompt) and an edited image
 * (the item's image) with the source image attached as {@code source} (a manifest's {@code "source"} field), and for
 * the pairwise tasks a second edit as {@code image2}. The task comes from the item's {@code task} field, else the
 * {@code task} option. No default weights: pass the model folder.
 */
public final class UnifiedRewardEditFactory implements ScorerFactory {
    static final MetricOption TASK = MetricOption.choice("task", "pointwise",
            "what the judge compares: pointwise (source vs edit: editing success and over-editing, 0-25 each; score = their mean),"
                    + " pairwise-rank (which of two edits is better: 1, 2, or 0 when unparsed or a tie), pairwise-score (both edits' scores)",
            "pointwise", "pairwise-rank", "pairwise-score");
    static final MetricOption MAX_NEW_TOKENS = new MetricOption("max-new-tokens", List.of(),
            String.valueOf(UnifiedRewardEdit.GENERATION.maxNewTokens()), "greedy decoding budget per verdict (DiffSynth: 256)");

    private static final MetricInfo METRIC = new MetricInfo("unifiedreward-edit",
            "UnifiedReward-Edit (Qwen3-VL-8B): a generative judge of an image edit against its source and instruction, as DiffSynth-Studio parses it",
            MetricInfo.Direction.HIGHER_IS_BETTER,
            "pointwise: mean of editing success and over-editing (0–25); pairwise-rank: 1 or 2 (the better edit), 0 unparsed; pairwise-score: [edit 1, edit 2]",
            0, 25, true);

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
    public List<MetricOption> options() { return List.of(TASK, MAX_NEW_TOKENS); }

    @Override
    public Scorer create(ScorerOptions o) {
        JudgeFiles files = new JudgeFiles(METRIC.name(), o, null);
        ByteLevelBpeTokenizer tokenizer = files.tokenizer();
        ChatTemplate template = files.chatTemplate();
        var processor = files.imageProcessor();
        UnifiedRewardEdit.Task defaultTask = UnifiedRewardEdit.Task.of(TASK.value(o));
        int maxNew = Integer.parseInt(MAX_NEW_TOKENS.value(o));
        Qwen3VlModel model = Qwen3VlModel.load(files.model, o.device(), o.dtype());
        try {
            return new JudgeScorer(new Judge(template, defaultTask), new Qwen3VlGenerator(model), tokenizer, processor,
                    JudgeScorer.generation(UnifiedRewardEdit.GENERATION.withMaxNewTokens(maxNew), tokenizer), o.batchSize());
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private record Judge(ChatTemplate template, UnifiedRewardEdit.Task defaultTask) implements JudgeScorer.Judge {
        @Override
        public MetricInfo metric() { return METRIC; }

        UnifiedRewardEdit.Task task(ImageInput image) {
            Object t = image.attribute("task");
            return t == null ? defaultTask : UnifiedRewardEdit.Task.of(t.toString());
        }

        @Override
        public List<JudgeScorer.Request> requests(String prompt, ImageInput image) {
            UnifiedRewardEdit.Task task = task(image);
            List<ImageInput> images = new ArrayList<>();
            images.add(companion(image, "source", "the source image"));
            images.add(image);
            if (task.imageCount() == 3) images.add(companion(image, "image2", "the second edited image"));
            return List.of(new JudgeScorer.Request(UnifiedRewardEdit.chatText(template, task, prompt), images));
        }

        @Override
        public void verdict(ScoreResult.Builder out, int i, List<JudgeScorer.Request> requests, List<String> texts) {
            String text = texts.get(0);
            UnifiedRewardEdit.Parsed p = UnifiedRewardEdit.parse(text, task(requests.get(0).images().get(1)));
            out.value(i, p.score() instanceof Number n ? n.floatValue() : Float.NaN);
            // the parsed dict's own fields beside the score (its "score" list stays inside "parsed", as palate parse writes it)
            if (p.fields() != null) new LinkedHashMap<>(p.fields()).forEach((k, v) -> { if (!k.equals(ScoreResult.SCORE)) out.field(i, k, v); });
            out.field(i, "parsed", p.fields());
            out.field(i, ScoreResult.SCORE, p.score());
            out.field(i, "text", text);
            if (p.parseError() != null) out.field(i, "parse_error", p.parseError());
        }

        private static ImageInput companion(ImageInput image, String field, String what) {
            Object c = image.attribute(field);
            if (!(c instanceof ImageInput in))
                throw new IllegalArgumentException("unifiedreward-edit needs " + what + " of " + image.name() + ": give the row a \""
                        + field + "\" field (a path, resolved like \"image\")");
            return in;
        }
    }
}

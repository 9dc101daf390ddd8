package dev.palate.models.hpsv3;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.palate.models.MetricInfo;
import dev.palate.models.MetricOption;
import dev.palate.models.ModelLocator;
import dev.palate.models.Scorer;
import dev.palate.models.ScorerFactory;
import dev.palate.models.ScorerOptions;
import dev.palate.models.qwen2vl.Qwen2VlConfig;
import dev.palate.preprocess.qwen2vl.Qwen2VlImageConfig;
import dev.palate.preprocess.qwen2vl.Qwen2VlImageProcessor;
import dev.palate.tokenizers.bpe.ByteLevelBpeTokenizer;
import dev.palate.tokenizers.chat.ChatTemplate;

/**
 * The {@code hpsv3} metric: HPSv3 (MizzenAI/HPSv3, a Qwen2-VL-7B-Instruct reward model) as
 * {@code HPSv3RewardInferencer.reward} scores an image against its prompt.
 *
 * <p>Roles: {@code model} — {@code HPSv3.safetensors} (or a folder holding it, or DiffSynth's
 * {@code HPSv3/model.safetensors}, or a sharded {@code model.safetensors.index.json}); {@code processor} — the
 * Qwen2-VL-7B-Instruct folder whose {@code config.json}, tokenizer, chat template and {@code preprocessor_config.json}
 * are used for whatever the model folder lacks (no weights are ever read from it). A self-contained folder needs no
 * processor role.
 */
public final class Hpsv3Factory implements ScorerFactory {
    static final String PROCESSOR = "processor";
    static final MetricOption POSITIONS = MetricOption.choice("positions", "official",
            "M-RoPE position ids: official = HPSv3's own forward (1-D arange on all three streams), diffsynth = the 3-D"
                    + " image-grid ids DiffSynth-Studio passes (scores differ)", "official", "diffsynth");
    private static final Map<String, String> DEFAULTS = Map.of(ScorerOptions.MODEL, "MizzenAI/HPSv3/HPSv3.safetensors",
            PROCESSOR, "Qwen/Qwen2-VL-7B-Instruct");
    private static final List<String> TOKENIZER_FILES = List.of("tokenizer.json", "vocab.json");

    private static final MetricInfo METRIC = new MetricInfo("hpsv3",
            "HPSv3: Qwen2-VL-7B reward model, μ of the predicted reward distribution at <|Reward|> (log σ in the log_sigma field)",
            MetricInfo.Direction.HIGHER_IS_BETTER,
            "μ, unbounded; compare images of the same prompt (the HPSv3 paper reports per-model means of about 5–11)",
            Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, true);

    @Override
    public String name() { return "hpsv3"; }

    @Override
    public MetricInfo metric() { return METRIC; }

    @Override
    public Map<String, String> defaultModels() { return DEFAULTS; }

    @Override
    public List<String> roles() { return List.of(ScorerOptions.MODEL, PROCESSOR); }

    @Override
    public List<MetricOption> options() { return List.of(POSITIONS); }

    @Override
    public Scorer create(ScorerOptions o) {
        String spec = o.model(ScorerOptions.MODEL) != null ? o.model(ScorerOptions.MODEL) : DEFAULTS.get(ScorerOptions.MODEL);
        Path weights = ModelLocator.system().locate(spec, Hpsv3RewardModel.WEIGHT_FILES);
        Path folder = Files.isDirectory(weights) ? weights : weights.toAbsolutePath().getParent();
        Support files = new Support(folder, o);
        Qwen2VlConfig config = Qwen2VlConfig.parse(files.find("config.json"));
        ByteLevelBpeTokenizer tokenizer = Hpsv3Tokenizer.load(files.tokenizerFolder());
        ChatTemplate template = ChatTemplate.fromModelFolder(files.tokenizerFolder());
        Path pre = files.findOrNull(Qwen2VlImageConfig.FILE_NAME);
        Qwen2VlImageProcessor processor = (pre == null ? Qwen2VlImageProcessor.of(Qwen2VlImageConfig.qwen2Vl7bInstruct())
                : Qwen2VlImageProcessor.fromPreprocessorConfig(pre)).withFetchImage(Qwen2VlImageProcessor.HPSV3_PIXELS, Qwen2VlImageProcessor.HPSV3_PIXELS);
        Hpsv3RewardModel.Positions positions = POSITIONS.value(o).equals("diffsynth")
                ? Hpsv3RewardModel.Positions.DIFFSYNTH : Hpsv3RewardModel.Positions.OFFICIAL;
        Hpsv3RewardModel model = Hpsv3RewardModel.load(weights, config, o.device(), o.dtype());
        try {
            return new Hpsv3Scorer(METRIC, model, new Hpsv3Prompt(template, tokenizer), processor, positions,
                    tokenizer.tokenId(Hpsv3Prompt.REWARD_TOKEN), tokenizer.tokenId("<|endoftext|>"), o.batchSize());
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** Where each non-weight file comes from: the model's folder first, then the processor role's (looked up on demand). */
    private static final class Support {
        private final Path model;
        private final ScorerOptions options;
        private Path processor;

        Support(Path model, ScorerOptions options) {
            this.model = model;
            this.options = options;
        }

        Path find(String file) {
            Path p = findOrNull(file);
            if (p == null)
                throw new IllegalArgumentException("hpsv3: " + file + " is neither in " + model + " nor in the processor folder "
                        + processor() + "; pass --model hpsv3:processor=PATH (the Qwen2-VL-7B-Instruct folder)");
            return p;
        }

        Path findOrNull(String file) {
            if (Files.isRegularFile(model.resolve(file))) return model.resolve(file);
            Path proc = processor();
            return Files.isRegularFile(proc.resolve(file)) ? proc.resolve(file) : null;
        }

        Path tokenizerFolder() {
            for (String f : TOKENIZER_FILES) if (Files.isRegularFile(model.resolve(f))) return model;
            return processor();
        }

        private Path processor() {
            if (processor == null) {
                String spec = options.model(PROCESSOR) != null ? options.model(PROCESSOR) : DEFAULTS.get(PROCESSOR);
                processor = ModelLocator.system().locate(spec, List.of("config.json", "tokenizer.json", "preprocessor_config.json"));
            }
            return processor;
        }
    }
}

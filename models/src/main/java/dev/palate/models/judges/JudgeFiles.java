package dev.palate.models.judges;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.palate.models.ModelLocator;
import dev.palate.models.ScorerOptions;
import dev.palate.preprocess.qwen2vl.Qwen2VlImageConfig;
import dev.palate.preprocess.qwen2vl.Qwen2VlImageProcessor;
import dev.palate.tokenizers.bpe.ByteLevelBpeTokenizer;
import dev.palate.tokenizers.chat.ChatTemplate;

/**
 * Where a judge's files come from: the model folder (role {@code model}: {@code config.json} and the weights), and
 * for the tokenizer, chat template and {@code preprocessor_config.json} the model folder first, then the optional
 * {@code processor} role's folder (a repo laid out as Hugging Face ships it has everything in one folder).
 */
final class JudgeFiles {
    static final String PROCESSOR = "processor";

    final Path model;
    private final String metric;
    private final String processorSpec;
    private Path processor;

    JudgeFiles(String metric, ScorerOptions o, String defaultModel) {
        this.metric = metric;
        String spec = o.model(ScorerOptions.MODEL) != null ? o.model(ScorerOptions.MODEL) : defaultModel;
        if (spec == null)
            throw new IllegalArgumentException(metric + " needs its model folder: pass --model " + metric + "=PATH (config.json + model*.safetensors)");
        Path p = ModelLocator.system().locate(spec, List.of("config.json"));
        this.model = Files.isDirectory(p) ? p : p.toAbsolutePath().getParent();
        this.processorSpec = o.model(PROCESSOR);
    }

    /** The folder holding the tokenizer and chat template. */
    Path tokenizerFolder() {
        for (Path d : List.of(model, model.resolve("tokenizer")))
            if (Files.isRegularFile(d.resolve("tokenizer.json")) || Files.isRegularFile(d.resolve("vocab.json"))) return d;
        Path proc = processor();
        if (proc == null)
            throw new IllegalArgumentException(metric + ": no tokenizer.json in " + model + "; pass --model " + metric
                    + ":processor=PATH (the folder with tokenizer.json, the chat template and preprocessor_config.json)");
        return proc;
    }

    ByteLevelBpeTokenizer tokenizer() { return ByteLevelBpeTokenizer.fromFolder(tokenizerFolder()); }

    ChatTemplate chatTemplate() { return ChatTemplate.fromModelFolder(tokenizerFolder()); }

    /** The torchvision-backed Qwen2-VL processor of the model folder's (or the processor folder's) config. */
    Qwen2VlImageProcessor imageProcessor() {
        for (Path d : new Path[] {model, processor()})
            if (d != null && Files.isRegularFile(d.resolve(Qwen2VlImageConfig.FILE_NAME)))
                return Qwen2VlImageProcessor.fromPreprocessorConfig(d).withTorchvisionBackend();
        throw new IllegalArgumentException(metric + ": no " + Qwen2VlImageConfig.FILE_NAME + " in " + model
                + (processor() == null ? "" : " or " + processor()) + "; pass --model " + metric + ":processor=PATH");
    }

    private Path processor() {
        if (processor == null && processorSpec != null) processor = ModelLocator.system().locate(processorSpec, List.of());
        return processor;
    }
}

package dev.palate.models.scorers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.palate.models.ModelLocator;
import dev.palate.models.ModelNotFoundException;
import dev.palate.models.ScorerOptions;
import dev.palate.models.clip.ClipModel;
import dev.palate.preprocess.ClipTransforms;
import dev.palate.preprocess.ImageTransform;
import dev.palate.tokenizers.clip.ClipTokenizer;

/** Shared pieces of the CLIP-family factories: locating checkpoints, tokenizers and HF preprocessing. */
final class ClipMetricSupport {
    static final String PROCESSOR = "processor";
    /** Role of the checkpoint that fills tensors a fine-tune lacks (ICT, HP: strict=False over the LAION base). */
    static final String BASE = "base";
    static final String LAION_H14 = "laion/CLIP-ViT-H-14-laion2B-s32B-b79K";

    private ClipMetricSupport() {}

    /** The CLIP checkpoint for {@code role} (a folder holding a weight file, or the file). */
    static Path checkpoint(String metric, ScorerOptions o, Map<String, String> defaults, String role) {
        return ModelRoles.locate(metric, o, defaults, role, ClipModel.weightFiles());
    }

    /** The folder a checkpoint path stands for (its parent when it is a file). */
    static Path folder(Path checkpoint) {
        return Files.isRegularFile(checkpoint) ? checkpoint.toAbsolutePath().getParent() : checkpoint;
    }

    /**
     * The Hugging Face tokenizer in {@code folder} ({@code tokenizer.json} or {@code vocab.json}+{@code merges.txt}),
     * else open_clip's bundled one. Pooling at the first end token makes the padding choice irrelevant.
     */
    static ClipTokenizer tokenizer(Path folder) {
        if (folder != null) {
            for (Path d : List.of(folder, folder.resolve("tokenizer")))
                if (Files.isRegularFile(d.resolve("tokenizer.json")) || Files.isRegularFile(d.resolve("vocab.json")))
                    return ClipTokenizer.fromHuggingFaceFolder(folder);
        }
        return ClipTokenizer.openClip();
    }

    /**
     * An optional helper folder (e.g. PickScore's processor repo): the given location (errors propagate), else the
     * default if it is in the local cache, else null.
     */
    static Path optionalFolder(ScorerOptions o, Map<String, String> defaults, String role) {
        String given = o.model(role);
        if (given != null) return ModelLocator.system().locate(given, List.of());
        String dflt = defaults.get(role);
        if (dflt == null) return null;
        try {
            return ModelLocator.system().locate(dflt, List.of());
        } catch (ModelNotFoundException e) {
            return null;
        }
    }

    /** P2 from the first of {@code folders} that has a {@code preprocessor_config.json}, else CLIPImageProcessor's defaults. */
    static ImageTransform huggingFaceTransform(int size, Path... folders) {
        for (Path f : folders)
            if (f != null && Files.isRegularFile(f.resolve("preprocessor_config.json")))
                return ClipTransforms.huggingFace(f.resolve("preprocessor_config.json"), size);
        return ClipTransforms.huggingFace(null, size);
    }
}

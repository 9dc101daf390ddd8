package dev.palate.models.judges;

import java.util.List;

import dev.palate.engine.generate.GenerationConfig;
import dev.palate.preprocess.qwen2vl.VisionPatches;

/**
 * A vision-language model that writes text: prompts with their images in, greedy continuations out, several
 * prompts decoded together in one left-padded batch with a KV cache. Implemented per model family
 * ({@link Qwen3VlGenerator}, {@link Qwen35Generator}); judges know only this.
 */
interface VisionLanguageGenerator extends AutoCloseable {

    /** One prompt: its token ids with every image slot expanded, and its images' patches in slot order. */
    record Prompt(int[] ids, List<VisionPatches> images) {}

    /** The new token ids of each prompt (its end token included when it stopped on one). */
    List<int[]> generate(List<Prompt> prompts, GenerationConfig config);

    /** {@code <|image_pad|>}'s id and the spatial merge of the vision tower (tokens per image = patches / merge²). */
    int imageTokenId();

    int spatialMergeSize();

    @Override
    void close();
}

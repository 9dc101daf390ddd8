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

    /**
     * A batch of prompts laid out as the family models take them: ids per row, every row's image patches stacked in
     * row order ({@code [N, C·T·P·P]}, null without images; in the caller's scope), their grids, images per row.
     */
    record Packed(List<int[]> ids, org.bytedeco.pytorch.Tensor pixelValues, List<int[]> grids, List<Integer> imagesPerRow) {
        static Packed of(List<Prompt> prompts) {
            List<int[]> ids = new java.util.ArrayList<>();
            List<VisionPatches> images = new java.util.ArrayList<>();
            List<int[]> grids = new java.util.ArrayList<>();
            List<Integer> perRow = new java.util.ArrayList<>();
            for (Prompt p : prompts) {
                ids.add(p.ids());
                for (VisionPatches v : p.images()) { images.add(v); grids.add(new int[] {v.gridT(), v.gridH(), v.gridW()}); }
                perRow.add(p.images().size());
            }
            org.bytedeco.pytorch.Tensor px = images.isEmpty() ? null : dev.palate.engine.Tensors.fromFloats(VisionPatches.concatenate(images),
                    images.stream().mapToLong(VisionPatches::patches).sum(), images.get(0).patchDim());
            return new Packed(ids, px, grids, perRow);
        }

        /** The padded prompt length plus the decoding budget: the cache capacity a generation needs. */
        int capacity(GenerationConfig config) {
            return ids.stream().mapToInt(x -> x.length).max().orElseThrow() + config.maxNewTokens();
        }
    }

    /** The new token ids of each prompt (its end token included when it stopped on one). */
    List<int[]> generate(List<Prompt> prompts, GenerationConfig config);

    /** {@code <|image_pad|>}'s id and the spatial merge of the vision tower (tokens per image = patches / merge²). */
    int imageTokenId();

    int spatialMergeSize();

    @Override
    void close();
}

package dev.palate.models.judges;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Tensor;

import dev.palate.engine.NativeScope;
import dev.palate.engine.Tensors;
import dev.palate.engine.generate.GenerationConfig;
import dev.palate.engine.generate.GreedyDecoder;
import dev.palate.models.qwen35.Qwen35Model;
import dev.palate.preprocess.qwen2vl.VisionPatches;

/** {@link VisionLanguageGenerator} over {@link Qwen35Model} (UnifiedReward 2.0, Qwen-Image-Bench). */
final class Qwen35Generator implements VisionLanguageGenerator {
    private final Qwen35Model model;

    Qwen35Generator(Qwen35Model model) {
        this.model = model;
    }

    @Override
    public List<int[]> generate(List<Prompt> prompts, GenerationConfig config) {
        List<int[]> ids = new ArrayList<>();
        List<VisionPatches> images = new ArrayList<>();
        List<int[]> grids = new ArrayList<>();
        List<Integer> perRow = new ArrayList<>();
        for (Prompt p : prompts) {
            ids.add(p.ids());
            for (VisionPatches v : p.images()) { images.add(v); grids.add(new int[] {v.gridT(), v.gridH(), v.gridW()}); }
            perRow.add(p.images().size());
        }
        int width = ids.stream().mapToInt(x -> x.length).max().orElseThrow();
        try (NativeScope s = NativeScope.open(); Qwen35Model.State cache = model.newState(prompts.size(), width + config.maxNewTokens())) {
            Tensor px = images.isEmpty() ? null : Tensors.fromFloats(VisionPatches.concatenate(images),
                    images.stream().mapToLong(VisionPatches::patches).sum(), images.get(0).patchDim());
            Qwen35Model.Prefill p = model.prefill(new Qwen35Model.Batch(ids, px, grids, perRow), cache);
            long[] position = p.nextPosition().clone();
            return GreedyDecoder.decode(p.logits(), ids, config, tokens -> {
                Tensor logits = model.step(tokens, position, p.padding(), cache);
                for (int r = 0; r < position.length; r++) position[r]++;
                return logits;
            }).ids();
        }
    }

    @Override
    public int imageTokenId() { return model.config().imageTokenId(); }

    @Override
    public int spatialMergeSize() { return model.config().vision().spatialMergeSize(); }

    @Override
    public void close() { model.close(); }

    @Override
    public String toString() { return model.toString(); }
}

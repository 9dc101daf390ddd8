package dev.palate.models.judges;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Tensor;

import dev.palate.engine.NativeScope;
import dev.palate.engine.Tensors;
import dev.palate.engine.generate.GenerationConfig;
import dev.palate.engine.generate.GreedyDecoder;
import dev.palate.engine.nn.KvCache;
import dev.palate.models.qwen3vl.Qwen3VlModel;
import dev.palate.preprocess.qwen2vl.VisionPatches;

/** {@link VisionLanguageGenerator} over {@link Qwen3VlModel} (UnifiedReward-Edit). */
final class Qwen3VlGenerator implements VisionLanguageGenerator {
    private final Qwen3VlModel model;

    Qwen3VlGenerator(Qwen3VlModel model) {
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
        try (NativeScope s = NativeScope.open(); KvCache cache = model.newCache(prompts.size(), width + config.maxNewTokens())) {
            Tensor px = images.isEmpty() ? null : Tensors.fromFloats(VisionPatches.concatenate(images),
                    images.stream().mapToLong(VisionPatches::patches).sum(), images.get(0).patchDim());
            Qwen3VlModel.Prefill p = model.prefill(new Qwen3VlModel.Batch(ids, px, grids, perRow), cache, false);
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

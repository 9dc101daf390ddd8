package dev.palate.models.judges;

import java.util.List;

import org.bytedeco.pytorch.Tensor;

import dev.palate.engine.NativeScope;
import dev.palate.engine.generate.GenerationConfig;
import dev.palate.engine.generate.GreedyDecoder;
import dev.palate.engine.nn.KvCache;
import dev.palate.models.qwen3vl.Qwen3VlModel;

/** {@link VisionLanguageGenerator} over {@link Qwen3VlModel} (UnifiedReward-Edit). */
final class Qwen3VlGenerator implements VisionLanguageGenerator {
    private final Qwen3VlModel model;

    Qwen3VlGenerator(Qwen3VlModel model) {
        this.model = model;
    }

    @Override
    public List<int[]> generate(List<Prompt> prompts, GenerationConfig config) {
        try (NativeScope s = NativeScope.open()) {
            Packed b = Packed.of(prompts);
            try (KvCache cache = model.newCache(prompts.size(), b.capacity(config))) {
                Qwen3VlModel.Prefill p = model.prefill(new Qwen3VlModel.Batch(b.ids(), b.pixelValues(), b.grids(), b.imagesPerRow()), cache, false);
                long[] position = p.nextPosition().clone();
                return GreedyDecoder.decode(p.logits(), b.ids(), config, tokens -> {
                    Tensor logits = model.step(tokens, position, p.padding(), cache);
                    for (int r = 0; r < position.length; r++) position[r]++;
                    return logits;
                }).ids();
            }
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

package dev.palate.models.judges;

import java.util.List;

import org.bytedeco.pytorch.Tensor;

import dev.palate.engine.NativeScope;
import dev.palate.engine.generate.GenerationConfig;
import dev.palate.engine.generate.GreedyDecoder;
import dev.palate.models.qwen35.Qwen35Model;

/** {@link VisionLanguageGenerator} over {@link Qwen35Model} (UnifiedReward 2.0, Qwen-Image-Bench). */
final class Qwen35Generator implements VisionLanguageGenerator {
    private final Qwen35Model model;

    Qwen35Generator(Qwen35Model model) {
        this.model = model;
    }

    @Override
    public List<int[]> generate(List<Prompt> prompts, GenerationConfig config) {
        try (NativeScope s = NativeScope.open()) {
            Packed b = Packed.of(prompts);
            try (Qwen35Model.State cache = model.newState(prompts.size(), b.capacity(config))) {
                Qwen35Model.Prefill p = model.prefill(new Qwen35Model.Batch(b.ids(), b.pixelValues(), b.grids(), b.imagesPerRow()), cache);
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

package dev.palate.models.blip;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.palate.models.MetricInfo;
import dev.palate.models.ModelLocator;
import dev.palate.models.ModelNotFoundException;
import dev.palate.models.Scorer;
import dev.palate.models.ScorerFactory;
import dev.palate.models.ScorerOptions;

/**
 * Registers {@code imagereward}. The model role is a folder or file, a Hugging Face id or a ModelScope id (local
 * caches only); by default {@code THUDM/ImageReward}, then its new name {@code zai-org/ImageReward}.
 */
public final class ImageRewardScorerFactory implements ScorerFactory {
    static final List<String> DEFAULT_IDS = List.of("THUDM/ImageReward", "zai-org/ImageReward");

    @Override
    public String name() { return ImageRewardScorer.METRIC.name(); }

    @Override
    public MetricInfo metric() { return ImageRewardScorer.METRIC; }

    @Override
    public Map<String, String> defaultModels() { return Map.of(ScorerOptions.MODEL, DEFAULT_IDS.get(0)); }

    @Override
    public Scorer create(ScorerOptions o) {
        return ImageRewardScorer.open(locate(o.model(ScorerOptions.MODEL), ModelLocator.system()), o);
    }

    /** The given spec, or the first default id found in the local caches; the error lists every place looked. */
    static Path locate(String given, ModelLocator locator) {
        if (given != null) return locator.locate(given, ImageRewardModel.WEIGHT_FILES);
        List<String> misses = new ArrayList<>();
        for (String id : DEFAULT_IDS) {
            try {
                return locator.locate(id, ImageRewardModel.WEIGHT_FILES);
            } catch (ModelNotFoundException e) {
                misses.add(e.getMessage());
            }
        }
        throw new ModelNotFoundException("imagereward: no default weights in the local caches (download ImageReward.pt and"
                + " med_config.json of THUDM/ImageReward, or pass --model PATH)\n" + String.join("\n", misses));
    }
}

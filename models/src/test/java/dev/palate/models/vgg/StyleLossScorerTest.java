package dev.palate.models.vgg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.palate.engine.NativeScope;
import dev.palate.engine.weights.SafetensorsWriter;
import dev.palate.models.ImageInput;
import dev.palate.models.MetricInfo;
import dev.palate.models.Scorer;
import dev.palate.models.ScorerOptions;
import dev.palate.models.fid.DeterministicWeights;
import dev.palate.models.fid.FidFixtures;

class StyleLossScorerTest {
    @TempDir Path tmp;

    @Test
    void aTargetImageScoresZeroAgainstItselfAndLowerIsBetter() throws Exception {
        Path weights = tmp.resolve("vgg19_features.safetensors");
        DeterministicWeights w = new DeterministicWeights(DeterministicWeights.FIXTURE_SEED, Vgg19Features.parameterShapes());
        try (NativeScope s = NativeScope.open()) {
            Map<String, Tensor> t = new LinkedHashMap<>();
            for (String k : w.keys()) t.put("features." + k, w.get(k)); // torchvision's full-model naming
            SafetensorsWriter.write(weights, t, Map.of());
        }
        Path style = Files.createDirectories(tmp.resolve("style"));
        Files.copy(FidFixtures.image("img1_256x256.png"), style.resolve("img1_256x256.png"));
        StyleLossScorerFactory f = new StyleLossScorerFactory();
        assertEquals(MetricInfo.Direction.LOWER_IS_BETTER, f.metric().direction());
        try (Scorer s = f.create(ScorerOptions.builder().model(weights.toString()).model("style", style.toString()).build())) {
            float[] v = s.score("ignored", List.of(ImageInput.of(style.resolve("img1_256x256.png")))).values();
            assertEquals(0f, v[0], 0f);
        }
        assertThrows(IllegalArgumentException.class, () -> f.create(ScorerOptions.builder().model(weights.toString()).build()));
    }
}

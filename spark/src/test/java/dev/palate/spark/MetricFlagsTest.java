package dev.palate.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.palate.engine.DType;
import dev.palate.engine.Device;
import dev.palate.models.ScorerOptions;
import dev.palate.models.SharedModels;

/** palate score's --model/--set rules, checked on the driver before anything loads. */
class MetricFlagsTest {
    static Map<String, ScorerOptions> parse(List<String> metrics, List<String> models, List<String> settings) {
        return MetricFlags.optionsPerMetric(metrics, models, settings, Device.CPU, DType.F32, 8, new SharedModels());
    }

    @Test
    void modelsGoToTheirMetricAndRoleAndSettingsToTheirMetric() {
        Map<String, ScorerOptions> o = parse(List.of("hpsv2.1", "aesthetic-v2"),
                List.of("hpsv2.1=/m/HPS_v2.1_compressed.pt", "aesthetic-v2=/m/head.pth", "aesthetic-v2:backbone=openai/clip-vit-large-patch14"),
                List.of("hpsv2.1:resize=antialias"));
        assertEquals("/m/HPS_v2.1_compressed.pt", o.get("hpsv2.1").model(ScorerOptions.MODEL));
        assertEquals("openai/clip-vit-large-patch14", o.get("aesthetic-v2").model(ScorerOptions.BACKBONE));
        assertEquals("antialias", o.get("hpsv2.1").setting("resize"));
        assertEquals(Map.of(), o.get("aesthetic-v2").settings());
        assertEquals("/only", parse(List.of("hpsv2"), List.of("/only"), List.of()).get("hpsv2").model(ScorerOptions.MODEL),
                "an unnamed model with one metric");
    }

    @Test
    void mistakesFailBeforeLoadingWithTheRuleInTheMessage() {
        String several = assertThrows(IllegalArgumentException.class,
                () -> parse(List.of("hpsv2", "clip-score"), List.of("/m"), List.of())).getMessage();
        assertTrue(several.contains("name the metric, e.g. hpsv2=/m"), several);
        String other = assertThrows(IllegalArgumentException.class,
                () -> parse(List.of("hpsv2"), List.of("clip-score=/m"), List.of())).getMessage();
        assertTrue(other.contains("'clip-score' is not among the metrics [hpsv2]"), other);
        String option = assertThrows(IllegalArgumentException.class,
                () -> parse(List.of("hpsv2"), List.of(), List.of("hpsv2:size=3"))).getMessage();
        assertTrue(option.contains("hpsv2 has no option 'size'"), option);
        String syntax = assertThrows(IllegalArgumentException.class,
                () -> parse(List.of("hpsv2"), List.of(), List.of("resize=antialias"))).getMessage();
        assertTrue(syntax.contains(MetricFlags.SET_SYNTAX), syntax);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(List.of("nope"), List.of(), List.of()))
                .getMessage().contains("unknown metric 'nope'"));
    }
}

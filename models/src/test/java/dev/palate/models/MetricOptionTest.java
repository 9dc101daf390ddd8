package dev.palate.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Declared metric options: defaults filled in, unknown keys and values refused with what is accepted. */
class MetricOptionTest {
    private static final MetricOption POSITIONS = MetricOption.choice("positions", "official", "which position ids",
            "official", "diffsynth");
    private static final MetricOption TOKENS = new MetricOption("max-new-tokens", List.of(), "512", "a number");

    @Test
    void unsetOptionsTakeTheirDefaultsInDeclarationOrder() {
        Map<String, String> got = MetricOption.resolve("m", List.of(POSITIONS, TOKENS), Map.of("max-new-tokens", "64"));
        assertEquals(List.of("positions", "max-new-tokens"), List.copyOf(got.keySet()));
        assertEquals("official", got.get("positions"));
        assertEquals("64", got.get("max-new-tokens"));
        assertEquals("diffsynth", POSITIONS.value(ScorerOptions.builder().set("positions", "diffsynth").build()));
        assertEquals("official", POSITIONS.value(ScorerOptions.defaults()));
    }

    @Test
    void anUnknownKeyIsRefusedListingTheOptionsTheMetricHas() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MetricOption.resolve("hpsv3", List.of(POSITIONS), Map.of("position", "official")));
        assertTrue(e.getMessage().contains("hpsv3 has no option 'position'"), e.getMessage());
        assertTrue(e.getMessage().contains("positions=official|diffsynth (default official)"), e.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> MetricOption.resolve("pickscore", List.of(), Map.of("resize", "legacy")));
        assertTrue(none.getMessage().contains("pickscore takes no options"), none.getMessage());
    }

    @Test
    void aValueOutsideTheAllowedOnesIsRefusedListingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MetricOption.resolve("hpsv3", List.of(POSITIONS), Map.of("positions", "3d")));
        assertTrue(e.getMessage().contains("positions=3d is not allowed: use positions=official|diffsynth"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MetricOption.resolve("m", List.of(TOKENS), Map.of("max-new-tokens", " ")));
        assertThrows(IllegalArgumentException.class, () -> MetricOption.choice("resize", "nearest", "d", "legacy", "antialias"));
    }

    @Test
    void theRegistryRefusesABadOptionBeforeLookingForWeights() {
        ScorerOptions o = ScorerOptions.builder().model("/no/such/checkpoint.pt").set("resize", "bilinear").build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScorerRegistry.create("hpsv2", o));
        assertTrue(e.getMessage().startsWith("hpsv2: resize=bilinear is not allowed: use resize=legacy|antialias (default legacy)"),
                e.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> ScorerRegistry.create("pickscore",
                ScorerOptions.builder().model("/no/such/folder").set("resize", "antialias").build()));
        assertTrue(unknown.getMessage().contains("pickscore has no option 'resize'"), unknown.getMessage());
    }
}

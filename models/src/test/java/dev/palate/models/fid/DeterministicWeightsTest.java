package dev.palate.models.fid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

class DeterministicWeightsTest {
    @Test
    void ruleReproducesWeightsProbeBitForBit() {
        assertEquals(DeterministicWeights.FIXTURE_SEED, FidFixtures.manifestSeed());
        Path probe = FidFixtures.dir().resolve("weights_probe.safetensors");
        String[][] cases = {
            {"inception", "Conv2d_1a_3x3.conv.weight"}, {"inception", "Conv2d_1a_3x3.bn.weight"},
            {"inception", "Conv2d_1a_3x3.bn.bias"}, {"vgg19_features", "0.weight"}, {"vgg19_features", "0.bias"},
        };
        for (String[] c : cases) {
            Map<String, long[]> shapes = FidFixtures.manifest(c[0]);
            DeterministicWeights w = new DeterministicWeights(DeterministicWeights.FIXTURE_SEED, shapes);
            float[] mine = w.values(c[1], shapes.get(c[1]));
            int[] bits = new int[mine.length];
            for (int i = 0; i < mine.length; i++) bits[i] = Float.floatToRawIntBits(mine[i]);
            assertArrayEquals(FidFixtures.readF32Bits(probe, c[0] + "/" + c[1]), bits, c[0] + "/" + c[1]);
        }
    }
}

package dev.palate.models.inception;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.palate.engine.Device;
import dev.palate.engine.NativeScope;
import dev.palate.engine.Tensors;
import dev.palate.models.fid.DeterministicWeights;
import dev.palate.models.fid.FidFixtures;
import dev.palate.models.fid.InceptionInput;
import dev.palate.models.fid.RgbImage;

class FidInceptionV3Test {
    static final String[] IMAGES = {"img0_256x256.png", "img1_256x256.png", "img2_256x256.png", "img3_256x256.png",
        "img4_299x299.png", "img5_512x384.png"};
    static FidInceptionV3 net;

    @BeforeAll
    static void load() {
        net = FidInceptionV3.load(new DeterministicWeights(DeterministicWeights.FIXTURE_SEED, FidInceptionV3.parameterShapes()), Device.CPU);
    }

    @AfterAll
    static void close() { net.close(); }

    @Test
    void architectureTableNamesAndShapesEveryTensorOfTheManifest() {
        Map<String, long[]> manifest = FidFixtures.manifest("inception");
        Map<String, long[]> mine = FidInceptionV3.parameterShapes();
        assertEquals(List.copyOf(manifest.keySet()), List.copyOf(mine.keySet()));
        for (String k : manifest.keySet()) assertArrayEquals(manifest.get(k), mine.get(k), k);
    }

    @Test
    void pool3MatchesPytorchFidWithin1e4AbsoluteForEveryFixtureImage() {
        double worst = 0;
        for (String name : IMAGES) {
            double[] expected = FidFixtures.read(FidFixtures.expected(), "pool3/" + name);
            float[] got;
            try (NativeScope s = NativeScope.open()) {
                Tensor x = InceptionInput.batch(List.of(RgbImage.read(FidFixtures.image(name))), InceptionInput.Mode.LEGACY);
                got = Tensors.toFloats(net.pool3(x));
            }
            assertEquals(2048, got.length);
            double max = 0;
            for (int i = 0; i < got.length; i++) max = Math.max(max, Math.abs(got[i] - expected[i]));
            System.out.printf("pool3 %s: max |diff| = %.3g%n", name, max);
            worst = Math.max(worst, max);
            assertTrue(max <= 1e-4, name + ": max abs diff " + max);
        }
        System.out.printf("pool3 worst max |diff| over %d images = %.3g (tolerance 1e-4)%n", IMAGES.length, worst);
    }

    @Test
    void intermediateBlocksGivePooledFeaturesOfTheirWidth() {
        try (NativeScope s = NativeScope.open()) {
            Tensor x = InceptionInput.batch(List.of(RgbImage.read(FidFixtures.image(IMAGES[0])),
                    RgbImage.read(FidFixtures.image(IMAGES[1]))), InceptionInput.Mode.LEGACY);
            for (int dims : new int[]{64, 192, 768}) assertArrayEquals(new long[]{2, dims}, Tensors.shape(net.features(x, dims)));
        }
    }

    @Test
    void torchvisionsImageNetInceptionIsRejectedWithAnExplanation() {
        Map<String, long[]> shapes = new java.util.LinkedHashMap<>(FidInceptionV3.parameterShapes());
        shapes.put("AuxLogits.fc.weight", new long[]{1000, 768});
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> FidInceptionV3.load(new DeterministicWeights(1, shapes), Device.CPU));
        assertTrue(e.getMessage().contains("torchvision") && e.getMessage().contains("pt_inception-2015-12-05-6726825d.pth"), e.getMessage());
        shapes.remove("AuxLogits.fc.weight");
        shapes.remove("Mixed_7c.branch_pool.conv.weight");
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> FidInceptionV3.load(new DeterministicWeights(1, shapes), Device.CPU));
        assertTrue(e.getMessage().contains("Mixed_7c.branch_pool.conv.weight"), e.getMessage());
    }
}

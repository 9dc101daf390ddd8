package dev.palate.models.vgg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.palate.engine.Device;
import dev.palate.models.fid.DeterministicWeights;
import dev.palate.models.fid.FidFixtures;
import dev.palate.models.fid.RgbImage;

class GramStyleLossTest {
    static Vgg19Features net;

    @BeforeAll
    static void load() {
        net = Vgg19Features.load(new DeterministicWeights(DeterministicWeights.FIXTURE_SEED, Vgg19Features.parameterShapes()), Device.CPU);
    }

    @AfterAll
    static void close() { net.close(); }

    @Test
    void keyTableMatchesTheManifest() {
        Map<String, long[]> manifest = FidFixtures.manifest("vgg19_features");
        Map<String, long[]> mine = Vgg19Features.parameterShapes();
        assertEquals(List.copyOf(manifest.keySet()), List.copyOf(mine.keySet()));
        for (String k : manifest.keySet()) assertArrayEquals(manifest.get(k), mine.get(k), k);
    }

    @Test
    void styleLayersAndTotalMatchTorchvisionVgg19Within1e4Relative() {
        RgbImage a = RgbImage.read(FidFixtures.image("img0_256x256.png"));
        RgbImage b = RgbImage.read(FidFixtures.image("img1_256x256.png"));
        GramStyleLoss.Loss loss = GramStyleLoss.between(net, a, b);
        for (String layer : Vgg19Features.STYLE_LAYERS.keySet()) {
            double expected = FidFixtures.read(FidFixtures.expected(), "style/" + layer)[0];
            double rel = Math.abs(loss.perLayer().get(layer) - expected) / Math.abs(expected);
            System.out.printf("style/%s: palate %.8g, torch %.8g, rel diff %.3g (tolerance 1e-4)%n", layer, loss.perLayer().get(layer), expected, rel);
            assertTrue(rel <= 1e-4, layer + " relative difference " + rel);
        }
        double expected = FidFixtures.read(FidFixtures.expected(), "style_loss")[0];
        double rel = Math.abs(loss.total() - expected) / Math.abs(expected);
        System.out.printf("style_loss: palate %.8g, torch %.8g, rel diff %.3g (tolerance 1e-4)%n", loss.total(), expected, rel);
        assertTrue(rel <= 1e-4, "style_loss relative difference " + rel);
    }

    @Test
    void targetOfOneImageIsThatImagesGramsAndScoresItZero() {
        RgbImage a = crop(RgbImage.read(FidFixtures.image("img0_256x256.png")), 64);
        RgbImage b = crop(RgbImage.read(FidFixtures.image("img1_256x256.png")), 64);
        try (GramStyleLoss target = GramStyleLoss.toTarget(net, List.of(b))) {
            assertEquals(0.0, target.loss(b).total(), 0.0);
            double viaTarget = target.loss(a).total(), direct = GramStyleLoss.between(net, a, b).total();
            assertEquals(direct, viaTarget, 1e-6 * direct);
        }
    }

    /** The top-left s×s pixels (small inputs keep this test fast). */
    static RgbImage crop(RgbImage im, int s) {
        byte[] out = new byte[s * s * 3];
        for (int y = 0; y < s; y++) System.arraycopy(im.rgb(), y * im.width() * 3, out, y * s * 3, s * 3);
        return new RgbImage(s, s, out);
    }
}

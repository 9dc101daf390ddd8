package dev.palate.models.fid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.palate.engine.Device;
import dev.palate.models.inception.FidInceptionV3;

class FidCalculatorTest {
    static FidInceptionV3 net;

    @BeforeAll
    static void load() {
        net = FidInceptionV3.load(new DeterministicWeights(DeterministicWeights.FIXTURE_SEED, FidInceptionV3.parameterShapes()), Device.CPU);
    }

    @AfterAll
    static void close() { net.close(); }

    @TempDir Path tmp;

    @Test
    void batchedFolderFeaturesOfMixedSizesMatchPool3FixturesWithin1e4() {
        List<String> progress = new ArrayList<>();
        FidCalculator calc = new FidCalculator(net, new FidCalculator.Options(2048, InceptionInput.Mode.LEGACY, 4),
                (what, done, total) -> progress.add(what + " " + done + "/" + total));
        List<Path> files = FidCalculator.listImages(FidFixtures.dir().resolve("images"));
        assertEquals(6, files.size());
        FeatureMatrix f = calc.features(files, "images");
        double max = 0;
        for (int i = 0; i < files.size(); i++) {
            double[] expected = FidFixtures.read(FidFixtures.expected(), "pool3/" + files.get(i).getFileName());
            for (int k = 0; k < 2048; k++) max = Math.max(max, Math.abs(f.at(i, k) - expected[k]));
        }
        System.out.printf("batched (4, mixed sizes) pool3 max |diff| = %.3g (tolerance 1e-4)%n", max);
        assertTrue(max <= 1e-4, "max abs diff " + max);
        assertEquals(List.of("images 4/6", "images 6/6"), progress);
    }

    @Test
    void savedStatsOfAFolderGiveTheSameFidAsTheFolder() {
        Path images = FidFixtures.dir().resolve("images");
        FidCalculator calc = new FidCalculator(net, new FidCalculator.Options(64, InceptionInput.Mode.LEGACY, 6), FidCalculator.Progress.NONE);
        Path npz = tmp.resolve("ref.npz");
        FidCalculator.Result fromFolder = calc.compute(images, images, null, npz);
        assertEquals(0.0, fromFolder.fid(), 1e-6);
        FidCalculator.Result fromNpz = calc.compute(npz, images, null, null);
        assertEquals(fromFolder.fid(), fromNpz.fid(), 0.0);
        assertThrows(IllegalArgumentException.class, () -> calc.compute(npz, images, FidCalculator.KidSettings.defaults(), null));
    }

    @Test
    void cleanModeIsTheIdentityAt299AndResizesOtherSizes() {
        RgbImage im299 = RgbImage.read(FidFixtures.image("img4_299x299.png"));
        float[] clean = PilFloatBicubic.resizeRgb(im299, 299, 299);
        for (int p = 0; p < 299 * 299; p++) assertEquals(im299.rgb()[3 * p] & 0xFF, clean[p], 0f);
        byte[] grey = new byte[40 * 30 * 3];
        java.util.Arrays.fill(grey, (byte) 200);
        float[] up = PilFloatBicubic.resizeRgb(new RgbImage(40, 30, grey), 299, 299);
        for (float v : up) assertEquals(200f, v, 1e-3f); // normalised coefficients keep a constant image constant
    }

    @Test
    void emptyFolderIsAnErrorNamingIt() throws Exception {
        Files.writeString(tmp.resolve("notes.txt"), "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FidCalculator.listImages(tmp));
        assertTrue(e.getMessage().contains(tmp.toString()), e.getMessage());
    }
}

package dev.palate.models.fid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpzStatsTest {
    static final double[] MU = {0.5, -1.25, 3.0};
    // sigma = a @ a.T for the a in src/test/resources/dev/palate/models/fid/README.md (exact in binary)
    static final double[] SIGMA = {1.25, 1.25, 0.0625, 1.25, 5.0625, -2.75, 0.0625, -2.75, 9.015625};

    @TempDir Path tmp;

    Path resource(String name) throws IOException {
        Path p = tmp.resolve(name);
        try (InputStream in = getClass().getResourceAsStream(name)) {
            Files.copy(in, p);
        }
        return p;
    }

    @Test
    void readsStatsWrittenByNumpySavezCompressed() throws IOException {
        FeatureStatistics s = NpzStats.read(resource("numpy_stats.npz"));
        assertEquals(3, s.dim());
        assertArrayEquals(MU, s.mu(), 0.0);
        assertArrayEquals(SIGMA, s.sigma(), 0.0);
    }

    @Test
    void readsUncompressedFloat32FortranOrderNpz() throws IOException {
        FeatureStatistics s = NpzStats.read(resource("numpy_stats_uncompressed_f32.npz"));
        assertArrayEquals(MU, s.mu(), 0.0);
        assertArrayEquals(SIGMA, s.sigma(), 0.0); // every value is exact in float32
    }

    @Test
    void roundTripOfFixtureStatisticsIsBitExact() {
        double[] v = FidFixtures.read(FidFixtures.expected(), "features_a");
        FeatureStatistics s = FeatureStatistics.of(new FeatureMatrix(v, v.length / 64, 64));
        Path f = tmp.resolve("ref/stats.npz");
        NpzStats.write(f, s);
        FeatureStatistics back = NpzStats.read(f);
        assertArrayEquals(s.mu(), back.mu(), 0.0);
        assertArrayEquals(s.sigma(), back.sigma(), 0.0);
        assertEquals(0.0, FrechetDistance.of(s, back), 1e-9);
    }

    @Test
    void writtenNpyHeaderFollowsTheFormatSpec() {
        byte[] b = new NpyArray(MU, new long[]{3}).toBytes();
        int headerLen = (b[8] & 0xFF) | (b[9] & 0xFF) << 8;
        assertEquals(0, (10 + headerLen) % 64);
        String header = new String(b, 10, headerLen, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(header.startsWith("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }"), header);
        assertTrue(header.endsWith("\n"));
        assertEquals(10 + headerLen + 24, b.length);
    }

    @Test
    void missingSigmaIsAnErrorNamingTheFile() throws IOException {
        Path f = tmp.resolve("bad.npz");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(f))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("mu.npy"));
            zip.write(new NpyArray(MU, new long[]{3}).toBytes());
            zip.closeEntry();
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NpzStats.read(f));
        assertTrue(e.getMessage().contains("bad.npz") && e.getMessage().contains("sigma"), e.getMessage());
    }
}

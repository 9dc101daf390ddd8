package dev.palate.models.fid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FrechetAndKidTest {
    static FeatureMatrix fixture(String key, int dim) {
        double[] v = FidFixtures.read(FidFixtures.expected(), key);
        return new FeatureMatrix(v, v.length / dim, dim);
    }

    @Test
    void fidOfFixtureFeaturesMatchesPytorchFidWithin1e6Relative() {
        FeatureMatrix a = fixture("features_a", 64), b = fixture("features_b", 64);
        FrechetDistance.Result r = FrechetDistance.compute(FeatureStatistics.of(a), FeatureStatistics.of(b));
        double expected = FidFixtures.read(FidFixtures.expected(), "fid")[0];
        double rel = Math.abs(r.value() - expected) / Math.abs(expected);
        System.out.printf("fid: palate %.12g, pytorch-fid %.12g, rel diff %.3g (tolerance 1e-6); method: %s%n",
                r.value(), expected, rel, FrechetDistance.METHOD);
        assertTrue(rel <= 1e-6, "relative difference " + rel);
        assertTrue(r.warnings().isEmpty(), r.warnings().toString());
    }

    @Test
    void kidOfOneSubsetOfAllRowsMatchesCleanFidWithin1e6Relative() {
        FeatureMatrix a = fixture("features_a", 64), b = fixture("features_b", 64);
        int n = Math.min(a.rows(), b.rows());
        KernelInceptionDistance.Result r = KernelInceptionDistance.compute(a.head(n), b.head(n), 1, n, 0);
        double expected = FidFixtures.read(FidFixtures.expected(), "kid")[0];
        double rel = Math.abs(r.mean() - expected) / Math.abs(expected);
        System.out.printf("kid: palate %.12g, clean-fid %.12g, rel diff %.3g (tolerance 1e-6)%n", r.mean(), expected, rel);
        assertTrue(rel <= 1e-6, "relative difference " + rel);
        assertEquals(0.0, r.std());
    }

    @Test
    void kidSubsetsAreReproducibleForASeedAndGiveAStd() {
        FeatureMatrix a = fixture("features_a", 64), b = fixture("features_b", 64);
        KernelInceptionDistance.Result r1 = KernelInceptionDistance.compute(a, b, 10, 100, 42);
        KernelInceptionDistance.Result r2 = KernelInceptionDistance.compute(a, b, 10, 100, 42);
        assertEquals(r1, r2);
        assertEquals(100, r1.subsetSize());
        assertTrue(r1.std() > 0);
    }

    @Test
    void identicalStatisticsHaveZeroDistance() {
        FeatureStatistics s = FeatureStatistics.of(fixture("features_a", 64));
        assertEquals(0.0, FrechetDistance.of(s, s), 1e-9);
    }
}

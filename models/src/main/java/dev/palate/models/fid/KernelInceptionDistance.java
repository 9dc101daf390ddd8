package dev.palate.models.fid;

import java.util.SplittableRandom;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

import dev.palate.engine.NativeScope;
import dev.palate.engine.Tensors;

/**
 * KID as clean-fid computes it ({@code cleanfid/fid.py kernel_distance}): polynomial kernel k(a, b) = (a·b/d + 1)³,
 * unbiased MMD² per subset of m = min(n1, n2, maxSubsetSize) rows of each set drawn without replacement,
 * averaged over subsets. Per subset: t = (ΣKxx + ΣKyy − their diagonals)/(m − 1) − 2ΣKxy/m, value t/m.
 *
 * <p>Subsets come from a seeded {@link SplittableRandom} (clean-fid uses numpy's global RNG, unseeded, so no two runs
 * of it agree either). When m equals a set's size, that set is used whole and in order: the estimate does not depend
 * on row order, so a single subset of all rows is exactly clean-fid's value. Products in float64 (libtorch).
 */
public final class KernelInceptionDistance {
    public static final int DEFAULT_SUBSETS = 100;
    public static final int DEFAULT_MAX_SUBSET_SIZE = 1000;
    public static final long DEFAULT_SEED = 0;

    /** Mean over subsets (clean-fid's value) and the population standard deviation of the per-subset values. */
    public record Result(double mean, double std, int subsets, int subsetSize, long seed) {}

    private KernelInceptionDistance() {}

    public static Result compute(FeatureMatrix feats1, FeatureMatrix feats2) {
        return compute(feats1, feats2, DEFAULT_SUBSETS, DEFAULT_MAX_SUBSET_SIZE, DEFAULT_SEED);
    }

    public static Result compute(FeatureMatrix feats1, FeatureMatrix feats2, int numSubsets, int maxSubsetSize, long seed) {
        if (feats1.dim() != feats2.dim())
            throw new IllegalArgumentException("feature sets have different dimensions: " + feats1.dim() + " vs " + feats2.dim());
        int d = feats1.dim();
        int m = Math.min(Math.min(feats1.rows(), feats2.rows()), maxSubsetSize);
        if (m < 2) throw new IllegalArgumentException("KID needs at least 2 images in each set, got " + feats1.rows() + " and " + feats2.rows());
        SplittableRandom rng = new SplittableRandom(seed);
        double[] values = new double[numSubsets];
        try (NativeScope s = NativeScope.open()) {
            Tensor all1 = Tensors.fromDoubles(feats1.data(), feats1.rows(), d);
            Tensor all2 = Tensors.fromDoubles(feats2.data(), feats2.rows(), d);
            for (int k = 0; k < numSubsets; k++) {
                try (NativeScope inner = NativeScope.open()) {
                    Tensor x = subset(all2, feats2.rows(), m, rng);             // [m, d] from the second set, as clean-fid
                    Tensor y = subset(all1, feats1.rows(), m, rng);             // [m, d]
                    Tensor a = kernel(x, x, d).add(kernel(y, y, d));             // [m, m]
                    Tensor b = kernel(x, y, d);                                  // [m, m]
                    double t = (a.sum().item_double() - a.diagonal().sum().item_double()) / (m - 1)
                            - b.sum().item_double() * 2 / m;
                    values[k] = t / m;
                }
            }
        }
        double mean = 0;
        for (double v : values) mean += v;
        mean /= numSubsets;
        double var = 0;
        for (double v : values) var += (v - mean) * (v - mean);
        return new Result(mean, Math.sqrt(var / numSubsets), numSubsets, m, seed);
    }

    /** m distinct rows, by a partial Fisher–Yates shuffle; all rows in order when m = n. */
    private static Tensor subset(Tensor all, int n, int m, SplittableRandom rng) {
        if (m == n) return all;
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        long[] pick = new long[m];
        for (int i = 0; i < m; i++) {
            int j = i + rng.nextInt(n - i);
            int t = idx[i]; idx[i] = idx[j]; idx[j] = t;
            pick[i] = idx[i];
        }
        return all.index_select(0, Tensors.fromLongs(pick, m));
    }

    /** (a·bᵀ/d + 1)³, [rows(a), rows(b)]. */
    private static Tensor kernel(Tensor a, Tensor b, int d) {
        return a.mm(b.t()).div(new Scalar((double) d)).add(new Scalar(1.0)).pow(new Scalar(3.0));
    }
}

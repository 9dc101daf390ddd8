package dev.palate.models.fid;

import org.bytedeco.pytorch.Tensor;

import dev.palate.engine.NativeScope;
import dev.palate.engine.Tensors;

/**
 * Mean and covariance of Inception features, float64, as pytorch-fid's {@code calculate_activation_statistics}:
 * {@code mu = mean(act, axis=0)}, {@code sigma = np.cov(act, rowvar=False)} (divides by n − 1).
 *
 * @param mu    [dim]
 * @param sigma [dim, dim] row-major
 */
public record FeatureStatistics(double[] mu, double[] sigma, int dim) {
    public FeatureStatistics {
        if (mu.length != dim || sigma.length != (long) dim * dim)
            throw new IllegalArgumentException("statistics of dimension " + dim + " need mu[" + dim + "] and sigma[" + dim + "x" + dim
                    + "], got mu[" + mu.length + "] and " + sigma.length + " sigma values");
    }

    /** Statistics of {@code features}; needs at least 2 rows (np.cov with n − 1). */
    public static FeatureStatistics of(FeatureMatrix features) {
        int n = features.rows(), d = features.dim();
        if (n < 2) throw new IllegalArgumentException("FID statistics need at least 2 images, got " + n);
        double[] mu = new double[d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) mu[j] += features.data()[i * d + j];
        for (int j = 0; j < d; j++) mu[j] /= n;
        try (NativeScope s = NativeScope.open()) {
            Tensor x = Tensors.fromDoubles(features.data(), n, d);                 // [n, d] float64
            Tensor centered = x.sub(Tensors.fromDoubles(mu, 1, d));                 // [n, d]
            Tensor cov = centered.t().mm(centered).div(new org.bytedeco.pytorch.Scalar((double) (n - 1))); // [d, d]
            return new FeatureStatistics(mu, Tensors.toDoubles(cov), d);
        }
    }
}

package dev.palate.models.fid;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.T_TensorTensor_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import dev.palate.engine.NativeScope;
import dev.palate.engine.Tensors;

/**
 * The Fréchet distance of two Gaussians, pytorch-fid's {@code calculate_frechet_distance}:
 * ‖μ1 − μ2‖² + tr Σ1 + tr Σ2 − 2·tr √(Σ1Σ2).
 *
 * <p>Method for tr √(Σ1Σ2) (pytorch-fid uses scipy {@code sqrtm} of the non-symmetric product): Σ1Σ2 is similar to the
 * symmetric positive semi-definite A = Σ1^½ Σ2 Σ1^½, so tr √(Σ1Σ2) = Σ √λ(A). Both square roots come from libtorch's
 * float64 {@code linalg_eigh}; eigenvalues below zero are round-off (what makes scipy's result complex) and count as 0,
 * the real part pytorch-fid keeps. When the result is not finite, the computation is repeated with ε = 1e-6 added to
 * both diagonals, as pytorch-fid does; when the discarded imaginary part Σ √(−λ) exceeds 1e-3 (pytorch-fid's atol),
 * a warning says so.
 */
public final class FrechetDistance {
    public static final double EPS = 1e-6;
    public static final double IMAGINARY_ATOL = 1e-3;
    public static final String METHOD = "tr sqrt(S1 S2) = sum sqrt(eig(S1^1/2 S2 S1^1/2)), float64 eigh (libtorch)";

    /** The distance, how it was computed, and anything a user should know about its accuracy. */
    public record Result(double value, double traceSqrt, double imaginaryPart, boolean epsOffsetUsed, List<String> warnings) {}

    private FrechetDistance() {}

    public static double of(FeatureStatistics a, FeatureStatistics b) { return compute(a, b).value(); }

    public static Result compute(FeatureStatistics a, FeatureStatistics b) {
        if (a.dim() != b.dim())
            throw new IllegalArgumentException("statistics have different dimensions: " + a.dim() + " vs " + b.dim()
                    + " (were both made with the same --dims?)");
        int d = a.dim();
        double diff2 = 0, tr1 = 0, tr2 = 0;
        for (int i = 0; i < d; i++) {
            double t = a.mu()[i] - b.mu()[i];
            diff2 += t * t;
            tr1 += a.sigma()[i * d + i];
            tr2 += b.sigma()[i * d + i];
        }
        List<String> warnings = new ArrayList<>();
        double[] tr = traceSqrtProduct(a.sigma(), b.sigma(), d, 0.0);
        boolean offset = false;
        if (!Double.isFinite(tr[0])) {
            warnings.add("fid calculation produces singular product; adding " + EPS + " to diagonal of cov estimates");
            tr = traceSqrtProduct(a.sigma(), b.sigma(), d, EPS);
            offset = true;
        }
        if (tr[1] > IMAGINARY_ATOL)
            warnings.add(String.format("sqrt(S1 S2) has a non-negligible imaginary part (%.3g > %.0e), kept the real part;"
                    + " pytorch-fid would stop with 'Imaginary component'. Use more images than feature dimensions.", tr[1], IMAGINARY_ATOL));
        double fid = diff2 + tr1 + tr2 - 2 * tr[0];
        return new Result(fid, tr[0], tr[1], offset, List.copyOf(warnings));
    }

    /** {tr √(Σ1Σ2) (real part), Σ √(−λ) over negative eigenvalues (the imaginary part dropped)}. */
    static double[] traceSqrtProduct(double[] s1, double[] s2, int d, double eps) {
        try (NativeScope s = NativeScope.open()) {
            Tensor a = Tensors.fromDoubles(s1, d, d);
            Tensor b = Tensors.fromDoubles(s2, d, d);
            if (eps != 0) {
                Tensor eye = torch.eye(d, new org.bytedeco.pytorch.TensorOptions(torch.ScalarType.Double)).mul(new org.bytedeco.pytorch.Scalar(eps));
                a = a.add(eye);
                b = b.add(eye);
            }
            Tensor sqrtA = symmetricSqrt(a);                                   // [d, d]
            Tensor m = sqrtA.mm(b).mm(sqrtA);                                  // [d, d] symmetric PSD up to round-off
            m = m.add(m.t()).mul(new org.bytedeco.pytorch.Scalar(0.5));
            double[] lambda = Tensors.toDoubles(torch.linalg_eigvalsh(m));
            double real = 0, imag = 0;
            for (double l : lambda) {
                if (Double.isNaN(l)) return new double[]{Double.NaN, 0};
                if (l >= 0) real += Math.sqrt(l);
                else imag += Math.sqrt(-l);
            }
            return new double[]{real, imag};
        }
    }

    /** V·diag(√max(w, 0))·Vᵀ of a symmetric matrix. */
    private static Tensor symmetricSqrt(Tensor a) {
        Tensor sym = a.add(a.t()).mul(new org.bytedeco.pytorch.Scalar(0.5));
        T_TensorTensor_T eig = torch.linalg_eigh(sym);
        Tensor w = eig.get0().clamp_min(new org.bytedeco.pytorch.Scalar(0.0)).sqrt();  // [d]
        Tensor v = eig.get1();                                                           // [d, d], columns eigenvectors
        return v.mul(w.unsqueeze(0)).mm(v.t());
    }
}

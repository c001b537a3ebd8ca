package org.hybridbench.emission;

import java.util.Arrays;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/** Small dense kernels on row-major d × d arrays. */
final class LinearAlgebra {
    private LinearAlgebra() {
    }

    /** Cholesky–Banachiewicz of a + jitter·I (lower L, a = L Lᵀ); null if a pivot is not positive. */
    static double[] cholesky(double[] a, int n, double jitter) {
        double[] l = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i * n + j] + (i == j ? jitter : 0);
                for (int m = 0; m < j; m++) {
                    s -= l[i * n + m] * l[j * n + m];
                }
                if (i == j) {
                    if (!(s > 0) || !Double.isFinite(s)) {
                        return null;
                    }
                    l[i * n + i] = Math.sqrt(s);
                } else {
                    l[i * n + j] = s / l[j * n + j];
                }
            }
        }
        return l;
    }

    /** Result of {@link #choleskyWithJitter}: the factor and the jitter it needed (0 if none). */
    record Factor(double[] lower, double jitter) {
    }

    /**
     * Cholesky with positive-definite repair: if a pivot is not positive (a matrix PD only up to round-off),
     * retry with jitter·I, jitter = max(floor, 1e-10·mean|diag|) growing tenfold, at most 10 times.
     */
    static Factor choleskyWithJitter(double[] a, int n, double floor) {
        double meanDiag = 0;
        for (int i = 0; i < n; i++) {
            meanDiag += Math.abs(a[i * n + i]) / n;
        }
        double jitter = 0;
        for (int attempt = 0; attempt <= 10; attempt++) {
            double[] l = cholesky(a, n, jitter);
            if (l != null) {
                return new Factor(l, jitter);
            }
            jitter = jitter == 0 ? Math.max(floor, 1e-10 * meanDiag) : jitter * 10;
        }
        throw new IllegalStateException("covariance is not positive definite even with jitter " + jitter + " on its diagonal: "
                + Arrays.toString(a));
    }

    /** U = L⁻ᵀ (upper triangular) for lower-triangular L, so that (L Lᵀ)⁻¹ = U Uᵀ. */
    static double[] inverseTranspose(double[] l, int n) {
        // X = L⁻¹ (lower) by forward substitution, column by column; U = Xᵀ.
        double[] x = new double[n * n];
        for (int j = 0; j < n; j++) {
            for (int i = j; i < n; i++) {
                double s = i == j ? 1 : 0;
                for (int m = j; m < i; m++) {
                    s -= l[i * n + m] * x[m * n + j];
                }
                x[i * n + j] = s / l[i * n + i];
            }
        }
        double[] u = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                u[j * n + i] = x[i * n + j];
            }
        }
        return u;
    }

    /**
     * V max(Λ, floor) Vᵀ for the symmetric S = V Λ Vᵀ: the maximiser of the Gaussian M-step objective subject to
     * Σ ⪰ floor·I (Won, Lim, Kim &amp; Rajaratnam 2013), so EM stays monotone. Returns how many eigenvalues were clamped.
     */
    static int clampEigenvalues(double[] s, int n, double floor) {
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                m[i][j] = 0.5 * (s[i * n + j] + s[j * n + i]);
            }
        }
        EigenDecomposition eig = new EigenDecomposition(new Array2DRowRealMatrix(m, false));
        double[] lambda = eig.getRealEigenvalues();
        int clamped = 0;
        for (double l : lambda) {
            if (l < floor) {
                clamped++;
            }
        }
        if (clamped == 0) {
            for (int i = 0; i < n; i++) {
                System.arraycopy(m[i], 0, s, i * n, n);
            }
            return 0;
        }
        RealMatrix v = eig.getV();
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double sum = 0;
                for (int q = 0; q < n; q++) {
                    sum += v.getEntry(i, q) * Math.max(lambda[q], floor) * v.getEntry(j, q);
                }
                s[i * n + j] = sum;
                s[j * n + i] = sum;
            }
        }
        return clamped;
    }
}

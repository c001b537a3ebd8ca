package org.hybridbench.mixture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.hybridbench.api.data.Matrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GaussianMixtureTest {

    /** Two 2-D components with hand-picked parameters. */
    static GaussianMixture tiny(CovarianceType type) {
        GaussianMixture m = new GaussianMixture(2, 2, type, 1e-6);
        m.setComponent(0, 0.3, new double[] {0, 0}, new double[] {2, 0.6, 0.6, 1});
        m.setComponent(1, 0.7, new double[] {1, -1}, new double[] {0.5, -0.2, -0.2, 0.8});
        return m;
    }

    /** The 2-D normal density written out: exp(−½ rᵀ S⁻¹ r) / (2π √det S), S as the model stores it. */
    static double density(double[] y, double[] mu, double[] s) {
        double det = s[0] * s[3] - s[1] * s[2];
        double r0 = y[0] - mu[0];
        double r1 = y[1] - mu[1];
        double q = (s[3] * r0 * r0 - (s[1] + s[2]) * r0 * r1 + s[0] * r1 * r1) / det;
        return Math.exp(-0.5 * q) / (2 * Math.PI * Math.sqrt(det));
    }

    @ParameterizedTest
    @EnumSource(CovarianceType.class)
    void responsibilitiesMatchBruteForce(CovarianceType type) {
        GaussianMixture m = tiny(type);
        double[][] ys = {{0.1, 0.2}, {2, -3}, {-1, 1}};
        Matrix x = new Matrix(3, 2, new double[] {0.1, 0.2, 2, -3, -1, 1});
        Matrix resp = new Matrix(3, 2);
        double[] rowLl = new double[3];
        double total = m.eStep(x, resp, rowLl);
        Matrix logB = new Matrix(3, 2);
        m.logDensity(x, logB);
        double expectedTotal = 0;
        for (int t = 0; t < 3; t++) {
            double[] p = new double[2];
            for (int c = 0; c < 2; c++) {
                p[c] = m.weight(c) * density(ys[t], m.mean(c), m.covarianceMatrix(c));
                assertEquals(Math.log(density(ys[t], m.mean(c), m.covarianceMatrix(c))), logB.get(t, c), 1e-12);
            }
            double sum = p[0] + p[1];
            assertEquals(p[0] / sum, resp.get(t, 0), 1e-12);
            assertEquals(p[1] / sum, resp.get(t, 1), 1e-12);
            assertEquals(Math.log(sum), rowLl[t], 1e-12);
            expectedTotal += Math.log(sum);
        }
        assertEquals(expectedTotal, total, 1e-12);
    }

    @Test
    void responsibilitiesSurviveDensitiesThatUnderflow() {
        GaussianMixture m = tiny(CovarianceType.FULL);
        // 60 standard deviations away every density is below 1e-300: log-sum-exp still gives proper posteriors
        Matrix x = new Matrix(1, 2, new double[] {90, 60});
        Matrix resp = new Matrix(1, 2);
        double ll = m.eStep(x, resp, null);
        assertTrue(Double.isFinite(ll) && ll < -690, "log-likelihood " + ll);
        assertEquals(1, resp.get(0, 0) + resp.get(0, 1), 1e-12);
    }

    @ParameterizedTest
    @EnumSource(CovarianceType.class)
    void observationGradientMatchesFiniteDifferences(CovarianceType type) {
        GaussianMixture m = new GaussianMixture(3, 3, type, 1e-6);
        SplittableRandom rng = new SplittableRandom(5);
        for (int c = 0; c < 3; c++) {
            double[] a = new double[9];
            for (int i = 0; i < 9; i++) {
                a[i] = rng.nextDouble(-1, 1);
            }
            double[] s = new double[9]; // A Aᵀ + I is positive definite
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    for (int l = 0; l < 3; l++) {
                        s[i * 3 + j] += a[i * 3 + l] * a[j * 3 + l];
                    }
                    s[i * 3 + j] += i == j ? 1 : 0;
                }
            }
            m.setComponent(c, 1.0 / 3, new double[] {rng.nextDouble(-2, 2), rng.nextDouble(-2, 2), rng.nextDouble(-2, 2)}, s);
        }
        int t = 4;
        Matrix y = new Matrix(t, 3);
        Matrix dLogB = new Matrix(t, 3);
        for (int i = 0; i < t * 3; i++) {
            y.data()[i] = rng.nextDouble(-3, 3);
            dLogB.data()[i] = rng.nextDouble(-1, 1);
        }
        Matrix grad = new Matrix(t, 3);
        m.observationGradient(y, dLogB, grad);
        double h = 1e-6;
        Matrix lb = new Matrix(t, 3);
        for (int r = 0; r < t; r++) {
            for (int i = 0; i < 3; i++) {
                double keep = y.get(r, i);
                y.set(r, i, keep + h);
                m.logDensity(y, lb);
                double plus = dot(lb, dLogB, r);
                y.set(r, i, keep - h);
                m.logDensity(y, lb);
                double minus = dot(lb, dLogB, r);
                y.set(r, i, keep);
                assertEquals((plus - minus) / (2 * h), grad.get(r, i), 1e-6, "row " + r + ", dimension " + i);
            }
        }
    }

    private static double dot(Matrix logB, Matrix w, int r) {
        double s = 0;
        for (int c = 0; c < logB.cols(); c++) {
            s += logB.get(r, c) * w.get(r, c);
        }
        return s;
    }

    @ParameterizedTest
    @EnumSource(CovarianceType.class)
    void samplesHaveTheComponentsMomentsAndAccumulateMaximizeRecoversThem(CovarianceType type) {
        GaussianMixture m = tiny(type);
        int n = 200_000;
        int[] states = new int[n];
        for (int t = 0; t < n; t++) {
            states[t] = t % 2;
        }
        Matrix y = m.sample(states, new SplittableRandom(9));
        // supervised M-step with one-hot posteriors: the sample moments of each component
        GaussianMixture fit = new GaussianMixture(2, 2, type, 1e-6);
        Matrix w = new Matrix(n, 2);
        for (int t = 0; t < n; t++) {
            w.set(t, states[t], 1);
        }
        fit.accumulate(y, w);
        fit.maximize();
        for (int c = 0; c < 2; c++) {
            assertArrayEquals(m.mean(c), fit.mean(c), 0.02);
            assertArrayEquals(m.covarianceMatrix(c), fit.covarianceMatrix(c), 0.03);
            assertEquals(0.5, fit.weight(c), 1e-12);
        }
    }

    @Test
    void choleskyRetriesWithJitterOnASingularCovariance() {
        GaussianMixture m = new GaussianMixture(1, 2, CovarianceType.FULL, 1e-3);
        double[] singular = {1, 1, 1, 1};
        assertNull(GaussianMixture.cholesky(singular, 0, 2, 0));
        double[] l = m.choleskyWithJitter(singular, 0, 2);
        assertTrue(m.jitterRetries >= 1);
        // L Lᵀ = A + jitter·I with jitter = the floor
        assertEquals(1 + 1e-3, l[0] * l[0], 1e-12);
        assertEquals(1, l[2] * l[0], 1e-12);
        assertEquals(1 + 1e-3, l[2] * l[2] + l[3] * l[3], 1e-12);
        // and the mixture stays usable with such a covariance set from outside
        m.setComponent(0, 1, new double[] {0, 0}, singular);
        Matrix out = new Matrix(1, 1);
        m.logDensity(new Matrix(1, 2, new double[] {0.5, 0.5}), out);
        assertTrue(Double.isFinite(out.get(0, 0)));
    }

    @Test
    void eigenvalueClampIsTheFloorOnlyWhereNeeded() {
        double[][] s = {{1, 1}, {1, 1}}; // eigenvalues 2 and 0
        double[][] c = GaussianMixture.clampEigenvalues(s, 0.1);
        // eigenvectors (1,1)/√2 and (1,−1)/√2: V diag(2, 0.1) Vᵀ = [[1.05, 0.95], [0.95, 1.05]]
        assertEquals(1.05, c[0][0], 1e-12);
        assertEquals(0.95, c[0][1], 1e-12);
        assertEquals(1.05, c[1][1], 1e-12);
        assertNotNull(GaussianMixture.cholesky(new double[] {c[0][0], c[0][1], c[1][0], c[1][1]}, 0, 2, 0));
    }

    /**
     * parameterGradient against central finite differences of L(θ) = Σ_t,k dLogB[t,k] log b_k(y_t), perturbing
     * the parameter views in place. Full covariances are symmetric: an off-diagonal entry is perturbed on both
     * sides, and its gradient lives in the lower triangle.
     */
    @ParameterizedTest
    @EnumSource(CovarianceType.class)
    void parameterGradientMatchesFiniteDifferences(CovarianceType type) {
        int k = 2;
        int d = 3;
        SplittableRandom r = new SplittableRandom(5);
        GaussianMixture m = new GaussianMixture(k, d, type, 1e-6);
        for (int c = 0; c < k; c++) {
            double[] mean = {r.nextGaussian(), r.nextGaussian(), r.nextGaussian()};
            double[] a = new double[d * d];
            for (int i = 0; i < a.length; i++) {
                a[i] = 0.4 * r.nextGaussian();
            }
            double[] cov = new double[d * d]; // A Aᵀ + I: a random positive-definite matrix
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    double v = i == j ? 1 : 0;
                    for (int l = 0; l < d; l++) {
                        v += a[i * d + l] * a[j * d + l];
                    }
                    cov[i * d + j] = v;
                }
            }
            m.setComponent(c, 0.5, mean, cov);
        }
        int t = 5;
        Matrix y = new Matrix(t, d, r.doubles(t * d, -2, 2).toArray());
        Matrix dLogB = new Matrix(t, k, r.doubles(t * k, -1, 1).toArray());
        for (var b : m.parameters()) {
            java.util.Arrays.fill(b.gradient(), 0);
        }
        m.parameterGradient(y, dLogB);
        for (var block : m.parameters()) {
            double[] v = block.values();
            for (int i = 0; i < v.length; i++) {
                int mirror = i;
                if (type == CovarianceType.FULL && !block.name().equals("weights") && !block.name().equals("means")) {
                    int c = i / (d * d);
                    int row = (i % (d * d)) / d;
                    int col = i % d;
                    if (col > row) {
                        continue; // upper triangle: the gradient is kept in the lower one
                    }
                    mirror = c * d * d + col * d + row;
                }
                double h = 1e-6 * Math.max(1, Math.abs(v[i]));
                double keep = v[i];
                v[i] = keep + h;
                v[mirror] = keep + h;
                double up = objective(m, y, dLogB);
                v[i] = keep - h;
                v[mirror] = keep - h;
                double down = objective(m, y, dLogB);
                v[i] = keep;
                v[mirror] = keep;
                double numeric = (up - down) / (2 * h);
                double analytic = block.gradient()[i];
                assertEquals(numeric, analytic, 1e-6 * Math.max(1, Math.abs(numeric)),
                        type + " " + block.name() + "[" + i + "]");
            }
        }
    }

    private static double objective(GaussianMixture m, Matrix y, Matrix dLogB) {
        Matrix logB = new Matrix(y.rows(), m.numStates());
        m.logDensity(y, logB);
        double s = 0;
        for (int i = 0; i < logB.data().length; i++) {
            s += dLogB.data()[i] * logB.data()[i];
        }
        return s;
    }
}

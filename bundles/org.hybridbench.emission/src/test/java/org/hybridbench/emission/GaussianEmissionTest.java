package org.hybridbench.emission;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.SplittableRandom;

import org.apache.commons.math3.distribution.MultivariateNormalDistribution;
import org.hybridbench.api.data.Matrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GaussianEmissionTest {

    /** A model with random means and covariances of the given type (tied: one shared SPD matrix). */
    static GaussianEmissionBase randomModel(int k, int m, int d, CovarianceType type, Random rng) {
        GaussianEmissionBase e = m == 1 ? new GaussianEmission(k, d, type, 1e-6) : new GaussianMixtureEmission(k, m, d, type, 1e-6);
        double[] shared = Checks.randomSpd(d, rng);
        for (int i = 0; i < k; i++) {
            double[] w = new double[m];
            double sw = 0;
            for (int j = 0; j < m; j++) {
                w[j] = 0.2 + rng.nextDouble();
                sw += w[j];
            }
            for (int j = 0; j < m; j++) {
                w[j] /= sw;
                double[] mu = new double[d];
                for (int a = 0; a < d; a++) {
                    mu[a] = 2 * rng.nextGaussian();
                }
                e.setMean(i, j, mu);
                double[] s = switch (type) {
                    case SPHERICAL -> scaledIdentity(d, 0.3 + rng.nextDouble());
                    case DIAGONAL -> {
                        double[] x = new double[d * d];
                        for (int a = 0; a < d; a++) {
                            x[a * d + a] = 0.3 + rng.nextDouble();
                        }
                        yield x;
                    }
                    case FULL -> Checks.randomSpd(d, rng);
                    case TIED -> shared;
                };
                e.setCovariance(i, j, s);
            }
            if (m > 1) {
                e.setMixtureWeights(i, w);
            }
        }
        return e;
    }

    static double[] scaledIdentity(int d, double v) {
        double[] x = new double[d * d];
        for (int a = 0; a < d; a++) {
            x[a * d + a] = v;
        }
        return x;
    }

    /** log Σ_m Z_m N(y; μ_m, Σ_m) by Commons Math (independent of the code under test, except the stored parameters). */
    static double reference(GaussianEmissionBase e, int state, double[] y) {
        double p = 0;
        for (int j = 0; j < e.componentsPerState(); j++) {
            MultivariateNormalDistribution n = new MultivariateNormalDistribution(e.mean(state, j),
                    Checks.square(e.covariance(state, j), e.dimension()));
            p += e.mixtureWeight(state, j) * n.density(y);
        }
        return Math.log(p);
    }

    @ParameterizedTest
    @EnumSource(CovarianceType.class)
    void logDensityMatchesCommonsMath(CovarianceType type) {
        Random rng = new Random(1);
        for (int m : new int[] {1, 3}) {
            GaussianEmissionBase e = randomModel(3, m, 3, type, rng);
            Matrix y = Checks.randomMatrix(7, 3, rng);
            Matrix out = new Matrix(7, 3);
            e.logDensity(y, out);
            for (int t = 0; t < 7; t++) {
                for (int i = 0; i < 3; i++) {
                    assertEquals(reference(e, i, y.row(t)), out.get(t, i), 1e-10, type + " M=" + m + " t=" + t + " i=" + i);
                }
            }
        }
    }

    @Test
    void covarianceRoundTripsThroughThePrecisionFactor() {
        Random rng = new Random(2);
        GaussianEmission e = new GaussianEmission(1, 4, CovarianceType.FULL, 1e-9);
        double[] s = Checks.randomSpd(4, rng);
        e.setCovariance(0, 0, s);
        assertArrayEquals(s, e.covariance(0), 1e-12);
    }

    /** Weighted data for the M-step tests: T rows, weights in [0, 1) per state. */
    private static Matrix weights(int t, int k, Random rng) {
        Matrix w = new Matrix(t, k);
        for (int i = 0; i < w.data().length; i++) {
            w.data()[i] = rng.nextDouble();
        }
        return w;
    }

    @ParameterizedTest
    @EnumSource(CovarianceType.class)
    void mStepIsTheWeightedMaximumLikelihoodEstimate(CovarianceType type) {
        Random rng = new Random(3);
        int k = 2;
        int d = 3;
        int n = 50;
        GaussianEmission e = new GaussianEmission(k, d, type, 1e-9);
        Matrix y = Checks.randomMatrix(n, d, rng);
        for (int i = 0; i < y.data().length; i++) {
            y.data()[i] = 5 + 2 * y.data()[i]; // away from the initial means, so the shift matters
        }
        Matrix w = weights(n, k, rng);
        // accumulate in two calls: statistics must add up across sequences
        e.accumulate(new Matrix(20, d, java.util.Arrays.copyOfRange(y.data(), 0, 20 * d)),
                new Matrix(20, k, java.util.Arrays.copyOfRange(w.data(), 0, 20 * k)));
        e.accumulate(new Matrix(30, d, java.util.Arrays.copyOfRange(y.data(), 20 * d, n * d)),
                new Matrix(30, k, java.util.Arrays.copyOfRange(w.data(), 20 * k, n * k)));
        e.maximize();
        double[][] mu = new double[k][d];
        double[][] cov = new double[k][d * d];
        double[] pooled = new double[d * d];
        double total = 0;
        for (int i = 0; i < k; i++) {
            double sw = 0;
            for (int t = 0; t < n; t++) {
                sw += w.get(t, i);
                for (int a = 0; a < d; a++) {
                    mu[i][a] += w.get(t, i) * y.get(t, a);
                }
            }
            for (int a = 0; a < d; a++) {
                mu[i][a] /= sw;
            }
            for (int t = 0; t < n; t++) {
                for (int a = 0; a < d; a++) {
                    for (int b = 0; b < d; b++) {
                        double v = w.get(t, i) * (y.get(t, a) - mu[i][a]) * (y.get(t, b) - mu[i][b]);
                        cov[i][a * d + b] += v / sw;
                        pooled[a * d + b] += v;
                    }
                }
            }
            total += sw;
            assertArrayEquals(mu[i], e.mean(i), 1e-12, "mean of state " + i);
        }
        for (int i = 0; i < k; i++) {
            double[] expected = switch (type) {
                case SPHERICAL -> {
                    double tr = 0;
                    for (int a = 0; a < d; a++) {
                        tr += cov[i][a * d + a];
                    }
                    yield scaledIdentity(d, tr / d);
                }
                case DIAGONAL -> {
                    double[] x = new double[d * d];
                    for (int a = 0; a < d; a++) {
                        x[a * d + a] = cov[i][a * d + a];
                    }
                    yield x;
                }
                case FULL -> cov[i];
                case TIED -> {
                    double[] x = pooled.clone();
                    for (int q = 0; q < x.length; q++) {
                        x[q] /= total;
                    }
                    yield x;
                }
            };
            assertArrayEquals(expected, e.covariance(i), 1e-11, type + " covariance of state " + i);
        }
        assertTrue(e.lastMaximizeReport().isEmpty(), e.lastMaximizeReport().toString());
    }

    @ParameterizedTest
    @EnumSource(value = CovarianceType.class, names = {"DIAGONAL", "FULL", "TIED"})
    void mixtureMStepIsTheWeightedMaximumLikelihoodEstimate(CovarianceType type) {
        Random rng = new Random(4);
        int k = 2;
        int m = 2;
        int d = 2;
        int n = 60;
        GaussianEmissionBase e = randomModel(k, m, d, type, rng);
        Matrix y = Checks.randomMatrix(n, d, rng);
        Matrix w = weights(n, k, rng);
        // responsibilities within each state from the current parameters, by Commons Math
        double[][] r = new double[n][k * m];
        for (int t = 0; t < n; t++) {
            for (int i = 0; i < k; i++) {
                double b = Math.exp(reference(e, i, y.row(t)));
                for (int j = 0; j < m; j++) {
                    MultivariateNormalDistribution nd = new MultivariateNormalDistribution(e.mean(i, j),
                            Checks.square(e.covariance(i, j), d));
                    r[t][i * m + j] = w.get(t, i) * e.mixtureWeight(i, j) * nd.density(y.row(t)) / b;
                }
            }
        }
        e.accumulate(y, w);
        e.maximize();
        double[] pooled = new double[d * d];
        double total = 0;
        for (int i = 0; i < k; i++) {
            double ni = 0;
            for (int j = 0; j < m; j++) {
                for (int t = 0; t < n; t++) {
                    ni += r[t][i * m + j];
                }
            }
            for (int j = 0; j < m; j++) {
                int c = i * m + j;
                double nc = 0;
                double[] mu = new double[d];
                for (int t = 0; t < n; t++) {
                    nc += r[t][c];
                    for (int a = 0; a < d; a++) {
                        mu[a] += r[t][c] * y.get(t, a);
                    }
                }
                for (int a = 0; a < d; a++) {
                    mu[a] /= nc;
                }
                assertEquals(nc / ni, e.mixtureWeight(i, j), 1e-12, "weight " + i + "," + j);
                assertArrayEquals(mu, e.mean(i, j), 1e-12, "mean " + i + "," + j);
                double[] s = new double[d * d];
                for (int t = 0; t < n; t++) {
                    for (int a = 0; a < d; a++) {
                        for (int b = 0; b < d; b++) {
                            s[a * d + b] += r[t][c] * (y.get(t, a) - mu[a]) * (y.get(t, b) - mu[b]);
                        }
                    }
                }
                for (int q = 0; q < d * d; q++) {
                    pooled[q] += s[q];
                    s[q] /= nc;
                }
                total += nc;
                if (type == CovarianceType.DIAGONAL) {
                    s[1] = 0;
                    s[2] = 0;
                }
                if (type != CovarianceType.TIED) {
                    assertArrayEquals(s, e.covariance(i, j), 1e-11, "covariance " + i + "," + j);
                }
            }
        }
        if (type == CovarianceType.TIED) {
            for (int q = 0; q < d * d; q++) {
                pooled[q] /= total;
            }
            assertArrayEquals(pooled, e.covariance(0, 0), 1e-11);
        }
    }

    @ParameterizedTest
    @EnumSource(CovarianceType.class)
    void gradientsMatchFiniteDifferences(CovarianceType type) {
        Random rng = new Random(5);
        for (int m : new int[] {1, 2}) {
            GaussianEmissionBase e = randomModel(3, m, 3, type, rng);
            Matrix y = Checks.randomMatrix(5, 3, rng);
            Matrix dLogB = Checks.randomMatrix(5, 3, rng);
            Checks.parameterGradientMatchesFiniteDifferences(e, y, dLogB, 1e-6);
            Checks.observationGradientMatchesFiniteDifferences(e, y, dLogB, 1e-6);
        }
    }

    @ParameterizedTest
    @EnumSource(CovarianceType.class)
    void samplesHaveTheModelsMeanAndCovariance(CovarianceType type) {
        Random rng = new Random(6);
        GaussianEmissionBase e = randomModel(2, 1, 3, type, rng);
        int n = 100_000;
        int[] states = new int[n];
        java.util.Arrays.fill(states, 1);
        Matrix s = e.sample(states, new SplittableRandom(7));
        double[] mu = e.mean(1, 0);
        double[] cov = e.covariance(1, 0);
        double[] mean = new double[3];
        for (int t = 0; t < n; t++) {
            for (int a = 0; a < 3; a++) {
                mean[a] += s.get(t, a) / n;
            }
        }
        for (int a = 0; a < 3; a++) {
            // 5 standard errors of the sample mean
            assertEquals(mu[a], mean[a], 5 * Math.sqrt(cov[a * 3 + a] / n), "mean " + a);
            for (int b = 0; b < 3; b++) {
                double c = 0;
                for (int t = 0; t < n; t++) {
                    c += (s.get(t, a) - mu[a]) * (s.get(t, b) - mu[b]) / n;
                }
                double se = Math.sqrt((cov[a * 3 + a] * cov[b * 3 + b] + cov[a * 3 + b] * cov[a * 3 + b]) / n);
                assertEquals(cov[a * 3 + b], c, 5 * se, "covariance " + a + "," + b);
            }
        }
    }

    @Test
    void mixtureSamplesHaveTheMixtureMean() {
        Random rng = new Random(8);
        GaussianEmissionBase e = randomModel(1, 3, 2, CovarianceType.DIAGONAL, rng);
        int n = 100_000;
        Matrix s = e.sample(new int[n], new SplittableRandom(9));
        for (int a = 0; a < 2; a++) {
            double expected = 0;
            double second = 0;
            for (int j = 0; j < 3; j++) {
                double mu = e.mean(0, j)[a];
                expected += e.mixtureWeight(0, j) * mu;
                second += e.mixtureWeight(0, j) * (mu * mu + e.covariance(0, j)[a * 2 + a]);
            }
            double sd = Math.sqrt(second - expected * expected);
            double mean = 0;
            for (int t = 0; t < n; t++) {
                mean += s.get(t, a) / n;
            }
            assertEquals(expected, mean, 5 * sd / Math.sqrt(n));
        }
    }

    /** EM with equal state priors (a mixture of the states) on data drawn from a known model recovers it. */
    @ParameterizedTest
    @EnumSource(CovarianceType.class)
    void emRecoversTheGeneratingModel(CovarianceType type) {
        Random rng = new Random(10);
        int k = 3;
        int d = 2;
        GaussianEmission truth = new GaussianEmission(k, d, type, 1e-6);
        double[][] mus = {{-4, 0}, {0, 3}, {4, -1}};
        double[] shared = {1.0, 0.3, 0.3, 0.6};
        for (int i = 0; i < k; i++) {
            truth.setMean(i, 0, mus[i]);
            truth.setCovariance(i, 0, switch (type) {
                case SPHERICAL -> scaledIdentity(d, 0.5 + 0.3 * i);
                case DIAGONAL -> new double[] {0.5 + 0.3 * i, 0, 0, 1.0 - 0.2 * i};
                case FULL -> new double[] {0.8 + 0.2 * i, 0.3 - 0.2 * i, 0.3 - 0.2 * i, 0.7};
                case TIED -> shared;
            });
        }
        int n = 30_000;
        int[] z = new int[n];
        for (int t = 0; t < n; t++) {
            z[t] = rng.nextInt(k);
        }
        Matrix y = truth.sample(z, new SplittableRandom(11));
        GaussianEmission e = new GaussianEmission(k, d, type, 1e-6);
        e.initialize(y, new SplittableRandom(12));
        Matrix logB = new Matrix(n, k);
        Matrix gamma = new Matrix(n, k);
        double previous = Double.NEGATIVE_INFINITY;
        for (int it = 0; it < 60; it++) {
            e.logDensity(y, logB);
            double ll = 0;
            for (int t = 0; t < n; t++) {
                double lse = Observations.logSumExp(logB.data(), t * k, k);
                ll += lse;
                for (int i = 0; i < k; i++) {
                    gamma.set(t, i, Math.exp(logB.get(t, i) - lse));
                }
            }
            assertTrue(ll >= previous - 1e-8 * Math.abs(previous), "EM decreased the log-likelihood at iteration " + it);
            previous = ll;
            e.accumulate(y, gamma);
            e.maximize();
        }
        for (int i = 0; i < k; i++) {
            // k-means init sorts states by the first mean coordinate, as the truth's are
            assertArrayEquals(mus[i], e.mean(i), 0.06, "mean of state " + i);
            assertArrayEquals(truth.covariance(i), e.covariance(i), 0.06, "covariance of state " + i);
        }
    }

    @Test
    void emptyStateKeepsItsParametersAndIsReported() {
        GaussianMixtureEmission e = new GaussianMixtureEmission(2, 2, 1, CovarianceType.DIAGONAL, 1e-3);
        e.setMean(1, 0, new double[] {7});
        e.setMean(0, 1, new double[] {100});
        Matrix y = new Matrix(3, 1, new double[] {0.1, -0.2, 0.3});
        Matrix w = new Matrix(3, 2, new double[] {1, 0, 1, 0, 1, 0});
        e.accumulate(y, w);
        e.maximize();
        assertEquals(7, e.mean(1, 0)[0]);
        assertTrue(e.lastMaximizeReport().stream().anyMatch(s -> s.startsWith("state 1 received total weight 0")),
                e.lastMaximizeReport().toString());
        // component 1 of state 0 lies 100 away: it gets (numerically) no weight and is re-seeded by splitting
        // component 0 (mean 1/15, variance 0.0422): both halves weigh 1/2, means ± 0.2 sd around it
        double sd = Math.sqrt((0.01 + 0.04 + 0.09) / 3 - 1.0 / 225);
        assertEquals(1.0 / 15 + 0.2 * sd, e.mean(0, 1)[0], 1e-12);
        assertEquals(1.0 / 15 - 0.2 * sd, e.mean(0, 0)[0], 1e-12);
        assertEquals(0.5, e.mixtureWeight(0, 1), 1e-12);
        assertEquals(sd * sd, e.covariance(0, 1)[0], 1e-12);
        assertTrue(e.lastMaximizeReport().stream().anyMatch(s -> s.startsWith("state 0, component 1 received weight 0: re-seeded")),
                e.lastMaximizeReport().toString());
        Matrix out = new Matrix(3, 2);
        e.logDensity(y, out);
        for (double v : out.data()) {
            assertTrue(Double.isFinite(v));
        }
    }

    @ParameterizedTest
    @EnumSource(CovarianceType.class)
    void identicalObservationsGiveTheFloorNotNaN(CovarianceType type) {
        GaussianEmission e = new GaussianEmission(1, 2, type, 1e-3);
        Matrix y = new Matrix(4, 2, new double[] {1, 2, 1, 2, 1, 2, 1, 2});
        e.accumulate(y, new Matrix(4, 1, new double[] {1, 1, 1, 1}));
        e.maximize();
        assertArrayEquals(new double[] {1e-3, 0, 0, 1e-3}, e.covariance(0), 1e-12);
        assertTrue(e.lastMaximizeReport().get(0).contains("floor"), e.lastMaximizeReport().toString());
    }

    @Test
    void singularCovarianceIsRepairedWithJitter() {
        GaussianEmission e = new GaussianEmission(1, 2, CovarianceType.FULL, 1e-6);
        e.setCovariance(0, 0, new double[] {1, 1, 1, 1}); // rank 1: Cholesky fails without jitter
        Matrix out = new Matrix(1, 1);
        e.logDensity(new Matrix(1, 2, new double[] {0.5, 0.5}), out);
        assertTrue(Double.isFinite(out.get(0, 0)));
        double[] s = e.covariance(0);
        assertTrue(s[0] > 1 && s[0] < 1 + 1e-4, "jitter is small: " + s[0]);
    }

    @Test
    void badObservationsAreNamedByPositionAndValue() {
        GaussianEmission e = new GaussianEmission(2, 2, CovarianceType.DIAGONAL, 1e-3);
        Matrix y = new Matrix(3, 2, new double[] {0, 0, 1, 1, 2, Double.NaN});
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> e.logDensity(y, new Matrix(3, 2)));
        assertTrue(ex.getMessage().contains("position 2, column 1 is NaN"), ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class, () -> e.logDensity(new Matrix(3, 3), new Matrix(3, 2)));
        assertTrue(ex.getMessage().contains("3 column(s), the model has dimension 2"), ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class,
                () -> e.accumulate(new Matrix(1, 2), new Matrix(1, 2, new double[] {-1, 0})));
        assertTrue(ex.getMessage().contains("weight -1.0 at position 0, state 0"), ex.getMessage());
    }

    @Test
    void freeParametersCountTheModel() {
        assertEquals(3 * 2 + 3, new GaussianEmission(3, 2, CovarianceType.SPHERICAL, 1).freeParameters());
        assertEquals(3 * 2 + 3 * 2, new GaussianEmission(3, 2, CovarianceType.DIAGONAL, 1).freeParameters());
        assertEquals(3 * 2 + 3 * 3, new GaussianEmission(3, 2, CovarianceType.FULL, 1).freeParameters());
        assertEquals(3 * 2 + 3, new GaussianEmission(3, 2, CovarianceType.TIED, 1).freeParameters());
        assertEquals(3 * 1 + 6 * 2 + 6 * 2, new GaussianMixtureEmission(3, 2, 2, CovarianceType.DIAGONAL, 1).freeParameters());
    }
}

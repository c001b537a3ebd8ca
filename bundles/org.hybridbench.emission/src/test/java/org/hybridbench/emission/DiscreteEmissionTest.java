package org.hybridbench.emission;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.SplittableRandom;

import org.apache.commons.math3.distribution.PoissonDistribution;
import org.apache.commons.math3.special.Gamma;
import org.hybridbench.api.data.Matrix;
import org.junit.jupiter.api.Test;

/** Categorical and Poisson emissions. */
class DiscreteEmissionTest {

    private static CategoricalEmission categorical(Random rng) {
        CategoricalEmission e = new CategoricalEmission(3, 4, 0);
        for (int i = 0; i < 3; i++) {
            double[] p = new double[4];
            double s = 0;
            for (int v = 0; v < 4; v++) {
                p[v] = 0.1 + rng.nextDouble();
                s += p[v];
            }
            for (int v = 0; v < 4; v++) {
                p[v] /= s;
            }
            e.setProbabilities(i, p);
        }
        return e;
    }

    private static Matrix symbols(int n, int v, Random rng) {
        Matrix y = new Matrix(n, 1);
        for (int t = 0; t < n; t++) {
            y.data()[t] = rng.nextInt(v);
        }
        return y;
    }

    @Test
    void categoricalLogDensityIsTheLogProbability() {
        Random rng = new Random(1);
        CategoricalEmission e = categorical(rng);
        Matrix y = symbols(10, 4, rng);
        Matrix out = new Matrix(10, 3);
        e.logDensity(y, out);
        for (int t = 0; t < 10; t++) {
            for (int i = 0; i < 3; i++) {
                assertEquals(Math.log(e.probabilities(i)[(int) y.get(t, 0)]), out.get(t, i), 1e-14);
            }
        }
    }

    @Test
    void categoricalMStepIsTheWeightedFrequencyWithPseudocount() {
        Random rng = new Random(2);
        for (double alpha : new double[] {0, 0.5}) {
            CategoricalEmission e = new CategoricalEmission(2, 3, alpha);
            Matrix y = symbols(40, 3, rng);
            Matrix w = Checks.randomMatrix(40, 2, rng);
            for (int q = 0; q < w.data().length; q++) {
                w.data()[q] = Math.abs(w.data()[q]);
            }
            e.accumulate(y, w);
            e.maximize();
            for (int i = 0; i < 2; i++) {
                double[] c = new double[3];
                double n = 0;
                for (int t = 0; t < 40; t++) {
                    c[(int) y.get(t, 0)] += w.get(t, i);
                    n += w.get(t, i);
                }
                for (int v = 0; v < 3; v++) {
                    c[v] = (c[v] + alpha) / (n + 3 * alpha);
                }
                assertArrayEquals(c, e.probabilities(i), 1e-14);
            }
        }
    }

    @Test
    void categoricalGradientMatchesFiniteDifferencesAndObservationGradientIsZero() {
        Random rng = new Random(3);
        CategoricalEmission e = categorical(rng);
        Matrix y = symbols(6, 4, rng);
        Matrix g = Checks.randomMatrix(6, 3, rng);
        Checks.parameterGradientMatchesFiniteDifferences(e, y, g, 1e-7);
        Matrix out = new Matrix(6, 1, new double[] {9, 9, 9, 9, 9, 9});
        e.observationGradient(y, g, out);
        assertArrayEquals(new double[6], out.data());
    }

    @Test
    void categoricalSamplesHaveTheModelsFrequencies() {
        CategoricalEmission e = categorical(new Random(4));
        int n = 200_000;
        int[] states = new int[n];
        java.util.Arrays.fill(states, 2);
        Matrix s = e.sample(states, new SplittableRandom(5));
        double[] f = new double[4];
        for (double v : s.data()) {
            f[(int) v] += 1.0 / n;
        }
        double[] p = e.probabilities(2);
        for (int v = 0; v < 4; v++) {
            assertEquals(p[v], f[v], 5 * Math.sqrt(p[v] * (1 - p[v]) / n));
        }
    }

    @Test
    void categoricalEmLearnsStateFrequenciesFromLabels() {
        // one-hot weights: the M-step is counting, a closed form
        CategoricalEmission e = new CategoricalEmission(2, 2, 0);
        Matrix y = new Matrix(6, 1, new double[] {0, 0, 1, 1, 1, 0});
        Matrix w = new Matrix(6, 2, new double[] {1, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1});
        e.accumulate(y, w);
        e.maximize();
        assertArrayEquals(new double[] {2 / 3.0, 1 / 3.0}, e.probabilities(0), 1e-15);
        assertArrayEquals(new double[] {1 / 3.0, 2 / 3.0}, e.probabilities(1), 1e-15);
    }

    @Test
    void categoricalRejectsBadSymbols() {
        CategoricalEmission e = new CategoricalEmission(2, 3, 0);
        for (double bad : new double[] {-1, 1.5, 3, Double.NaN}) {
            Matrix y = new Matrix(2, 1, new double[] {0, bad});
            IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> e.logDensity(y, new Matrix(2, 2)));
            assertTrue(ex.getMessage().contains("position 1, column 0 is " + bad) && ex.getMessage().contains("[0, 3)"),
                    ex.getMessage());
        }
    }

    @Test
    void categoricalEmptyStateIsReported() {
        CategoricalEmission e = new CategoricalEmission(2, 2, 0);
        e.setProbabilities(1, new double[] {0.9, 0.1});
        e.accumulate(new Matrix(1, 1, new double[] {0}), new Matrix(1, 2, new double[] {1, 0}));
        e.maximize();
        assertArrayEquals(new double[] {0.9, 0.1}, e.probabilities(1), 1e-15);
        assertTrue(e.lastMaximizeReport().get(0).startsWith("state 1 received total weight 0"));
    }

    private static PoissonEmission poisson() {
        PoissonEmission e = new PoissonEmission(3, 2, 1e-6);
        e.setRates(0, new double[] {0.5, 3});
        e.setRates(1, new double[] {4, 0.1});
        e.setRates(2, new double[] {20, 7});
        return e;
    }

    private static Matrix counts(int n, int d, Random rng) {
        Matrix y = new Matrix(n, d);
        for (int q = 0; q < y.data().length; q++) {
            y.data()[q] = rng.nextInt(12);
        }
        return y;
    }

    @Test
    void poissonLogDensityMatchesCommonsMath() {
        PoissonEmission e = poisson();
        Matrix y = counts(8, 2, new Random(6));
        Matrix out = new Matrix(8, 3);
        e.logDensity(y, out);
        for (int t = 0; t < 8; t++) {
            for (int i = 0; i < 3; i++) {
                double ref = 0;
                for (int j = 0; j < 2; j++) {
                    ref += new PoissonDistribution(e.rates(i)[j]).logProbability((int) y.get(t, j));
                }
                assertEquals(ref, out.get(t, i), 1e-10);
            }
        }
    }

    @Test
    void poissonMStepIsTheWeightedMeanWithAFloor() {
        Random rng = new Random(7);
        PoissonEmission e = new PoissonEmission(2, 2, 1e-3);
        Matrix y = counts(30, 2, rng);
        for (int t = 0; t < 30; t++) {
            y.set(t, 1, 0); // column 1 all zero: the rate hits the floor
        }
        Matrix w = Checks.randomMatrix(30, 2, rng);
        for (int q = 0; q < w.data().length; q++) {
            w.data()[q] = Math.abs(w.data()[q]);
        }
        e.accumulate(y, w);
        e.maximize();
        for (int i = 0; i < 2; i++) {
            double s = 0;
            double n = 0;
            for (int t = 0; t < 30; t++) {
                s += w.get(t, i) * y.get(t, 0);
                n += w.get(t, i);
            }
            assertEquals(s / n, e.rates(i)[0], 1e-12);
            assertEquals(1e-3, e.rates(i)[1], 1e-15);
        }
        assertTrue(e.lastMaximizeReport().get(0).contains("raised to the floor"));
    }

    @Test
    void poissonGradientsMatchFiniteDifferences() {
        Random rng = new Random(8);
        PoissonEmission e = poisson();
        Matrix y = counts(5, 2, rng);
        Matrix g = Checks.randomMatrix(5, 3, rng);
        Checks.parameterGradientMatchesFiniteDifferences(e, y, g, 1e-7);
        // ∂/∂y of the continuous extension y log λ − λ − lnΓ(y+1), by central differences of Commons Math's lnΓ
        Matrix out = new Matrix(5, 2);
        e.observationGradient(y, g, out);
        for (int t = 0; t < 5; t++) {
            for (int j = 0; j < 2; j++) {
                double expected = 0;
                for (int i = 0; i < 3; i++) {
                    double lambda = e.rates(i)[j];
                    double h = 1e-5;
                    double yp = y.get(t, j) + h;
                    double ym = y.get(t, j) - h;
                    double fp = yp * Math.log(lambda) - lambda - Gamma.logGamma(yp + 1);
                    double fm = ym * Math.log(lambda) - lambda - Gamma.logGamma(ym + 1);
                    expected += g.get(t, i) * (fp - fm) / (2 * h);
                }
                assertEquals(expected, out.get(t, j), 1e-6);
            }
        }
    }

    @Test
    void poissonSamplesHaveMeanAndVarianceLambda() {
        PoissonEmission e = poisson();
        int n = 100_000;
        int[] states = new int[n];
        java.util.Arrays.fill(states, 2);
        Matrix s = e.sample(states, new SplittableRandom(9));
        for (int j = 0; j < 2; j++) {
            double lambda = e.rates(2)[j];
            double mean = 0;
            double sq = 0;
            for (int t = 0; t < n; t++) {
                mean += s.get(t, j) / n;
                sq += s.get(t, j) * s.get(t, j) / n;
            }
            assertEquals(lambda, mean, 5 * Math.sqrt(lambda / n));
            assertEquals(lambda, sq - mean * mean, 0.03 * lambda);
        }
        assertEquals(1000, PoissonEmission.poisson(1000, new SplittableRandom(1)), 150); // chunked path, no underflow
    }

    @Test
    void poissonEmRecoversRatesFromLabelledMixture() {
        // EM with equal state priors on counts drawn from two known rates
        PoissonEmission truth = new PoissonEmission(2, 1, 1e-6);
        truth.setRates(0, new double[] {2});
        truth.setRates(1, new double[] {15});
        int n = 20_000;
        Random rng = new Random(10);
        int[] z = new int[n];
        for (int t = 0; t < n; t++) {
            z[t] = rng.nextInt(2);
        }
        Matrix y = truth.sample(z, new SplittableRandom(11));
        PoissonEmission e = new PoissonEmission(2, 1, 1e-6);
        e.initialize(y, new SplittableRandom(12));
        Matrix logB = new Matrix(n, 2);
        Matrix gamma = new Matrix(n, 2);
        for (int it = 0; it < 50; it++) {
            e.logDensity(y, logB);
            for (int t = 0; t < n; t++) {
                double lse = Observations.logSumExp(logB.data(), t * 2, 2);
                gamma.set(t, 0, Math.exp(logB.get(t, 0) - lse));
                gamma.set(t, 1, Math.exp(logB.get(t, 1) - lse));
            }
            e.accumulate(y, gamma);
            e.maximize();
        }
        assertEquals(2, e.rates(0)[0], 0.1);
        assertEquals(15, e.rates(1)[0], 0.2);
    }

    @Test
    void poissonRejectsNonCounts() {
        PoissonEmission e = poisson();
        Matrix y = new Matrix(2, 2, new double[] {1, 2, 3, -4});
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> e.logDensity(y, new Matrix(2, 3)));
        assertTrue(ex.getMessage().contains("position 1, column 1 is -4.0 (must be a non-negative integer count)"), ex.getMessage());
        Matrix f = new Matrix(1, 2, new double[] {0.5, 1});
        ex = assertThrows(IllegalArgumentException.class, () -> e.accumulate(f, new Matrix(1, 3)));
        assertTrue(ex.getMessage().contains("position 0, column 0 is 0.5"), ex.getMessage());
    }
}

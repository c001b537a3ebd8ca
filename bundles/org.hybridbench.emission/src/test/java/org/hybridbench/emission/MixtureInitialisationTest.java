package org.hybridbench.emission;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.LabelledSequences;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Label-aware initialisation of Gaussian mixtures (each state's components from its own labelled rows) against
 * label-blind k-means over all rows, and the re-seeding of emptied components in the M-step.
 */
class MixtureInitialisationTest {

    /**
     * Two states of three components on two parallel lines, interleaved in x: state 0 at x = −10, 0, 10, state 1 at
     * x = −9, 1, 11. Pooled k-means centres sorted by x give state 0 the centres at −10, −9, 0, so nothing starts
     * near its component at x = 10 (and likewise state 1 has two centres at 10 and 11 and none at −9).
     */
    static GaussianMixtureEmission interleaved() {
        GaussianMixtureEmission t = new GaussianMixtureEmission(2, 3, 2, CovarianceType.DIAGONAL, 1e-3);
        double[][] xs = {{-10, 0, 10}, {-9, 1, 11}};
        double[][] w = {{0.2, 0.3, 0.5}, {0.5, 0.3, 0.2}};
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                t.setMean(i, j, new double[] {xs[i][j], 2 * i});
                t.setCovariance(i, j, new double[] {0.25 + 0.05 * j, 0, 0, 0.2});
            }
            t.setMixtureWeights(i, w[i]);
        }
        return t;
    }

    static int[] labels(int n, int k, SplittableRandom rng) {
        int[] z = new int[n];
        for (int t = 0; t < n; t++) {
            z[t] = rng.nextInt(k);
        }
        return z;
    }

    static Matrix oneHot(int[] z, int k) {
        Matrix w = new Matrix(z.length, k);
        for (int t = 0; t < z.length; t++) {
            w.set(t, z[t], 1);
        }
        return w;
    }

    /** Σ_t log b_{z_t}(y_t): the objective of supervised training. */
    static double labelledLogLikelihood(GaussianEmissionBase e, Matrix y, int[] z) {
        Matrix out = new Matrix(y.rows(), e.numStates());
        e.logDensity(y, out);
        double s = 0;
        for (int t = 0; t < z.length; t++) {
            s += out.get(t, z[t]);
        }
        return s;
    }

    /** Supervised EM (one-hot state weights): the objective before each of {@code iterations} M-steps and after the last. */
    static List<Double> supervisedEm(GaussianEmissionBase e, Matrix y, int[] z, int iterations, List<List<String>> reports) {
        Matrix w = oneHot(z, e.numStates());
        List<Double> ll = new ArrayList<>();
        for (int it = 0; it < iterations; it++) {
            ll.add(labelledLogLikelihood(e, y, z));
            e.accumulate(y, w);
            e.maximize();
            reports.add(e.lastMaximizeReport());
        }
        ll.add(labelledLogLikelihood(e, y, z));
        return ll;
    }

    /** The fitted component of {@code state} whose mean is nearest to {@code mu}. */
    static int nearestIndex(GaussianEmissionBase fit, int state, double[] mu) {
        int best = 0;
        for (int j = 1; j < fit.componentsPerState(); j++) {
            if (dist(fit.mean(state, j), mu) < dist(fit.mean(state, best), mu)) {
                best = j;
            }
        }
        return best;
    }

    /** Distance from {@code mu} to the nearest fitted mean of the same state. */
    static double nearest(GaussianEmissionBase fit, int state, double[] mu) {
        return dist(fit.mean(state, nearestIndex(fit, state, mu)), mu);
    }

    @Test
    void labelInitialisationRecoversEveryStatesMixtureWherePooledKMeansDoesNot() {
        GaussianMixtureEmission truth = interleaved();
        int n = 6000;
        int[] z = labels(n, 2, new SplittableRandom(1));
        Matrix y = truth.sample(z, new SplittableRandom(2));
        double truthLl = labelledLogLikelihood(truth, y, z);

        GaussianMixtureEmission aware = new GaussianMixtureEmission(2, 3, 2, CovarianceType.DIAGONAL, 1e-3);
        List<String> notes = aware.initializeFromLabels(y, z, List.of("a", "b"), new SplittableRandom(3));
        assertEquals(List.of(), notes);
        List<Double> awareLl = supervisedEm(aware, y, z, 30, new ArrayList<>());
        GaussianMixtureEmission blind = new GaussianMixtureEmission(2, 3, 2, CovarianceType.DIAGONAL, 1e-3);
        blind.initialize(y, new SplittableRandom(3));
        List<Double> blindLl = supervisedEm(blind, y, z, 30, new ArrayList<>());

        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                double[] mu = truth.mean(i, j);
                int q = nearestIndex(aware, i, mu);
                assertArrayEquals(mu, aware.mean(i, q), 0.05, "label init: mean of state " + i + ", component " + j);
                assertEquals(truth.mixtureWeight(i, j), aware.mixtureWeight(i, q), 0.03, "weight of state " + i + ", component " + j);
                assertArrayEquals(truth.covariance(i, j), aware.covariance(i, q), 0.05, "covariance of state " + i + ", component " + j);
            }
        }
        double aw = awareLl.get(awareLl.size() - 1);
        double bl = blindLl.get(blindLl.size() - 1);
        assertTrue(aw >= truthLl, "the fit from labels reaches the generating model's likelihood: " + aw + " vs " + truthLl);
        // pooled k-means leaves every state without a centre near one of its components, and EM does not move one there
        assertTrue((aw - bl) / n > 0.3, "label-blind start ends " + (aw - bl) / n + " nats per frame lower");
        int missed = 0;
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                missed += nearest(blind, i, truth.mean(i, j)) > 2 ? 1 : 0;
            }
        }
        assertTrue(missed >= 2, "label-blind start misses " + missed + " true components");
    }

    @Test
    void statesWithTooFewLabelledRowsAreReportedAndStayFinite() {
        // state 0: 40 rows, state 1: none, state 2: 3 rows for 4 components; one row unlabelled
        int n = 44;
        Matrix y = new Matrix(n, 2);
        int[] z = new int[n];
        SplittableRandom rng = new SplittableRandom(4);
        for (int t = 0; t < n; t++) {
            z[t] = t < 40 ? 0 : t < 43 ? 2 : LabelledSequences.UNLABELLED;
            y.set(t, 0, rng.nextGaussian() + (z[t] == 2 ? 5 : 0));
            y.set(t, 1, rng.nextGaussian());
        }
        GaussianMixtureEmission e = new GaussianMixtureEmission(3, 4, 2, CovarianceType.DIAGONAL, 1e-3);
        List<String> notes = e.initializeFromLabels(y, z, List.of("pau", "oy", "zh"), new SplittableRandom(5));
        assertEquals(2, notes.size(), notes.toString());
        assertTrue(notes.get(0).startsWith("state 1 (oy): no labelled positions"), notes.toString());
        assertTrue(notes.get(1).startsWith("state 2 (zh): only 3 labelled position(s) for 4 components (fewer than 8)"), notes.toString());
        double[] all = KMeans.covariance(y);
        assertEquals(all[0], e.covariance(2, 0)[0], 1e-12, "state 2 starts with the covariance of all rows");
        assertEquals(all[3], e.covariance(1, 3)[3], 1e-12, "state 1 starts with the covariance of all rows");
        for (int j = 0; j < 4; j++) {
            assertTrue(e.mean(2, j)[0] > 2, "state 2's centres are its own rows (x near 5): " + Arrays.toString(e.mean(2, j)));
        }
        Matrix out = new Matrix(n, 3);
        e.logDensity(y, out);
        for (double v : out.data()) {
            assertTrue(Double.isFinite(v), "log-densities are finite");
        }
        // the same seed gives the same model; a label outside the model is named
        GaussianMixtureEmission again = new GaussianMixtureEmission(3, 4, 2, CovarianceType.DIAGONAL, 1e-3);
        again.initializeFromLabels(y, z, List.of(), new SplittableRandom(5));
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 4; j++) {
                assertArrayEquals(e.mean(i, j), again.mean(i, j), 0.0);
            }
        }
        z[7] = 3;
        IllegalArgumentException ex = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> again.initializeFromLabels(y, z, List.of(), new SplittableRandom(5)));
        assertTrue(ex.getMessage().contains("state label 3 at position 7 but the model has 3 states"), ex.getMessage());
    }

    /**
     * One state, three components: truth at (−5, 0), (0, 4), (5, 0). EM starts with one component on the first, one
     * between the other two and one 100 away from everything; that one receives no weight in the first M-step, is
     * re-seeded by splitting the heaviest (the one between two clusters), and EM then separates the halves.
     */
    @ParameterizedTest
    @EnumSource(CovarianceType.class)
    void emptiedComponentIsReseededByASplitAndEmRecoversTheMixture(CovarianceType type) {
        GaussianMixtureEmission truth = new GaussianMixtureEmission(1, 3, 2, type, 1e-3);
        double[][] mus = {{-5, 0}, {0, 4}, {5, 0}};
        for (int j = 0; j < 3; j++) {
            truth.setMean(0, j, mus[j]);
            truth.setCovariance(0, j, type == CovarianceType.FULL ? new double[] {0.6, 0.2 * (j - 1), 0.2 * (j - 1), 0.5}
                    : type == CovarianceType.DIAGONAL ? new double[] {0.6, 0, 0, 0.4 + 0.1 * j} : new double[] {0.5, 0, 0, 0.5});
        }
        truth.setMixtureWeights(0, new double[] {0.3, 0.3, 0.4});
        int n = 6000;
        int[] z = new int[n];
        Matrix y = truth.sample(z, new SplittableRandom(6));

        GaussianMixtureEmission e = new GaussianMixtureEmission(1, 3, 2, type, 1e-3);
        e.setMean(0, 0, new double[] {-5, 0});
        e.setMean(0, 1, new double[] {2.5, 2});
        e.setMean(0, 2, new double[] {100, 100});
        List<List<String>> reports = new ArrayList<>();
        List<Double> ll = supervisedEm(e, y, z, 60, reports);

        assertTrue(reports.get(0).stream().anyMatch(r -> r.startsWith("state 0, component 2 received weight 0: "
                + GaussianEmissionBase.RESEEDED + " by splitting component 1")), reports.get(0).toString());
        int reseeds = 0;
        for (int it = 0; it < reports.size(); it++) {
            boolean reseeded = reports.get(it).stream().anyMatch(r -> r.contains(GaussianEmissionBase.RESEEDED));
            reseeds += reseeded ? 1 : 0;
            if (!reseeded) {
                double before = ll.get(it);
                double after = ll.get(it + 1);
                assertTrue(after >= before - 1e-9 * Math.abs(before), "EM decreased the log-likelihood in M-step " + it + ": "
                        + before + " -> " + after);
            }
        }
        assertEquals(1, reseeds, "one re-seed, then plain EM");
        for (int j = 0; j < 3; j++) {
            int q = nearestIndex(e, 0, mus[j]);
            assertArrayEquals(mus[j], e.mean(0, q), 0.06, type + ": mean of component " + j);
            assertEquals(truth.mixtureWeight(0, j), e.mixtureWeight(0, q), 0.02, type + ": weight of component " + j);
            if (type != CovarianceType.TIED) {
                assertArrayEquals(truth.covariance(0, j), e.covariance(0, q), 0.06, type + ": covariance of component " + j);
            }
        }
        assertTrue(ll.get(ll.size() - 1) >= labelledLogLikelihood(truth, y, z), "EM reaches the generating model's likelihood");
    }

    static double dist(double[] a, double[] b) {
        double s = 0;
        for (int q = 0; q < a.length; q++) {
            s += (a[q] - b[q]) * (a[q] - b[q]);
        }
        return Math.sqrt(s);
    }
}

package org.hybridbench.hmm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.hybridbench.api.data.SequenceBatch;
import org.hybridbench.api.model.ChainInputException;
import org.hybridbench.api.model.ChainNumerics;
import org.hybridbench.api.model.LabelledSequences;
import org.hybridbench.api.model.Optimizer;
import org.hybridbench.api.model.ParameterBlock;
import org.hybridbench.chain.ChainEngine;
import org.hybridbench.emission.CategoricalEmission;
import org.hybridbench.emission.CovarianceType;
import org.hybridbench.emission.GaussianEmission;
import org.hybridbench.emission.GaussianMixtureEmission;
import org.junit.jupiter.api.Test;

class HmmTrainerTest {
    static final ChainEngine CHAIN = new ChainEngine(ChainNumerics.SCALED, 2);

    /** 3 states in 2-D, diagonal covariances, sticky transitions. */
    static HiddenMarkovModel truth() {
        GaussianEmission e = new GaussianEmission(3, 2, CovarianceType.DIAGONAL, 1e-6);
        double[][] mu = {{-3, 0}, {0, 2}, {3, -1}};
        for (int i = 0; i < 3; i++) {
            e.setMean(i, 0, mu[i]);
            e.setCovariance(i, 0, new double[] {0.6 + 0.2 * i, 0, 0, 0.9 - 0.2 * i});
        }
        return new HiddenMarkovModel(new double[] {0.5, 0.3, 0.2},
                new double[][] {{0.9, 0.07, 0.03}, {0.05, 0.9, 0.05}, {0.04, 0.06, 0.9}}, e);
    }

    /** Ragged lengths, one empty sequence. */
    static LabelledSequences sample(HiddenMarkovModel m, int sequences, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] lengths = new int[sequences];
        for (int s = 0; s < sequences; s++) {
            lengths[s] = s == 3 ? 0 : 50 + rng.nextInt(250);
        }
        return m.sample(lengths, rng);
    }

    static HiddenMarkovModel fresh(LabelledSequences data, long seed) {
        GaussianEmission e = new GaussianEmission(3, 2, CovarianceType.DIAGONAL, 1e-6);
        e.initialize(HiddenMarkovModel.rows(data.observations()), new SplittableRandom(seed));
        return HiddenMarkovModel.initial(e, false, 0.8);
    }

    static HmmTrainer trainer(HmmTrainer.Method method, int iterations, int threads, ChainEngine chain) {
        return new HmmTrainer(chain, new HmmTrainer.Options(method, iterations, 0, 0, 0, threads), null);
    }

    static List<Double> objectives(HmmTrainer t, HiddenMarkovModel m, LabelledSequences data) throws Exception {
        List<Double> out = new ArrayList<>();
        t.fit(m, data, it -> {
            if (!Double.isNaN(it.objective())) {
                out.add(it.objective());
            }
        });
        return out;
    }

    static void assertNonDecreasing(List<Double> h) {
        for (int i = 1; i < h.size(); i++) {
            assertTrue(h.get(i) >= h.get(i - 1) - 1e-10 * Math.abs(h.get(i - 1)),
                    "objective decreased at iteration " + i + ": " + h.get(i - 1) + " -> " + h.get(i));
        }
    }

    @Test
    void baumWelchNeverDecreasesTheLikelihoodAndRecoversTheModel() throws Exception {
        HiddenMarkovModel truth = truth();
        LabelledSequences data = sample(truth, 30, 1);
        HiddenMarkovModel m = fresh(data, 2);
        List<Double> h = objectives(trainer(HmmTrainer.Method.BAUM_WELCH, 40, 2, CHAIN), m, data);
        assertEquals(41, h.size());
        assertNonDecreasing(h);
        assertTrue(h.get(40) > h.get(0) + 100, "training should improve the likelihood: " + h.get(0) + " -> " + h.get(40));
        GaussianEmission e = (GaussianEmission) m.emission();
        GaussianEmission te = (GaussianEmission) truth.emission();
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(te.mean(i), e.mean(i), 0.1, "mean " + i);
            assertArrayEquals(truth.transitionMatrix()[i], m.transitionMatrix()[i], 0.03, "transition row " + i);
        }
        // the fitted model explains the data at least as well as the generating one (it is the MLE)
        double fitted = Arrays.stream(m.logLikelihood(data.observations(), CHAIN, 1)).sum();
        double generating = Arrays.stream(truth.logLikelihood(data.observations(), CHAIN, 1)).sum();
        assertTrue(fitted >= generating, fitted + " < " + generating);
    }

    @Test
    void resultsDoNotDependOnThreads() throws Exception {
        LabelledSequences data = sample(truth(), 12, 3);
        HiddenMarkovModel a = fresh(data, 4);
        HiddenMarkovModel b = fresh(data, 4);
        objectives(trainer(HmmTrainer.Method.BAUM_WELCH, 5, 1, new ChainEngine(ChainNumerics.SCALED, 1)), a, data);
        objectives(trainer(HmmTrainer.Method.BAUM_WELCH, 5, 4, new ChainEngine(ChainNumerics.SCALED, 4)), b, data);
        assertArrayEquals(a.initial, b.initial, 0);
        assertArrayEquals(a.transitions, b.transitions, 0);
        for (int q = 0; q < a.emission().parameters().size(); q++) {
            assertArrayEquals(a.emission().parameters().get(q).values(), b.emission().parameters().get(q).values(), 0);
        }
    }

    @Test
    void viterbiTrainingNeverDecreasesTheBestPathProbability() throws Exception {
        LabelledSequences data = sample(truth(), 15, 5);
        HiddenMarkovModel m = fresh(data, 6);
        List<Double> h = objectives(trainer(HmmTrainer.Method.VITERBI, 20, 2, CHAIN), m, data);
        assertNonDecreasing(h);
        assertTrue(h.get(h.size() - 1) > h.get(0));
    }

    @Test
    void supervisedFitIsTheCountingEstimate() throws Exception {
        LabelledSequences data = sample(truth(), 10, 7);
        HiddenMarkovModel m = fresh(data, 8);
        HmmTrainer.Result r = trainer(HmmTrainer.Method.SUPERVISED, 1, 2, CHAIN).fit(m, data, it -> { });
        assertEquals(1, r.iterations());
        // a second M-step changes nothing: the first one already was the closed-form estimate
        double[] once = m.transitions.clone();
        HmmTrainer.Result again = new HmmTrainer(CHAIN, new HmmTrainer.Options(HmmTrainer.Method.SUPERVISED, 10, 1e-12, 0, 0, 2), null)
                .fit(m, data, it -> { });
        assertTrue(again.converged());
        assertEquals(1, again.iterations());
        assertArrayEquals(once, m.transitions, 1e-15);
        SequenceBatch s = data.observations();
        int[] z = data.states();
        double[] first = new double[3];
        double[][] trans = new double[3][3];
        double[][] sum = new double[3][2];
        double[] count = new double[3];
        for (int q = 0; q < s.size(); q++) {
            for (int t = 0; t < s.length(q); t++) {
                int p = s.offset(q) + t;
                if (t == 0) {
                    first[z[p]]++;
                } else {
                    trans[z[p - 1]][z[p]]++;
                }
                count[z[p]]++;
                sum[z[p]][0] += s.data()[2 * p];
                sum[z[p]][1] += s.data()[2 * p + 1];
            }
        }
        double starts = first[0] + first[1] + first[2];
        for (int i = 0; i < 3; i++) {
            assertEquals(first[i] / starts, m.initial[i], 1e-12);
            double row = trans[i][0] + trans[i][1] + trans[i][2];
            for (int j = 0; j < 3; j++) {
                assertEquals(trans[i][j] / row, m.transitionMatrix()[i][j], 1e-12);
            }
            assertArrayEquals(new double[] {sum[i][0] / count[i], sum[i][1] / count[i]}, ((GaussianEmission) m.emission()).mean(i), 1e-12);
        }
    }

    @Test
    void supervisedNeedsEveryLabel() {
        LabelledSequences d = sample(truth(), 5, 9);
        int[] z = d.states().clone();
        z[d.observations().offset(1) + 5] = LabelledSequences.UNLABELLED;
        LabelledSequences partial = new LabelledSequences("p", d.observations(), z, d.stateNames(), Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> trainer(HmmTrainer.Method.SUPERVISED, 3, 1, CHAIN).fit(fresh(d, 1), partial, it -> { }));
        assertTrue(e.getMessage().contains("sequence 1, position 5 ") && e.getMessage().contains("semi-supervised"), e.getMessage());
    }

    @Test
    void semiSupervisedNeverDecreasesAndAgreesWithSupervisedWhenAllIsLabelled() throws Exception {
        LabelledSequences data = sample(truth(), 16, 10);
        int[] z = data.states().clone();
        for (int s = 0; s < data.size(); s += 2) { // every other sequence unlabelled
            Arrays.fill(z, data.observations().offset(s), data.observations().offset(s) + data.observations().length(s),
                    LabelledSequences.UNLABELLED);
        }
        LabelledSequences half = new LabelledSequences("half", data.observations(), z, data.stateNames(), Map.of());
        HiddenMarkovModel m = fresh(data, 11);
        List<Double> h = objectives(trainer(HmmTrainer.Method.SEMI_SUPERVISED, 25, 2, CHAIN), m, half);
        assertNonDecreasing(h);
        // with labels, states keep the labels' meaning (no label switching)
        assertArrayEquals(((GaussianEmission) truth().emission()).mean(2), ((GaussianEmission) m.emission()).mean(2), 0.15);

        HiddenMarkovModel a = fresh(data, 12);
        HiddenMarkovModel b = fresh(data, 12);
        trainer(HmmTrainer.Method.SUPERVISED, 1, 1, CHAIN).fit(a, data, it -> { });
        trainer(HmmTrainer.Method.SEMI_SUPERVISED, 1, 1, CHAIN).fit(b, data, it -> { });
        assertArrayEquals(a.transitions, b.transitions, 1e-12);
    }

    @Test
    void leftToRightZerosStayZeroWithPseudocounts() throws Exception {
        LabelledSequences data = sample(truth(), 8, 13);
        GaussianEmission e = new GaussianEmission(3, 2, CovarianceType.DIAGONAL, 1e-6);
        e.initialize(HiddenMarkovModel.rows(data.observations()), new SplittableRandom(1));
        HiddenMarkovModel m = HiddenMarkovModel.initial(e, true, 0.7);
        new HmmTrainer(CHAIN, new HmmTrainer.Options(HmmTrainer.Method.BAUM_WELCH, 10, 0, 1, 1, 2), null).fit(m, data, it -> { });
        double[][] a = m.transitionMatrix();
        assertEquals(0, a[1][0]);
        assertEquals(0, a[2][0]);
        assertEquals(0, a[2][1]);
        assertEquals(0, a[0][2]);
        assertEquals(1, a[2][2]);
        assertArrayEquals(new double[] {1, 0, 0}, m.initial);
        m.validate();
    }

    @Test
    void transitionRowsAreValidated() {
        GaussianEmission e = new GaussianEmission(2, 1, CovarianceType.DIAGONAL, 1e-6);
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> new HiddenMarkovModel(new double[] {0.5, 0.5}, new double[][] {{0.5, 0.5}, {0.6, 0.39}}, e));
        assertTrue(ex.getMessage().startsWith("transition row 1 sums to 0.99"), ex.getMessage());
        new HiddenMarkovModel(new double[] {0.5, 0.5}, new double[][] {{0.5, 0.5}, {0.6, 0.4 + 5e-10}}, e);
        ex = assertThrows(IllegalArgumentException.class,
                () -> new HiddenMarkovModel(new double[] {1.2, -0.2}, new double[][] {{1, 0}, {0, 1}}, e));
        assertTrue(ex.getMessage().contains("initial distribution π has entry 1 = -0.2"), ex.getMessage());
    }

    /** An optimizer that only records what it is given. */
    static final class Recorder implements Optimizer {
        final List<double[]> gradients = new ArrayList<>();

        @Override
        public void step(List<ParameterBlock> blocks) {
            gradients.clear();
            for (ParameterBlock b : blocks) {
                gradients.add(b.gradient().clone());
            }
        }

        @Override
        public void reset() {
        }
    }

    /** −ℓ/N with π = softmax(θ_π), A rows = softmax(θ_A rows) (all entries allowed here). */
    static double loss(HiddenMarkovModel m, SequenceBatch s, double[] thetaPi, double[] thetaA) {
        int k = m.numStates();
        softmaxInto(thetaPi, 0, k, m.initial);
        for (int i = 0; i < k; i++) {
            softmaxInto(thetaA, i * k, k, m.transitions);
        }
        return -Arrays.stream(m.logLikelihood(s, new ChainEngine(ChainNumerics.LOG, 1), 1)).sum() / s.totalLength();
    }

    static void softmaxInto(double[] th, int from, int k, double[] p) {
        double sum = 0;
        for (int j = 0; j < k; j++) {
            sum += Math.exp(th[from + j]);
        }
        for (int j = 0; j < k; j++) {
            p[from + j] = Math.exp(th[from + j]) / sum;
        }
    }

    @Test
    void gradientOfTheNegativeLogLikelihoodMatchesFiniteDifferences() throws Exception {
        LabelledSequences data = sample(truth(), 3, 14);
        SequenceBatch s = new SequenceBatch(2, new int[] {12, 0, 7}, Arrays.copyOf(data.observations().data(), 38));
        LabelledSequences small = new LabelledSequences("small", s, null, List.of(), Map.of());
        GaussianMixtureEmission e = new GaussianMixtureEmission(3, 2, 2, CovarianceType.FULL, 1e-6);
        e.initialize(HiddenMarkovModel.rows(s), new SplittableRandom(3));
        HiddenMarkovModel m = HiddenMarkovModel.initial(e, false, 0.6);
        m.initial[0] = 0.2;
        m.initial[1] = 0.5;
        m.initial[2] = 0.3;
        Recorder rec = new Recorder();
        new HmmTrainer(new ChainEngine(ChainNumerics.LOG, 1), new HmmTrainer.Options(HmmTrainer.Method.GRADIENT, 1, 0, 0, 0, 1), rec)
                .fit(m, small, it -> { });
        // the recorder did not move anything: the model still holds the parameters the gradient was taken at
        double[] thetaPi = new double[3];
        double[] thetaA = new double[9];
        for (int j = 0; j < 3; j++) {
            thetaPi[j] = Math.log(m.initial[j]);
        }
        for (int q = 0; q < 9; q++) {
            thetaA[q] = Math.log(m.transitions[q]);
        }
        List<double[]> params = new ArrayList<>();
        params.add(thetaPi);
        params.add(thetaA);
        for (ParameterBlock b : e.parameters()) {
            params.add(b.values());
        }
        int checked = 0;
        for (int b = 0; b < params.size(); b++) {
            double[] v = params.get(b);
            for (int i = 0; i < v.length; i++) {
                double old = v[i];
                double h = 1e-5 * Math.max(1, Math.abs(old));
                v[i] = old + h;
                double fp = loss(m, s, thetaPi, thetaA);
                v[i] = old - h;
                double fm = loss(m, s, thetaPi, thetaA);
                v[i] = old;
                double fd = (fp - fm) / (2 * h);
                assertEquals(fd, rec.gradients.get(b)[i], 1e-7 * Math.max(1, Math.abs(fd)), "block " + b + " entry " + i);
                checked++;
            }
        }
        assertEquals(3 + 9 + 6 + 12 + 24, checked);
    }

    @Test
    void gradientTrainingImprovesTheLikelihood() throws Exception {
        LabelledSequences data = sample(truth(), 10, 15);
        HiddenMarkovModel m = fresh(data, 16);
        List<Double> h = objectives(new HmmTrainer(CHAIN, new HmmTrainer.Options(HmmTrainer.Method.GRADIENT, 150, 0, 0, 0, 2),
                org.hybridbench.optim.Adam.standard(0.05)), m, data);
        double perPos = data.observations().totalLength();
        assertTrue((h.get(h.size() - 1) - h.get(0)) / perPos > 0.05, h.get(0) / perPos + " -> " + h.get(h.size() - 1) / perPos);
        m.validate();
    }

    @Test
    void modelFileRoundTrips() throws Exception {
        HiddenMarkovModel m = truth();
        m.initial[0] = 0.1;
        m.initial[1] = 0.7;
        m.initial[2] = 0.2;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HmmFiles.write(out, m, Map.of("method", "test \"quoted\"", "x", 1.5));
        HiddenMarkovModel back = HmmFiles.read(new ByteArrayInputStream(out.toByteArray()),
                new GaussianEmission(3, 2, CovarianceType.DIAGONAL, 1e-6));
        assertArrayEquals(m.initial, back.initial, 0);
        assertArrayEquals(m.transitions, back.transitions, 0);
        for (int b = 0; b < m.emission().parameters().size(); b++) {
            assertArrayEquals(m.emission().parameters().get(b).values(), back.emission().parameters().get(b).values(), 0);
        }
        LabelledSequences data = sample(m, 3, 1);
        assertArrayEquals(m.logLikelihood(data.observations(), CHAIN, 1), back.logLikelihood(data.observations(), CHAIN, 1), 0);
        java.io.IOException wrong = assertThrows(java.io.IOException.class, () -> HmmFiles.read(
                new ByteArrayInputStream(out.toByteArray()), new GaussianEmission(3, 2, CovarianceType.FULL, 1e-6)));
        assertTrue(wrong.getMessage().contains("precisionCholesky"), wrong.getMessage());
        String v2 = out.toString(java.nio.charset.StandardCharsets.UTF_8).replace("\"version\":1", "\"version\":2");
        wrong = assertThrows(java.io.IOException.class, () -> HmmFiles.read(
                new ByteArrayInputStream(v2.getBytes(java.nio.charset.StandardCharsets.UTF_8)), new GaussianEmission(3, 2,
                        CovarianceType.DIAGONAL, 1e-6)));
        assertTrue(wrong.getMessage().contains("version 2"), wrong.getMessage());
    }

    @Test
    void aicAndBicFollowTheirDefinitions() {
        HiddenMarkovModel m = truth();
        long p = 2 + 3 * 2 + (3 * 2 + 3 * 2); // π, A rows, means, variances
        assertEquals(p, m.freeParameters());
        assertEquals(2 * p + 2 * 100.0, m.aic(-100), 1e-12);
        assertEquals(p * Math.log(50) + 2 * 100.0, m.bic(-100, 50), 1e-12);
    }

    @Test
    void sampledTransitionsFollowA() {
        HiddenMarkovModel m = truth();
        LabelledSequences s = m.sample(new int[] {200_000}, new SplittableRandom(17));
        int[] z = s.states();
        double[][] c = new double[3][3];
        double[] row = new double[3];
        for (int t = 1; t < z.length; t++) {
            c[z[t - 1]][z[t]]++;
            row[z[t - 1]]++;
        }
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double a = m.transitionMatrix()[i][j];
                assertEquals(a, c[i][j] / row[i], 5 * Math.sqrt(a * (1 - a) / row[i]), "A" + i + j);
            }
        }
    }

    @Test
    void badObservationsNameSequenceAndPosition() {
        LabelledSequences d = sample(truth(), 5, 18);
        double[] y = d.observations().data().clone();
        int row = d.observations().offset(2) + 3;
        y[2 * row + 1] = Double.POSITIVE_INFINITY;
        SequenceBatch bad = new SequenceBatch(2, lengths(d.observations()), y);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> truth().logLikelihood(bad, CHAIN, 1));
        assertTrue(e.getMessage().startsWith("sequence 2: ") && e.getMessage().contains("position 3, column 1 is Infinity"),
                e.getMessage());
    }

    @Test
    void zeroProbabilityUnderEveryStateIsNamed() {
        CategoricalEmission c = new CategoricalEmission(2, 3, 0);
        c.setProbabilities(0, new double[] {0.5, 0.5, 0});
        c.setProbabilities(1, new double[] {0.2, 0.8, 0});
        HiddenMarkovModel m = new HiddenMarkovModel(new double[] {0.5, 0.5}, new double[][] {{0.5, 0.5}, {0.5, 0.5}}, c);
        SequenceBatch s = new SequenceBatch(1, new int[] {3, 4}, new double[] {0, 1, 0, 1, 1, 2, 0});
        ChainInputException e = assertThrows(ChainInputException.class, () -> m.logLikelihood(s, CHAIN, 1));
        assertEquals(1, e.sequence());
        assertEquals(2, e.position());
    }

    static int[] lengths(SequenceBatch s) {
        int[] l = new int[s.size()];
        for (int i = 0; i < l.length; i++) {
            l[i] = s.length(i);
        }
        return l;
    }
}

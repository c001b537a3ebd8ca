package org.hybridbench.hmm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.data.SequenceBatch;
import org.hybridbench.api.model.ChainBatchMarginals;
import org.hybridbench.api.model.ChainNumerics;
import org.hybridbench.api.model.ChainPath;
import org.hybridbench.api.model.LabelledSequences;
import org.hybridbench.chain.ChainEngine;
import org.hybridbench.emission.CovarianceType;
import org.hybridbench.emission.GaussianEmission;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The golden 3-state Gaussian HMM (T = 100,000; values agreed by pomegranate, Jahmm and numpy implementations,
 * see src/test/resources/golden/README.md): log p(x), Viterbi, posteriors and one Baum-Welch step.
 */
class GoldenTest {
    static double[] x;
    static int[] z;

    @BeforeAll
    static void load() throws IOException {
        x = lines("golden/x.txt").stream().mapToDouble(Double::parseDouble).toArray();
        z = lines("golden/z.txt").stream().mapToInt(Integer::parseInt).toArray();
    }

    static List<String> lines(String resource) throws IOException {
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                GoldenTest.class.getClassLoader().getResourceAsStream(resource), StandardCharsets.UTF_8))) {
            for (String l; (l = r.readLine()) != null;) {
                if (!l.isBlank()) {
                    out.add(l.trim());
                }
            }
        }
        return out;
    }

    /** The stated model: π, A, N(μ, σ²). */
    static HiddenMarkovModel statedModel() {
        GaussianEmission e = new GaussianEmission(3, 1, CovarianceType.DIAGONAL, 1e-12);
        double[] mu = {-2.0, 0.0, 2.5};
        double[] sigma = {1.0, 0.7, 1.2};
        for (int i = 0; i < 3; i++) {
            e.setMean(i, 0, new double[] {mu[i]});
            e.setCovariance(i, 0, new double[] {sigma[i] * sigma[i]});
        }
        return new HiddenMarkovModel(new double[] {0.6, 0.3, 0.1},
                new double[][] {{0.95, 0.04, 0.01}, {0.03, 0.94, 0.03}, {0.02, 0.03, 0.95}}, e);
    }

    static LabelledSequences data() {
        return new LabelledSequences("golden", new SequenceBatch(1, new int[] {x.length}, x.clone()), z.clone(),
                List.of("0", "1", "2"), Map.of());
    }

    static void assertRelative(double expected, double actual, double rel, String what) {
        assertEquals(expected, actual, rel * Math.abs(expected), what);
    }

    @Test
    void logLikelihoodMatchesInBothNumerics() {
        HiddenMarkovModel m = statedModel();
        for (ChainNumerics n : ChainNumerics.values()) {
            double ll = m.logLikelihood(data().observations(), new ChainEngine(n, 2), 2)[0];
            assertEquals(-153907.50579, ll, 1e-5, n.toString()); // the file gives 5 decimals
        }
        SequenceBatch first = new SequenceBatch(1, new int[] {1000}, java.util.Arrays.copyOf(x, 1000));
        assertEquals(-1584.3699283672534, m.logLikelihood(first, new ChainEngine(ChainNumerics.SCALED, 1), 1)[0], 1e-9);
    }

    @Test
    void viterbiAndPosteriorsMatch() {
        HiddenMarkovModel m = statedModel();
        ChainEngine engine = new ChainEngine(ChainNumerics.SCALED, 2);
        ChainPath path = m.viterbi(data().observations(), engine, 2).get(0);
        // 2e5 log terms summed in another order: agreement to ~1e-12 relative is what round-off allows
        assertRelative(-155530.84287497198, path.logScore(), 1e-11, "Viterbi log-probability");
        assertArrayEquals(new int[] {1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
                java.util.Arrays.copyOf(path.states(), 20));
        assertEquals(0.9815, accuracy(path.states()), 1e-12);

        ChainBatchMarginals post = m.posteriors(data().observations(), engine, 2);
        Matrix g = post.posteriors();
        assertArrayEquals(new double[] {0.0805369022, 0.9189148116, 0.0005482863}, g.row(0), 1e-10);
        // γ_50000 is given by pomegranate alone, and its three entries do not sum to 1 (they sum to 1 − 2.6e-7);
        // its small entries agree with ours to 2.5e-7 relative, its first entry is 2.6e-7 too small. γ_0 (numpy
        // reference) and the Baum-Welch step (numpy, computed from all γ and ξ) agree to 1e-10 and 1e-13.
        assertRelative(0.00013556063, g.get(50_000, 1), 1e-6, "γ_50000[1]");
        assertRelative(5.2554279e-07, g.get(50_000, 2), 1e-6, "γ_50000[2]");
        assertEquals(1 - 0.00013556063 - 5.2554279e-07, g.get(50_000, 0), 1e-10, "γ_50000[0] = 1 − the others");
        double[] occupancy = new double[3];
        int[] argmax = new int[x.length];
        for (int t = 0; t < x.length; t++) {
            for (int i = 0; i < 3; i++) {
                occupancy[i] += g.get(t, i);
                if (g.get(t, i) > g.get(t, argmax[t])) {
                    argmax[t] = i;
                }
            }
        }
        // pomegranate's occupancy differs from ours by 1.4e-7 relative, like its γ_50000 (see above); ours is what
        // gives the numpy Baum-Welch step to 1e-13 (μ' = Σγx / Σγ).
        double[] expected = {34268.96223878, 37623.19223956, 28107.83144173};
        for (int i = 0; i < 3; i++) {
            assertRelative(expected[i], occupancy[i], 1e-6, "occupancy of state " + i);
        }
        assertEquals(x.length, occupancy[0] + occupancy[1] + occupancy[2], 1e-6);
        assertEquals(0.98184, accuracy(argmax), 1e-12);
    }

    static double accuracy(int[] s) {
        int ok = 0;
        for (int t = 0; t < s.length; t++) {
            ok += s[t] == z[t] ? 1 : 0;
        }
        return ok / (double) s.length;
    }

    @Test
    void oneBaumWelchStepMatchesTheIndependentImplementation() throws Exception {
        HiddenMarkovModel m = statedModel();
        HmmTrainer t = new HmmTrainer(new ChainEngine(ChainNumerics.SCALED, 2),
                new HmmTrainer.Options(HmmTrainer.Method.BAUM_WELCH, 1, 0, 0, 0, 2), null);
        List<Double> ll = new ArrayList<>();
        HmmTrainer.Result r = t.fit(m, data(), it -> {
            if (!Double.isNaN(it.objective())) {
                ll.add(it.objective());
            }
        });
        assertEquals(1, r.iterations());
        assertEquals(-153907.50579, ll.get(0), 1e-5);
        assertGoldenStep(m);
    }

    /** iterate(), the single-iteration entry benchmarks and custom loops use, is the same Baum-Welch step. */
    @Test
    void iterateIsOneBaumWelchStep() {
        HiddenMarkovModel m = statedModel();
        HmmTrainer t = new HmmTrainer(new ChainEngine(ChainNumerics.SCALED, 1),
                new HmmTrainer.Options(HmmTrainer.Method.BAUM_WELCH, 1, 0, 0, 0, 1), null);
        assertEquals(-153907.50579, t.iterate(m, data().observations()), 1e-5);
        assertGoldenStep(m);
    }

    /** The numpy reference's π', μ', σ', A' after one step from the stated model. */
    static void assertGoldenStep(HiddenMarkovModel m) {
        assertArrayEquals(new double[] {0.08053690222504464, 0.9189148115196588, 0.0005482862551831087}, m.initialProbabilities(),
                1e-12);
        double[] mu = {-1.996218798006773, -0.0013935010630802198, 2.5084158247215664};
        double[] sigma = {1.001315294452344, 0.7016010856055009, 1.2018478352640394};
        double[][] a = {{0.9508175980604853, 0.03969686253013345, 0.009485539409381245},
            {0.029423661254730747, 0.9406192463438594, 0.029957092401409858},
            {0.020609484016393214, 0.03105341632256167, 0.9483370996610451}};
        GaussianEmission e = (GaussianEmission) m.emission();
        double worst = 0;
        for (int i = 0; i < 3; i++) {
            double gotMu = e.mean(i)[0];
            double gotSigma = Math.sqrt(e.covariance(i)[0]);
            worst = Math.max(worst, Math.abs(gotMu - mu[i]) / Math.abs(mu[i]));
            worst = Math.max(worst, Math.abs(gotSigma - sigma[i]) / sigma[i]);
            assertRelative(mu[i], gotMu, 1e-8, "μ'" + i);
            assertRelative(sigma[i], gotSigma, 1e-9, "σ'" + i);
            for (int j = 0; j < 3; j++) {
                worst = Math.max(worst, Math.abs(m.transitionMatrix()[i][j] - a[i][j]) / a[i][j]);
                assertRelative(a[i][j], m.transitionMatrix()[i][j], 1e-9, "A'" + i + j);
            }
        }
        System.out.println("golden Baum-Welch step: largest relative error " + worst);
    }
}

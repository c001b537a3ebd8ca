package org.hybridbench.chain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.ChainMarginals;
import org.hybridbench.api.model.ChainNumerics;
import org.hybridbench.api.model.ChainPath;
import org.hybridbench.api.model.ChainPotentials;
import org.junit.jupiter.api.Test;

/**
 * The golden 3-state Gaussian HMM (T = 100,000; x and z copied from shared/golden/hmm-gaussian-3state): every
 * reference value of its README (pomegranate 0.14.8, Jahmm and independent implementations), with the Gaussian
 * log-densities computed here from the stated model.
 */
class GoldenHmmTest {
    static final double[] PI = {0.6, 0.3, 0.1};
    static final double[] A = {0.95, 0.04, 0.01, 0.03, 0.94, 0.03, 0.02, 0.03, 0.95};
    static final double[] MU = {-2.0, 0.0, 2.5};
    static final double[] SIGMA = {1.0, 0.7, 1.2};

    static double[] read(String name) throws IOException {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(GoldenHmmTest.class.getResourceAsStream("/golden/" + name),
                StandardCharsets.US_ASCII))) {
            return in.lines().mapToDouble(Double::parseDouble).toArray();
        }
    }

    /** log π, log A and log N(x_t; μ_k, σ_k²) for the first {@code t} observations. */
    static ChainPotentials potentials(double[] x, int t) {
        double[] u = new double[t * 3];
        for (int i = 0; i < t; i++) {
            for (int k = 0; k < 3; k++) {
                double d = (x[i] - MU[k]) / SIGMA[k];
                u[i * 3 + k] = -0.5 * Math.log(2 * Math.PI) - Math.log(SIGMA[k]) - 0.5 * d * d;
            }
        }
        return new ChainPotentials(log(PI), new Matrix(3, 3, log(A)), new Matrix(t, 3, u));
    }

    static double[] log(double[] v) {
        return Arrays.stream(v).map(Math::log).toArray();
    }

    @Test
    void matchesTheGoldenReferenceValues() throws IOException {
        double[] x = read("x.txt");
        double[] z = read("z.txt");
        assertEquals(100_000, x.length);
        ChainPotentials c = potentials(x, x.length);
        for (ChainNumerics numerics : new ChainNumerics[] {ChainNumerics.SCALED, ChainNumerics.LOG}) {
            ChainEngine e = new ChainEngine(numerics);
            String w = numerics.toString();
            assertEquals(-153907.50579, e.logPartition(c), 1e-5, w + " log p(x)");
            assertEquals(-1584.3699283672534, e.logPartition(potentials(x, 1000)), 1e-9, w + " log p(x[0:1000])");

            ChainMarginals m = e.marginals(c);
            assertEquals(-153907.50579, m.logPartition(), 1e-5, w);
            assertArrayEquals(new double[] {0.0805369022, 0.9189148116, 0.0005482863}, m.posteriors().row(0), 1e-10, w + " γ_0");
            // pomegranate's values carry ~1e-7 relative error: its γ_50000 sums to 0.99999973744 and its Σ_t γ_t to
            // 99999.98592 instead of 1 and T. The numpy values (γ_0, A') hold to 1e-10.
            assertArrayEquals(new double[] {0.99986365127, 0.00013556063, 5.2554279e-07}, m.posteriors().row(50_000), 3e-7,
                    w + " γ_50000");
            assertArrayEquals(new double[] {0.00013556063, 5.2554279e-07}, Arrays.copyOfRange(m.posteriors().row(50_000), 1, 3),
                    1e-12 + 3e-7 * 0.00013556063, w + " γ_50000, small entries (relative)");
            assertArrayEquals(new double[] {0.08053690222504464, 0.9189148115196588, 0.0005482862551831087}, m.initialPosterior(),
                    1e-12, w + " π' of one Baum-Welch step = γ_0");
            double[] occupancy = new double[3];
            int correct = 0;
            for (int t = 0; t < x.length; t++) {
                int arg = 0;
                for (int k = 0; k < 3; k++) {
                    occupancy[k] += m.posteriors().get(t, k);
                    if (m.posteriors().get(t, k) > m.posteriors().get(t, arg)) {
                        arg = k;
                    }
                }
                correct += arg == (int) z[t] ? 1 : 0;
            }
            assertArrayEquals(new double[] {34268.96223878, 37623.19223956, 28107.83144173}, occupancy, 2e-7 * 37623.2,
                    w + " Σ_t γ_t (pomegranate, ~1e-7 relative)");
            assertEquals(0.98184, correct / 100_000.0, 0.0, w + " posterior-argmax accuracy");

            // One Baum-Welch step's A' = ξ_ij / Σ_j ξ_ij (Rabiner 1989 eq. 40b).
            double[][] aPrime = {{0.9508175980604853, 0.03969686253013345, 0.009485539409381245},
                    {0.029423661254730747, 0.9406192463438594, 0.029957092401409858},
                    {0.020609484016393214, 0.03105341632256167, 0.9483370996610451}};
            for (int i = 0; i < 3; i++) {
                double row = 0;
                for (int j = 0; j < 3; j++) {
                    row += m.expectedTransitions().get(i, j);
                }
                for (int j = 0; j < 3; j++) {
                    assertEquals(aPrime[i][j], m.expectedTransitions().get(i, j) / row, 1e-10, w + " A'[" + i + "][" + j + "]");
                }
            }

            ChainPath v = e.viterbi(c);
            assertEquals(-155530.84287497198, v.logScore(), 1e-6, w + " Viterbi log-probability");
            assertArrayEquals(new int[] {1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, Arrays.copyOf(v.states(), 20));
            int vc = 0;
            for (int t = 0; t < x.length; t++) {
                vc += v.states()[t] == (int) z[t] ? 1 : 0;
            }
            assertEquals(0.9815, vc / 100_000.0, 0.0, w + " Viterbi accuracy");
        }
    }
}

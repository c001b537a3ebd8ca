package org.hybridbench.chain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.ChainInputException;
import org.hybridbench.api.model.ChainMarginals;
import org.hybridbench.api.model.ChainNumerics;
import org.hybridbench.api.model.ChainPath;
import org.hybridbench.api.model.ChainPotentials;
import org.junit.jupiter.api.Test;

/**
 * Every result against brute-force enumeration of all K^T paths (T ≤ 6, K ≤ 3), random potentials with and without
 * −∞ entries, for scaled and log numerics with dense and sparse kernels.
 */
class EnumerationOracleTest {
    private static final double TOL = 1e-10;

    static List<ChainEngine> engines() {
        // Dense single chains take the hand-inlined kernels unless fused is off; both are checked, and the sparse ones.
        return List.of(new ChainEngine(ChainNumerics.SCALED, 1, false), new ChainEngine(ChainNumerics.SCALED, 1, false, false),
                new ChainEngine(ChainNumerics.SCALED, 1, true), new ChainEngine(ChainNumerics.LOG, 1, false),
                new ChainEngine(ChainNumerics.LOG, 1, false, false), new ChainEngine(ChainNumerics.LOG, 1, true));
    }

    /**
     * Scores of thousands of nats (CRF-sized; transitions spanning more than the double range): the log-space shift
     * trick's products would underflow, so its per-column and per-position fall-backs must give the enumeration's
     * log Z, γ and ξ. Mixed with moderate chains, where the factored form is taken.
     */
    @Test
    void hugeScoresMatchEnumerationInLogSpace() {
        List<ChainEngine> log = List.of(new ChainEngine(ChainNumerics.LOG, 1, false), new ChainEngine(ChainNumerics.LOG, 1, true),
                new ChainEngine(ChainNumerics.LOG, 1, false, false), new ChainEngine(ChainNumerics.SCALED, 1, false));
        int checked = 0;
        for (int seed = 0; seed < 200; seed++) {
            SplittableRandom r = new SplittableRandom(1000 + seed);
            int k = 2 + r.nextInt(2);
            int t = 1 + r.nextInt(6);
            double scale = seed % 4 == 0 ? 2 : seed % 4 == 1 ? 300 : 1500;
            ChainPotentials c = BruteForce.random(r, k, t, scale, seed % 3 == 0 ? 0.3 : 0);
            BruteForce bf = new BruteForce(c);
            if (bf.logZ == Double.NEGATIVE_INFINITY) {
                continue;
            }
            checked++;
            for (ChainEngine e : log) {
                String w = "seed " + seed + " (K=" + k + ", T=" + t + ", scale " + scale + ") " + e.numerics()
                        + (e.forceSparse ? " sparse" : " dense") + (e.fused ? " fused" : " generic");
                ChainMarginals m = e.marginals(c);
                assertEquals(bf.logZ, m.logPartition(), TOL * Math.max(1, Math.abs(bf.logZ)), w + " logZ");
                assertEquals(bf.logZ, e.logPartition(c), TOL * Math.max(1, Math.abs(bf.logZ)), w + " logZ (forward)");
                for (int i = 0; i < t; i++) {
                    for (int j = 0; j < k; j++) {
                        assertEquals(bf.gamma[i][j], m.posteriors().get(i, j), TOL, w + " gamma " + i + "," + j);
                    }
                }
                for (int i = 0; i < k; i++) {
                    for (int j = 0; j < k; j++) {
                        double x = bf.xi[i][j];
                        // log space: relative to each entry however small; scaled (probability space): absolute
                        double tol = e.numerics() == ChainNumerics.LOG ? TOL * x + 1e-300 : TOL;
                        assertEquals(x, m.expectedTransitions().get(i, j), tol, w + " xi " + i + "," + j);
                    }
                }
            }
        }
        assertTrue(checked > 100, "possible chains checked: " + checked);
    }

    @Test
    void everyResultMatchesEnumeration() {
        int possible = 0;
        int impossible = 0;
        int withMinusInf = 0;
        int[] byLength = new int[7];
        for (int seed = 0; seed < 600; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            int k = 1 + r.nextInt(3);
            int t = r.nextInt(7);
            ChainPotentials c = BruteForce.random(r, k, t, 1.5, seed % 3 == 0 ? 0 : 0.3);
            BruteForce bf = new BruteForce(c);
            String where = "seed " + seed + " (K=" + k + ", T=" + t + ")";
            if (bf.logZ == Double.NEGATIVE_INFINITY) {
                impossible++;
                for (ChainEngine e : engines()) {
                    assertThrows(ChainInputException.class, () -> e.logPartition(c), where);
                    assertThrows(ChainInputException.class, () -> e.marginals(c), where);
                    assertThrows(ChainInputException.class, () -> e.viterbi(c), where);
                    assertThrows(ChainInputException.class, () -> e.nBest(c, 3), where);
                }
                continue;
            }
            possible++;
            byLength[t]++;
            if (bf.ranking().size() < bf.paths.size()) {
                withMinusInf++;
            }
            for (ChainEngine e : engines()) {
                String w = where + " " + e.numerics() + (e.forceSparse ? " sparse" : " dense") + (e.fused ? " fused" : " generic");
                assertEquals(bf.logZ, e.logPartition(c), TOL * Math.max(1, Math.abs(bf.logZ)), w + " logZ");
                ChainMarginals m = e.marginals(c);
                assertEquals(bf.logZ, m.logPartition(), TOL * Math.max(1, Math.abs(bf.logZ)), w + " marginals logZ");
                assertEquals(t, m.posteriors().rows());
                for (int i = 0; i < t; i++) {
                    for (int j = 0; j < k; j++) {
                        assertEquals(bf.gamma[i][j], m.posteriors().get(i, j), TOL, w + " gamma " + i + "," + j);
                    }
                }
                for (int i = 0; i < k; i++) {
                    for (int j = 0; j < k; j++) {
                        assertEquals(bf.xi[i][j], m.expectedTransitions().get(i, j), TOL, w + " xi " + i + "," + j);
                    }
                }
                List<Integer> rank = bf.ranking();
                ChainPath v = e.viterbi(c);
                assertEquals(bf.scores.get(rank.get(0)), v.logScore(), TOL * Math.max(1, Math.abs(v.logScore())), w + " viterbi");
                assertArrayEquals(bf.paths.get(rank.get(0)), v.states(), w + " viterbi path");
                List<ChainPath> best = e.nBest(c, bf.paths.size() + 2);
                assertEquals(rank.size(), best.size(), w + " n-best count (possible paths)");
                for (int p = 0; p < rank.size(); p++) {
                    double expected = bf.scores.get(rank.get(p));
                    assertEquals(expected, best.get(p).logScore(), TOL * Math.max(1, Math.abs(expected)), w + " n-best " + p);
                    assertArrayEquals(bf.paths.get(rank.get(p)), best.get(p).states(), w + " n-best path " + p);
                }
                List<ChainPath> top2 = e.nBest(c, 2);
                assertEquals(Math.min(2, rank.size()), top2.size());
                assertArrayEquals(bf.paths.get(rank.get(0)), top2.get(0).states(), w + " 2-best first");
            }
        }
        // The random cases must cover what they claim to cover.
        assertTrue(impossible >= 5, "impossible chains tested: " + impossible);
        assertTrue(withMinusInf >= 50, "chains with impossible paths tested: " + withMinusInf);
        for (int t = 0; t <= 6; t++) {
            assertTrue(byLength[t] >= 10, "chains of length " + t + ": " + byLength[t]);
        }
        assertTrue(possible > 400);
    }

    @Test
    void emptyChainHasOneEmptyPathOfScoreZero() {
        ChainPotentials c = new ChainPotentials(new double[] {0.3, -1}, new Matrix(2, 2, new double[] {0, -1, -2, 0}),
                new Matrix(0, 2));
        for (ChainEngine e : engines()) {
            assertEquals(0.0, e.logPartition(c));
            ChainMarginals m = e.marginals(c);
            assertEquals(0.0, m.logPartition());
            assertEquals(0, m.posteriors().rows());
            assertArrayEquals(new double[4], m.expectedTransitions().data());
            assertArrayEquals(new double[2], m.initialPosterior());
            assertEquals(0, e.viterbi(c).states().length);
            assertEquals(0.0, e.viterbi(c).logScore());
            assertEquals(1, e.nBest(c, 5).size());
            assertEquals(0, e.sample(c, new SplittableRandom(1)).states().length);
        }
    }

    /**
     * Forward-filter backward-sample: path frequencies of 60,000 draws against the exact path probabilities from
     * enumeration, by Pearson's chi-square (fixed seeds, so the test is deterministic). The bound is the 99.99 %
     * quantile of chi-square, approximated by df + 4.5·sqrt(2 df) + 10.
     */
    @Test
    void samplesFollowExactPathProbabilities() {
        for (int seed = 1; seed <= 4; seed++) {
            SplittableRandom r = new SplittableRandom(100 + seed);
            ChainPotentials c = BruteForce.random(r, 3, 4, 1.0, seed % 2 == 0 ? 0.2 : 0);
            BruteForce bf = new BruteForce(c);
            for (ChainNumerics numerics : List.of(ChainNumerics.SCALED, ChainNumerics.LOG)) {
                ChainEngine e = new ChainEngine(numerics);
                int draws = 60_000;
                int[] counts = new int[bf.paths.size()];
                SplittableRandom rng = new SplittableRandom(seed);
                for (int d = 0; d < draws; d++) {
                    ChainPath p = e.sample(c, rng);
                    int code = 0;
                    for (int i = p.states().length - 1; i >= 0; i--) {
                        code = code * 3 + p.states()[i];
                    }
                    assertEquals(bf.scores.get(code), p.logScore(), 1e-12, "sampled path score");
                    counts[code]++;
                }
                double chi2 = 0;
                int df = -1;
                for (int p = 0; p < counts.length; p++) {
                    double expected = draws * Math.exp(bf.scores.get(p) - bf.logZ);
                    if (expected == 0) {
                        assertEquals(0, counts[p], "an impossible path was sampled");
                        continue;
                    }
                    chi2 += (counts[p] - expected) * (counts[p] - expected) / expected;
                    df++;
                }
                double bound = df + 4.5 * Math.sqrt(2.0 * df) + 10;
                assertTrue(chi2 < bound, "seed " + seed + " " + numerics + ": chi2 " + chi2 + " with " + df + " df");
            }
        }
    }
}

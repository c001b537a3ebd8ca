package org.hybridbench.crf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.SplittableRandom;

import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.ChainInputException;
import org.hybridbench.api.model.ChainNumerics;
import org.hybridbench.api.model.ChainPath;
import org.hybridbench.chain.ChainEngine;
import org.junit.jupiter.api.Test;

/** log Z, marginals, Viterbi, n-best, confidence and entropy against enumeration of every tag sequence. */
class CrfOracleTest {
    static final double TOL = 1e-10;

    static Matrix random(SplittableRandom r, int rows, int cols, double sd) {
        Matrix m = new Matrix(rows, cols);
        for (int i = 0; i < m.data().length; i++) {
            m.data()[i] = sd * r.nextGaussian();
        }
        return m;
    }

    static double[][] rows(Matrix m) {
        double[][] out = new double[m.rows()][];
        for (int i = 0; i < m.rows(); i++) {
            out[i] = m.row(i);
        }
        return out;
    }

    static double[][] transitions(LinearChainCrf crf) {
        int k = crf.numTags();
        double[][] a = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                a[i][j] = crf.isForbidden(i, j) ? 0 : crf.transition(i, j);
            }
        }
        return a;
    }

    static double[] starts(LinearChainCrf crf) {
        double[] s = new double[crf.numTags()];
        for (int i = 0; i < s.length; i++) {
            s[i] = crf.start(i);
        }
        return s;
    }

    static double[] ends(LinearChainCrf crf) {
        double[] s = new double[crf.numTags()];
        for (int i = 0; i < s.length; i++) {
            s[i] = crf.end(i);
        }
        return s;
    }

    private void check(ChainNumerics numerics, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int checked = 0;
        int impossible = 0;
        for (int rep = 0; rep < 400; rep++) {
            int k = 1 + r.nextInt(3);
            int t = r.nextInt(6);
            LinearChainCrf crf = new LinearChainCrf(k, new ChainEngine(numerics));
            crf.initialize(r, 1.5);
            boolean[][] forbidden = new boolean[k][k];
            Constraints c = Constraints.none();
            boolean[][] allowed = new boolean[t][];
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    double u = r.nextDouble();
                    if (u < 0.15) {
                        crf.forbidTransition(i, j);
                        forbidden[i][j] = true;
                    } else if (u < 0.25) {
                        c.forbidTransition(i, j);
                        forbidden[i][j] = true;
                    }
                }
            }
            for (int p = 0; p < t; p++) {
                if (r.nextDouble() < 0.2) {
                    int tag = r.nextInt(k);
                    c.allowOnly(p, tag);
                    allowed[p] = new boolean[k];
                    allowed[p][tag] = true;
                }
            }
            Matrix u = random(r, t, k, 2);
            CrfBrute bf = new CrfBrute(starts(crf), transitions(crf), ends(crf), rows(u), forbidden, allowed);
            if (bf.logZ == Double.NEGATIVE_INFINITY) {
                assertThrows(ChainInputException.class, () -> crf.analyse(u, c));
                impossible++;
                continue;
            }
            SentenceAnalysis a = crf.analyse(u, c);
            assertEquals(bf.logZ, a.logPartition(), TOL);
            assertEquals(bf.logZ, crf.logPartition(u, c), TOL);
            Matrix g = crf.marginals(u, c);
            for (int p = 0; p < t; p++) {
                assertArrayEquals(bf.gamma[p], g.row(p), TOL);
                assertArrayEquals(bf.gamma[p], a.marginals().row(p), TOL);
            }
            List<Integer> rank = bf.ranking();
            int best = rank.get(0);
            assertArrayEquals(bf.paths.get(best), a.best().states(), "k=" + k + " t=" + t);
            assertEquals(bf.scores.get(best), a.best().logScore(), TOL);
            assertArrayEquals(bf.paths.get(best), crf.viterbi(u, c).states());
            assertEquals(Math.exp(bf.scores.get(best) - bf.logZ), a.confidence(), TOL);
            assertEquals(bf.entropy, a.entropy(), 1e-9);
            int n = 1 + r.nextInt(30);
            List<ChainPath> nb = crf.nBest(u, n, c);
            assertEquals(Math.min(n, rank.size()), nb.size());
            for (int i = 0; i < nb.size(); i++) {
                assertEquals(bf.scores.get(rank.get(i)), nb.get(i).logScore(), TOL);
                assertArrayEquals(bf.paths.get(rank.get(i)), nb.get(i).states());
                assertEquals(nb.get(i).logScore(), crf.score(u, nb.get(i).states()), TOL);
            }
            checked++;
        }
        assertEquals(400, checked + impossible);
        assertEquals(true, checked > 250, "checked " + checked);
    }

    @Test
    void logSpaceMatchesEnumeration() {
        check(ChainNumerics.LOG, 11);
    }

    @Test
    void scaledMatchesEnumeration() {
        check(ChainNumerics.SCALED, 12);
    }

    @Test
    void endScoreIsExactAndDecidesTheLastTag() {
        LinearChainCrf crf = new LinearChainCrf(2, new ChainEngine(ChainNumerics.LOG));
        Matrix u = new Matrix(3, 2, new double[] {0, 0, 0, 0, 1, 0});
        assertArrayEquals(new int[] {0, 0, 0}, crf.viterbi(u).states());
        crf.setEnd(1, 2.5);
        ChainPath p = crf.viterbi(u);
        assertArrayEquals(new int[] {0, 0, 1}, p.states());
        assertEquals(2.5, p.logScore(), 1e-12);
        // log Z = log Σ over 8 paths: last tag 0 contributes 4·e^1, last tag 1 contributes 4·e^2.5
        assertEquals(Math.log(4 * Math.exp(1) + 4 * Math.exp(2.5)), crf.logPartition(u, null), 1e-12);
        // the end score counts once, at the last position only, for every length
        for (int t = 1; t <= 4; t++) {
            Matrix z = new Matrix(t, 2);
            assertEquals(Math.log(Math.pow(2, t - 1) * (1 + Math.exp(2.5))), crf.logPartition(z, null), 1e-12, "T=" + t);
        }
    }

    @Test
    void emptySentenceHasOneEmptyPath() {
        LinearChainCrf crf = new LinearChainCrf(3, new ChainEngine(ChainNumerics.LOG));
        crf.initialize(new SplittableRandom(1), 1);
        SentenceAnalysis a = crf.analyse(new Matrix(0, 3), null);
        assertEquals(0, a.best().states().length);
        assertEquals(0, a.logPartition());
        assertEquals(1, a.confidence());
        assertEquals(0, a.entropy());
        assertEquals(1, crf.nBest(new Matrix(0, 3), 5, null).size());
    }
}

package org.hybridbench.crf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.ChainInputException;
import org.hybridbench.api.model.ChainNumerics;
import org.hybridbench.api.model.StructuredLoss;
import org.hybridbench.chain.ChainEngine;
import org.junit.jupiter.api.Test;

/** {@link StructuredLoss#decode} of the CRF: per sentence, the best of all K^T enumerated paths (forbidden ones excluded). */
class CrfDecodeTest {

    /** A ragged batch of random sentences (lengths 0…5, about every fifth empty) laid end to end. */
    private record Batch(List<Matrix> sentences, int[] lengths, Matrix all) {
        static Batch random(SplittableRandom r, int n, int k) {
            List<Matrix> u = new ArrayList<>();
            int[] lengths = new int[n];
            int total = 0;
            for (int b = 0; b < n; b++) {
                lengths[b] = r.nextDouble() < 0.2 ? 0 : 1 + r.nextInt(5);
                u.add(CrfOracleTest.random(r, lengths[b], k, 2));
                total += lengths[b];
            }
            double[] all = new double[total * k];
            int off = 0;
            for (int b = 0; b < n; b++) {
                System.arraycopy(u.get(b).data(), 0, all, off * k, lengths[b] * k);
                off += lengths[b];
            }
            return new Batch(u, lengths, new Matrix(total, k, all));
        }
    }

    private static boolean[][] forbiddenOf(LinearChainCrf crf) {
        int k = crf.numTags();
        boolean[][] f = new boolean[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                f[i][j] = crf.isForbidden(i, j);
            }
        }
        return f;
    }

    /** The enumeration's best path of one sentence, or null when every path is impossible. */
    private static int[] bruteBest(LinearChainCrf crf, Matrix u) {
        CrfBrute bf = new CrfBrute(CrfOracleTest.starts(crf), CrfOracleTest.transitions(crf), CrfOracleTest.ends(crf),
                CrfOracleTest.rows(u), forbiddenOf(crf), null);
        List<Integer> rank = bf.ranking();
        return rank.isEmpty() ? null : bf.paths.get(rank.get(0));
    }

    @Test
    void decodeIsTheEnumeratedArgmaxOfEverySentence() {
        SplittableRandom r = new SplittableRandom(31);
        int decoded = 0;
        int impossible = 0;
        for (ChainNumerics numerics : new ChainNumerics[] {ChainNumerics.LOG, ChainNumerics.SCALED}) {
            for (int rep = 0; rep < 150; rep++) {
                int k = 1 + r.nextInt(3);
                LinearChainCrf crf = new LinearChainCrf(k, new ChainEngine(numerics));
                crf.initialize(r, 1.5);
                for (int i = 0; i < k; i++) {
                    for (int j = 0; j < k; j++) {
                        if (r.nextDouble() < 0.2) {
                            crf.forbidTransition(i, j);
                        }
                    }
                }
                Batch batch = Batch.random(r, 1 + r.nextInt(6), k);
                List<int[]> expected = new ArrayList<>();
                boolean possible = true;
                for (Matrix u : batch.sentences()) {
                    int[] best = u.rows() == 0 ? new int[0] : bruteBest(crf, u);
                    possible &= best != null;
                    expected.add(best);
                }
                if (!possible) {
                    // the forbidden transitions leave some sentence no path at all: the chain program says so
                    assertThrows(ChainInputException.class, () -> crf.decode(batch.all(), batch.lengths()));
                    impossible++;
                    continue;
                }
                int[] got = crf.decode(batch.all(), batch.lengths());
                assertEquals(batch.all().rows(), got.length);
                int off = 0;
                for (int b = 0; b < expected.size(); b++) {
                    int[] e = expected.get(b);
                    assertArrayEquals(e, Arrays.copyOfRange(got, off, off + e.length), "rep " + rep + " sentence " + b + " k=" + k);
                    off += e.length;
                    decoded++;
                }
            }
        }
        assertTrue(decoded > 500, "decoded " + decoded);
        assertTrue(impossible > 0, "some random constraints should leave no path");
    }

    /**
     * Sentences whose unconstrained best path uses a transition the CRF then forbids: decode must switch to the
     * best path without it (the enumeration's argmax with the transition excluded), never to a forbidden one.
     */
    @Test
    void forbiddenTransitionsOverrideTheUnconstrainedArgmax() {
        SplittableRandom r = new SplittableRandom(77);
        int changed = 0;
        for (int rep = 0; rep < 200; rep++) {
            int k = 2 + r.nextInt(2);
            int t = 2 + r.nextInt(4);
            LinearChainCrf crf = new LinearChainCrf(k, new ChainEngine(ChainNumerics.LOG));
            crf.initialize(r, 1);
            Matrix u = CrfOracleTest.random(r, t, k, 2);
            int[] free = bruteBest(crf, u);
            int p = r.nextInt(t - 1);
            int from = free[p];
            int to = free[p + 1];
            assertArrayEquals(free, crf.decode(u, new int[] {t}), "unconstrained, rep " + rep);
            crf.forbidTransition(from, to);
            int[] constrained = bruteBest(crf, u);
            if (constrained == null) {
                continue; // e.g. k = 2 and a self-loop forbidden on a sentence that cannot avoid it: nothing to compare
            }
            // the same sentence inside a batch with an empty one before and a random one after
            Matrix other = CrfOracleTest.random(r, 3, k, 2);
            int[] otherBest = bruteBest(crf, other);
            if (otherBest == null) {
                continue;
            }
            double[] all = new double[(t + 3) * k];
            System.arraycopy(u.data(), 0, all, 0, t * k);
            System.arraycopy(other.data(), 0, all, t * k, 3 * k);
            int[] got = crf.decode(new Matrix(t + 3, k, all), new int[] {0, t, 3});
            assertArrayEquals(constrained, Arrays.copyOfRange(got, 0, t), "rep " + rep);
            assertArrayEquals(otherBest, Arrays.copyOfRange(got, t, t + 3), "rep " + rep);
            for (int i = 0; i + 1 < t; i++) {
                assertFalse(got[i] == from && got[i + 1] == to, "rep " + rep + ": forbidden " + from + "→" + to + " at " + i);
            }
            changed++;
        }
        assertTrue(changed > 100, "cases where the constraint changed the best path: " + changed);
    }

    @Test
    void lengthsThatDoNotFitTheScoresAreRefused() {
        LinearChainCrf crf = new LinearChainCrf(3, new ChainEngine(ChainNumerics.LOG));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> crf.decode(new Matrix(4, 3), new int[] {2, 3}));
        assertTrue(e.getMessage().contains("sentence lengths sum to 5 but there are 4 rows of scores"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> crf.decode(new Matrix(1, 3), new int[] {2, -1}));
        assertTrue(e.getMessage().contains("sentence 1 has negative length -1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> crf.decode(new Matrix(2, 4), new int[] {2}));
        assertTrue(e.getMessage().contains("4 columns, the CRF has 3 tags"), e.getMessage());
        Matrix bad = new Matrix(3, 3);
        bad.set(2, 0, Double.NaN);
        ChainInputException c = assertThrows(ChainInputException.class, () -> crf.decode(bad, new int[] {1, 2}));
        assertTrue(c.getMessage().contains("sentence 1 position 1: score of tag 0 is NaN"), c.getMessage());
        assertEquals(0, crf.decode(new Matrix(0, 3), new int[] {0, 0}).length);
        assertEquals(0, crf.decode(new Matrix(0, 3), new int[0]).length);
    }
}

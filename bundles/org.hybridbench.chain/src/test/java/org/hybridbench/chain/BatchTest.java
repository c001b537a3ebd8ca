package org.hybridbench.chain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.ChainBatch;
import org.hybridbench.api.model.ChainBatchMarginals;
import org.hybridbench.api.model.ChainMarginals;
import org.hybridbench.api.model.ChainNumerics;
import org.hybridbench.api.model.ChainPath;
import org.hybridbench.api.model.ChainPotentials;
import org.junit.jupiter.api.Test;

/** Ragged batches against one-by-one, threads against one thread (bit for bit), sparse kernels against dense. */
class BatchTest {

    /** 70 sequences (three lock-step groups) of lengths 0 … 40 sharing π and A, K = 5. */
    static ChainBatch raggedBatch(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int k = 5;
        ChainPotentials shared = BruteForce.random(r, k, 0, 1.0, 0);
        shared.logTransition().set(1, 2, Double.NEGATIVE_INFINITY);
        List<ChainPotentials> chains = new ArrayList<>();
        for (int b = 0; b < 70; b++) {
            int t = b % 9 == 0 ? 0 : r.nextInt(41);
            chains.add(new ChainPotentials(shared.logInitial(), shared.logTransition(), BruteForce.random(r, k, t, 1.0, 0).logUnary()));
        }
        return ChainBatch.of(chains);
    }

    @Test
    void batchedEqualsOneByOne() {
        ChainBatch batch = raggedBatch(3);
        for (ChainNumerics numerics : new ChainNumerics[] {ChainNumerics.SCALED, ChainNumerics.LOG}) {
            ChainEngine e = new ChainEngine(numerics);
            ChainBatchMarginals m = e.marginals(batch);
            double[] z = e.logPartition(batch);
            List<ChainPath> paths = e.viterbi(batch);
            double[] xi = new double[25];
            double[] init = new double[5];
            for (int b = 0; b < batch.size(); b++) {
                ChainPotentials c = batch.chain(b);
                ChainMarginals one = e.marginals(c);
                // Alone, a dense chain takes the hand-inlined kernels: equal to rounding.
                double tol = 1e-13 * Math.max(1, Math.abs(one.logPartition()));
                assertEquals(one.logPartition(), m.logPartition()[b], tol, numerics + " log Z of sequence " + b);
                assertEquals(one.logPartition(), z[b], tol, numerics + " log Z (forward only) of sequence " + b);
                double[] g = new double[c.length() * 5];
                System.arraycopy(m.posteriors().data(), batch.offset(b) * 5, g, 0, g.length);
                assertArrayEquals(one.posteriors().data(), g, 1e-13, numerics + " γ of sequence " + b);
                ChainPath v = e.viterbi(c);
                assertArrayEquals(v.states(), paths.get(b).states());
                assertEquals(v.logScore(), paths.get(b).logScore(), tol);
                for (int i = 0; i < 25; i++) {
                    xi[i] += one.expectedTransitions().data()[i];
                }
                if (c.length() > 0) {
                    double[] g0 = one.initialPosterior();
                    for (int i = 0; i < 5; i++) {
                        init[i] += g0[i];
                    }
                }
            }
            // Sums over sequences are added in another order: equal to rounding.
            assertArrayEquals(xi, m.expectedTransitions().data(), 1e-12 * 70 * 40, numerics + " Σ ξ");
            assertArrayEquals(init, m.expectedInitial(), 1e-12 * 70, numerics + " Σ γ_0");
            assertEquals(0.0, m.expectedTransitions().get(1, 2), 0.0, "impossible transition");
        }
    }

    /**
     * K = 10 (two 4-column blocks and a remainder) and 70 ragged sequences (row blocks and remainders): the lock-step
     * blocked kernels give the same log Z and γ as each sequence alone through the fused kernel, bit for bit (same
     * products in the same order), and ξ to rounding; sequences whose scaled messages vanish send the whole batch
     * to log space.
     */
    @Test
    void blockedLockStepEqualsFusedOneByOne() {
        SplittableRandom r = new SplittableRandom(17);
        int k = 10;
        ChainPotentials shared = BruteForce.random(r, k, 0, 1.0, 0);
        List<ChainPotentials> chains = new ArrayList<>();
        for (int b = 0; b < 70; b++) {
            int t = b % 11 == 0 ? 0 : 1 + r.nextInt(60);
            chains.add(new ChainPotentials(shared.logInitial(), shared.logTransition(), BruteForce.random(r, k, t, 2.0, 0).logUnary()));
        }
        ChainBatch batch = ChainBatch.of(chains);
        ChainEngine e = new ChainEngine(ChainNumerics.SCALED);
        ChainBatchMarginals m = e.marginals(batch);
        double[] z = e.logPartition(batch);
        double[] xi = new double[k * k];
        for (int b = 0; b < batch.size(); b++) {
            ChainPotentials c = batch.chain(b);
            ChainMarginals one = e.marginals(c);
            assertEquals(one.logPartition(), m.logPartition()[b], 0.0, "log Z of sequence " + b);
            assertEquals(one.logPartition(), z[b], 0.0, "log Z (forward only) of sequence " + b);
            double[] g = new double[c.length() * k];
            System.arraycopy(m.posteriors().data(), batch.offset(b) * k, g, 0, g.length);
            assertArrayEquals(one.posteriors().data(), g, 0.0, "γ of sequence " + b);
            for (int i = 0; i < k * k; i++) {
                xi[i] += one.expectedTransitions().data()[i];
            }
        }
        assertArrayEquals(xi, m.expectedTransitions().data(), 1e-12 * 70 * 60, "Σ ξ");
        ChainBatchMarginals log = new ChainEngine(ChainNumerics.LOG).marginals(batch);
        assertArrayEquals(log.logPartition(), m.logPartition(), 1e-10 * 300);
        assertArrayEquals(log.posteriors().data(), m.posteriors().data(), 1e-10);
        assertArrayEquals(log.expectedTransitions().data(), m.expectedTransitions().data(), 1e-9 * 70 * 60);
        ChainBatchMarginals three = e.withThreads(3).marginals(batch);
        assertArrayEquals(m.expectedTransitions().data(), three.expectedTransitions().data(), 0.0, "threads: same bits");
        assertArrayEquals(m.posteriors().data(), three.posteriors().data(), 0.0);

        // One sequence with CRF-sized unaries (thousands of nats within a position): still equal to log space.
        double[] u = batch.logUnary().data().clone();
        int o = batch.offset(1) * k;
        for (int i = o; i < o + batch.length(1) * k; i++) {
            u[i] *= 2000;
        }
        ChainBatch huge = new ChainBatch(batch.logInitial(), batch.logTransition(), new Matrix(u.length / k, k, u), lengths(batch));
        ChainBatchMarginals hs = e.marginals(huge);
        ChainBatchMarginals hl = new ChainEngine(ChainNumerics.LOG).marginals(huge);
        assertArrayEquals(hl.logPartition(), hs.logPartition(), 1e-12 * 2e5);
        assertArrayEquals(hl.logPartition(), e.logPartition(huge), 1e-12 * 2e5);
        assertArrayEquals(hl.posteriors().data(), hs.posteriors().data(), 1e-10);
    }

    private static int[] lengths(ChainBatch b) {
        int[] l = new int[b.size()];
        for (int i = 0; i < l.length; i++) {
            l[i] = b.length(i);
        }
        return l;
    }

    @Test
    void threadsGiveTheSameBitsAsOneThread() {
        ChainBatch batch = raggedBatch(5);
        for (ChainNumerics numerics : new ChainNumerics[] {ChainNumerics.SCALED, ChainNumerics.LOG}) {
            ChainEngine one = new ChainEngine(numerics, 1);
            ChainEngine three = new ChainEngine(numerics, 3);
            ChainBatchMarginals a = one.marginals(batch);
            ChainBatchMarginals b = three.marginals(batch);
            assertArrayEquals(a.logPartition(), b.logPartition(), 0.0);
            assertArrayEquals(a.posteriors().data(), b.posteriors().data(), 0.0);
            assertArrayEquals(a.expectedTransitions().data(), b.expectedTransitions().data(), 0.0);
            assertArrayEquals(a.expectedInitial(), b.expectedInitial(), 0.0);
            assertArrayEquals(one.logPartition(batch), three.logPartition(batch), 0.0);
            List<ChainPath> va = one.viterbi(batch);
            List<ChainPath> vb = three.viterbi(batch);
            for (int i = 0; i < va.size(); i++) {
                assertArrayEquals(va.get(i).states(), vb.get(i).states());
            }
        }
    }

    /** A 3-state-per-phone left-to-right model of 4 phones (K = 12, 19 allowed transitions of 144). */
    @Test
    void sparseLeftToRightEqualsDense() {
        int phones = 4;
        int k = 3 * phones;
        double[] a = new double[k * k];
        java.util.Arrays.fill(a, Double.NEGATIVE_INFINITY);
        for (int s = 0; s < k; s++) {
            a[s * k + s] = Math.log(0.6);
            if (s + 1 < k) {
                a[s * k + s + 1] = Math.log(0.4);
            }
            if (s % 3 == 2 && s + 4 < k) {
                a[s * k + s + 1] = Math.log(0.3);
                a[s * k + s + 4] = Math.log(0.1); // skip a phone
            }
        }
        double[] pi = new double[k];
        java.util.Arrays.fill(pi, Double.NEGATIVE_INFINITY);
        pi[0] = 0;
        SplittableRandom r = new SplittableRandom(9);
        double[] u = new double[200 * k];
        for (int i = 0; i < u.length; i++) {
            u[i] = -2 * r.nextDouble();
        }
        ChainPotentials c = new ChainPotentials(pi, new Matrix(k, k, a), new Matrix(200, k, u));
        ChainEngine auto = new ChainEngine(ChainNumerics.SCALED);
        org.junit.jupiter.api.Assertions.assertTrue(auto.prepare(ChainBatch.of(List.of(c)), true).fwd.sparse,
                "a left-to-right model takes the sparse kernels by itself");
        for (ChainNumerics numerics : new ChainNumerics[] {ChainNumerics.SCALED, ChainNumerics.LOG}) {
            ChainEngine sparse = new ChainEngine(numerics, 1, true);
            ChainEngine dense = new ChainEngine(numerics, 1, false);
            ChainMarginals ms = sparse.marginals(c);
            ChainMarginals md = dense.marginals(c);
            assertEquals(md.logPartition(), ms.logPartition(), 1e-12 * Math.abs(md.logPartition()));
            assertArrayEquals(md.posteriors().data(), ms.posteriors().data(), 1e-12);
            assertArrayEquals(md.expectedTransitions().data(), ms.expectedTransitions().data(), 1e-10);
            ChainPath vs = sparse.viterbi(c);
            ChainPath vd = dense.viterbi(c);
            assertArrayEquals(vd.states(), vs.states());
            assertEquals(vd.logScore(), vs.logScore(), 1e-12 * Math.abs(vd.logScore()));
            List<ChainPath> ns = sparse.nBest(c, 5);
            List<ChainPath> nd = dense.nBest(c, 5);
            for (int i = 0; i < 5; i++) {
                assertArrayEquals(nd.get(i).states(), ns.get(i).states());
            }
            // Paths end where a left-to-right model allows: never moving backwards.
            for (int t = 1; t < 200; t++) {
                org.junit.jupiter.api.Assertions.assertTrue(vs.states()[t] >= vs.states()[t - 1]);
            }
        }
    }
}

package org.hybridbench.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.ChainMarginals;
import org.hybridbench.api.model.ChainNumerics;
import org.hybridbench.api.model.ChainPotentials;
import org.junit.jupiter.api.Test;

/**
 * T = 10⁶: probabilities of the order e^(−10⁶) that would underflow without scaling. Scaled and log-space numerics
 * must agree to 1e-9 (relative for log Z and ξ, absolute for γ), and the verify mode must report it.
 */
class LongChainTest {

    @Test
    void millionStepsWithoutUnderflowScaledAndLogAgree() {
        int k = 3;
        int t = 1_000_000;
        SplittableRandom r = new SplittableRandom(42);
        double[] pi = {Math.log(0.5), Math.log(0.3), Math.log(0.2)};
        double[] a = {0.9, 0.08, 0.02, 0.05, 0.9, 0.05, 0.1, 0.1, 0.8};
        for (int i = 0; i < a.length; i++) {
            a[i] = Math.log(a[i]);
        }
        double[] u = new double[t * k];
        for (int i = 0; i < u.length; i++) {
            u[i] = -3 * r.nextDouble() - 1; // log b of the order −1 … −4: p(y) ~ e^(−2.5·10⁶)
        }
        ChainPotentials c = new ChainPotentials(pi, new Matrix(k, k, a), new Matrix(t, k, u));
        ChainMarginals s = new ChainEngine(ChainNumerics.SCALED).marginals(c);
        ChainMarginals l = new ChainEngine(ChainNumerics.LOG).marginals(c);
        assertTrue(Double.isFinite(s.logPartition()) && s.logPartition() < -1e6, "log Z " + s.logPartition());
        assertEquals(l.logPartition(), s.logPartition(), 1e-9 * Math.abs(l.logPartition()));
        double[] gs = s.posteriors().data();
        double[] gl = l.posteriors().data();
        double worst = 0;
        for (int i = 0; i < gs.length; i++) {
            worst = Math.max(worst, Math.abs(gs[i] - gl[i]));
        }
        assertTrue(worst < 1e-9, "largest γ difference " + worst);
        for (int i = 0; i < k * k; i++) {
            double x = l.expectedTransitions().data()[i];
            assertEquals(x, s.expectedTransitions().data()[i], 1e-9 * x, "ξ " + i);
        }
        double occupancy = 0;
        for (double x : s.expectedTransitions().data()) {
            occupancy += x;
        }
        assertEquals(t - 1, occupancy, 1e-6 * t, "Σ ξ = T − 1");
        ChainMarginals v = new ChainEngine(ChainNumerics.VERIFY).marginals(c);
        assertTrue(v.disagreement().isPresent() && v.disagreement().getAsDouble() < 1e-9,
                "verify reports " + v.disagreement());
        assertEquals(l.logPartition(), v.logPartition(), 0.0, "verify returns the log-space result");
    }
}

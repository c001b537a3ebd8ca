package org.hybridbench.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.ChainBatch;
import org.hybridbench.api.model.ChainInputException;
import org.hybridbench.api.model.ChainNumerics;
import org.hybridbench.api.model.ChainPotentials;
import org.junit.jupiter.api.Test;

/** NaN and +∞ are rejected, impossible chains are reported by sequence, position and value; never a silent NaN. */
class BadInputTest {
    private static ChainPotentials chain(int t) {
        return BruteForce.random(new SplittableRandom(t), 3, t, 1.0, 0);
    }

    @Test
    void nanAndPlusInfinityNameSequencePositionAndValue() {
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY}) {
            ChainPotentials a = chain(5);
            ChainPotentials b = chain(7);
            b.logUnary().set(4, 2, bad);
            ChainBatch batch = ChainBatch.of(List.of(a, new ChainPotentials(a.logInitial(), a.logTransition(), b.logUnary())));
            for (ChainNumerics n : ChainNumerics.values()) {
                ChainInputException e = assertThrows(ChainInputException.class, () -> new ChainEngine(n).marginals(batch));
                assertEquals(1, e.sequence());
                assertEquals(4, e.position());
                assertTrue(e.getMessage().contains("sequence 1, position 4, state 2") && e.getMessage().contains(String.valueOf(bad)),
                        e.getMessage());
            }
            ChainPotentials c = chain(4);
            c.logTransition().set(0, 1, bad);
            ChainInputException e = assertThrows(ChainInputException.class, () -> new ChainEngine(ChainNumerics.SCALED).viterbi(c));
            assertEquals(-1, e.position());
            assertTrue(e.getMessage().contains("from state 0 to state 1"), e.getMessage());
            ChainPotentials d = chain(4);
            d.logInitial()[2] = bad;
            assertThrows(ChainInputException.class, () -> new ChainEngine(ChainNumerics.LOG).logPartition(d));
        }
    }

    @Test
    void impossibleObservationIsReportedWithItsPosition() {
        ChainPotentials c = chain(10);
        for (int j = 0; j < 3; j++) {
            c.logUnary().set(6, j, Double.NEGATIVE_INFINITY); // zero probability under every state
        }
        for (ChainNumerics n : ChainNumerics.values()) {
            ChainEngine e = new ChainEngine(n);
            for (Runnable call : List.<Runnable>of(() -> e.logPartition(c), () -> e.marginals(c), () -> e.viterbi(c),
                    () -> e.nBest(c, 2), () -> e.sample(c, new SplittableRandom(1)))) {
                ChainInputException x = assertThrows(ChainInputException.class, call::run);
                assertEquals(0, x.sequence());
                assertEquals(6, x.position());
                assertTrue(x.getMessage().contains("[-Infinity, -Infinity, -Infinity]"), x.getMessage());
            }
        }
    }

    @Test
    void unreachableStatesMakeAnImpossibleChainToo() {
        // State 0 only, then a position where only state 2 is possible but 0 → 2 is forbidden.
        double[] pi = {0, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        double[] a = {0, 0, Double.NEGATIVE_INFINITY, 0, 0, 0, 0, 0, 0};
        double[] u = {0, 0, 0, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, -1};
        ChainPotentials c = new ChainPotentials(pi, new Matrix(3, 3, a), new Matrix(2, 3, u));
        ChainInputException x = assertThrows(ChainInputException.class, () -> new ChainEngine(ChainNumerics.SCALED).marginals(c));
        assertEquals(1, x.position());
    }

    /** Scores of CRF magnitude: the scaled path falls back to log space instead of returning NaN or ∞. */
    @Test
    void hugeScoresStayFinite() {
        ChainPotentials c = chain(50);
        double[] u = c.logUnary().data();
        for (int i = 0; i < u.length; i++) {
            u[i] *= 2000; // differences of thousands of nats within a position
        }
        c.logTransition().set(1, 1, 5000);
        double log = new ChainEngine(ChainNumerics.LOG).logPartition(c);
        double scaled = new ChainEngine(ChainNumerics.SCALED).logPartition(c);
        assertTrue(Double.isFinite(log));
        assertEquals(log, scaled, 1e-9 * Math.abs(log));
        var m = new ChainEngine(ChainNumerics.SCALED).marginals(c);
        for (double g : m.posteriors().data()) {
            assertTrue(g >= 0 && g <= 1 + 1e-12, "γ " + g);
        }
        for (double x : m.expectedTransitions().data()) {
            assertTrue(Double.isFinite(x), "ξ " + x);
        }
    }
}

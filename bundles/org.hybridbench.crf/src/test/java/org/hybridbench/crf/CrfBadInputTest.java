package org.hybridbench.crf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.ChainInputException;
import org.hybridbench.api.model.ChainNumerics;
import org.hybridbench.chain.ChainEngine;
import org.junit.jupiter.api.Test;

/** Bad input is refused with a message that names the sentence and the position; empty sentences cost 0. */
class CrfBadInputTest {
    final LinearChainCrf crf = new LinearChainCrf(3, new ChainEngine(ChainNumerics.LOG));

    static Matrix ones(int t) {
        Matrix m = new Matrix(t, 3);
        java.util.Arrays.fill(m.data(), 1);
        return m;
    }

    @Test
    void tagOutsideTheTagSet() {
        ChainInputException e = assertThrows(ChainInputException.class,
                () -> crf.lossAndGradient(List.of(ones(2), ones(3)), List.of(new int[] {0, 1}, new int[] {0, 3, 1}), null));
        assertEquals(1, e.sequence());
        assertEquals(1, e.position());
        assertTrue(e.getMessage().contains("sentence 1 position 1: tag 3 outside [0, 3)"), e.getMessage());
        e = assertThrows(ChainInputException.class, () -> crf.lossAndGradient(ones(2), new int[] {-1, 0}, new Matrix(2, 3)));
        assertTrue(e.getMessage().contains("sentence 0 position 0: tag -1"), e.getMessage());
    }

    @Test
    void lengthMismatchBetweenScoresAndTags() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> crf.lossAndGradient(List.of(ones(2), ones(3), ones(1)), List.of(new int[] {0, 1}, new int[] {0, 1, 1}, new int[] {0, 0}), null));
        assertTrue(e.getMessage().contains("sentence 2: 1 positions of scores but 2 tags"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> crf.lossAndGradient(ones(4), new int[] {0, 1}, new Matrix(4, 3)));
        assertTrue(e.getMessage().contains("4 positions of scores but 2 tags"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> crf.lossAndGradient(ones(4), new int[] {2, 3}, new int[] {0, 1, 2, 0}, null));
        assertTrue(e.getMessage().contains("sentence lengths sum to 5 but there are 4 rows of scores"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> crf.lossAndGradient(new Matrix(2, 4), new int[] {0, 1}, new Matrix(2, 4)));
        assertTrue(e.getMessage().contains("4 columns, the CRF has 3 tags"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> crf.lossAndGradient(ones(2), null, new Matrix(2, 3)));
        assertTrue(e.getMessage().contains("needs gold tags"), e.getMessage());
    }

    @Test
    void emptySentencesCostNothing() {
        crf.setTransition(0, 1, 2);
        crf.setEnd(2, 1);
        Matrix g = new Matrix(0, 3);
        assertEquals(0, crf.lossAndGradient(new Matrix(0, 3), new int[0], g));
        double[] l = crf.lossAndGradient(List.of(new Matrix(0, 3), ones(2), new Matrix(0, 3)),
                List.of(new int[0], new int[] {0, 1}, new int[0]), null);
        assertEquals(0, l[0]);
        assertEquals(0, l[2]);
        assertTrue(l[1] > 0);
        for (var p : crf.parameters()) {
            double s = 0;
            for (double v : p.gradient()) {
                s += v;
            }
            assertEquals(0, s, 1e-12, p.name() + ": gradients of a distribution minus a count sum to 0");
        }
    }

    @Test
    void nanAndInfiniteScoresNameSentenceAndPosition() {
        Matrix bad = ones(4);
        bad.set(2, 1, Double.NaN);
        ChainInputException e = assertThrows(ChainInputException.class,
                () -> crf.lossAndGradient(List.of(ones(3), bad), List.of(new int[] {0, 0, 0}, new int[] {0, 0, 0, 0}), null));
        assertEquals(1, e.sequence());
        assertEquals(2, e.position());
        assertTrue(e.getMessage().contains("sentence 1 position 2: score of tag 1 is NaN"), e.getMessage());
        bad.set(2, 1, Double.POSITIVE_INFINITY);
        e = assertThrows(ChainInputException.class, () -> crf.viterbi(bad));
        assertTrue(e.getMessage().contains("position 2: score of tag 1 is Infinity"), e.getMessage());
        e = assertThrows(ChainInputException.class, () -> crf.analyse(List.of(ones(1), ones(2), bad)));
        assertTrue(e.getMessage().contains("sentence 2 position 2"), e.getMessage());
        assertEquals(2, e.sequence());
        assertThrows(IllegalArgumentException.class, () -> crf.setTransition(0, 0, Double.NaN));
    }

    @Test
    void goldUsingAForbiddenTransition() {
        crf.forbidTransition(1, 2);
        ChainInputException e = assertThrows(ChainInputException.class, () -> crf.lossAndGradient(ones(3), new int[] {0, 1, 2}, new Matrix(3, 3)));
        assertTrue(e.getMessage().contains("sentence 0 position 2: gold transition 1→2 is forbidden"), e.getMessage());
        assertEquals(Double.NEGATIVE_INFINITY, crf.transition(1, 2));
    }

    @Test
    void constraintsThatLeaveNoPathOrNameUnknownTags() {
        Constraints none = Constraints.none().allowOnly(0, 0).allowOnly(1, 1).forbidTransition(0, 1);
        ChainInputException e = assertThrows(ChainInputException.class, () -> crf.viterbi(ones(2), none));
        assertTrue(e.getMessage().length() > 0);
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> crf.viterbi(ones(2), Constraints.none().allowOnly(5, 0)));
        assertTrue(e2.getMessage().contains("position 5 of a sentence of length 2"), e2.getMessage());
        e2 = assertThrows(IllegalArgumentException.class, () -> crf.viterbi(ones(2), Constraints.none().allowOnly(1, 7)));
        assertTrue(e2.getMessage().contains("allowed tag 7 at position 1 outside [0, 3)"), e2.getMessage());
        e2 = assertThrows(IllegalArgumentException.class, () -> crf.viterbi(ones(2), Constraints.none().forbidTransition(0, 3)));
        assertTrue(e2.getMessage().contains("0→3"), e2.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LinearChainCrf(0, new ChainEngine(ChainNumerics.LOG)));
    }
}

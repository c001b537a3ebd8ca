package org.hybridbench.api.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hybridbench.api.data.Matrix;
import org.junit.jupiter.api.Test;

/** The default ragged-batch method splits sequences, keeps targets aligned and puts gradients back in place. */
class StructuredLossTest {

    /** ½ Σ (s − onehot(target))², whose gradient is s − onehot(target): easy to check by hand. */
    static final StructuredLoss SQUARED = (scores, targets, gradient) -> {
        double loss = 0;
        for (int t = 0; t < scores.rows(); t++) {
            for (int k = 0; k < scores.cols(); k++) {
                double d = scores.get(t, k) - (targets[t] == k ? 1 : 0);
                gradient.set(t, k, d);
                loss += 0.5 * d * d;
            }
        }
        return loss;
    };

    @Test
    void batchedDefaultEqualsOneByOne() {
        // three sequences of lengths 2, 0, 1 over K = 2
        Matrix scores = new Matrix(3, 2, new double[] {0.5, 0.0, 1.0, 2.0, 0.0, 0.0});
        int[] targets = {0, 1, 1};
        Matrix gradient = new Matrix(3, 2);
        double[] losses = SQUARED.lossAndGradient(scores, new int[] {2, 0, 1}, targets, gradient);
        // sequence 0: (0.5−1)² + 0² + 1² + (2−1)² halves = 0.125 + 0.5 + 0.5; sequence 2: 0 + (0−1)² half = 0.5
        assertArrayEquals(new double[] {1.125, 0.0, 0.5}, losses, 1e-15);
        assertArrayEquals(new double[] {-0.5, 0.0, 1.0, 1.0, 0.0, -1.0}, gradient.data(), 1e-15);
        assertEquals(0, SQUARED.parameters().size());
    }

    @Test
    void lengthsThatDoNotFitTheScoresAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SQUARED.lossAndGradient(new Matrix(2, 2), new int[] {1, 2}, new int[] {0, 0, 0}, null));
        assertTrue(e.getMessage().contains("sequence 1"), e.getMessage());
    }
}

package org.example.binarize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.hybridbench.api.StageException;
import org.hybridbench.api.data.Dataset;
import org.hybridbench.api.data.Matrix;
import org.junit.jupiter.api.Test;

class BinarizeStageTest {

    @Test
    void valuesAboveTheThresholdBecomeOne() throws StageException {
        Dataset in = new Dataset("d", new Matrix(2, 3, new double[] {0.1, 0.5, 0.9, 0.6, 0.0, 1.0}), new int[] {0, 1},
                List.of("a", "b"), Map.of());
        Dataset out = BinarizeStage.binarize(in, 0.5);
        assertArrayEquals(new double[] {0, 0, 1, 1, 0, 1}, out.features().data());
        assertArrayEquals(new int[] {0, 1}, out.labels());
    }

    @Test
    void nonFiniteInputIsReportedByPosition() {
        Dataset in = new Dataset("d", new Matrix(1, 2, new double[] {0.1, Double.NaN}), null, List.of(), Map.of());
        StageException e = assertThrows(StageException.class, () -> BinarizeStage.binarize(in, 0.5));
        assertTrue(e.getMessage().contains("row 0, column 1 is NaN"), e.getMessage());
    }
}

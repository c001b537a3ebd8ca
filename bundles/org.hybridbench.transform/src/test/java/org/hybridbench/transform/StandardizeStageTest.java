package org.hybridbench.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.hybridbench.api.PortTypes;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.TrainingRegime;
import org.hybridbench.api.data.Dataset;
import org.hybridbench.api.data.Matrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.hybridbench.testing.FakeRunContext;
import org.hybridbench.testing.FakeStageIO;

class StandardizeStageTest {
    @TempDir
    Path tmp;

    @Test
    void columnsGetZeroMeanUnitVarianceAndConstantColumnsStayFinite() throws Exception {
        // column 0: 1, 2, 3, 4 (mean 2.5, population sd √1.25); column 1 constant; column 2 large offset
        double[] x = {1, 7, 1e9 + 1, 2, 7, 1e9 + 3, 3, 7, 1e9 + 5, 4, 7, 1e9 + 7};
        Dataset in = new Dataset("t", new Matrix(4, 3, x), null, List.of(), Map.of());
        FakeStageIO io = new FakeStageIO().with("dataset", in);
        FakeRunContext ctx = new FakeRunContext(tmp, new TrainingRegime(1, 0, 1, 0));
        new StandardizeStageProvider().create(new StageConfig("std", Map.of("stdFloor", 1e-8))).run(io, ctx);
        Matrix z = io.output("dataset", PortTypes.DATASET).features();
        double s = Math.sqrt(1.25);
        double[] expected0 = {-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s};
        for (int r = 0; r < 4; r++) {
            assertEquals(expected0[r], z.get(r, 0), 1e-12);
            assertEquals(0, z.get(r, 1), 0.0);
            assertEquals(expected0[r], z.get(r, 2), 1e-6);
        }
        assertEquals(List.of(1.0), ctx.series("flooredColumns"));
    }

    @Test
    void zeroFloorKeepsConstantColumnsAtZero() {
        double[] x = {3, 3, 3};
        int[] floored = new int[1];
        Matrix z = StandardizeStage.standardize(new Matrix(3, 1, x), 0, floored);
        assertEquals(null, z.firstNonFinite());
        assertEquals(1, floored[0]);
    }
}

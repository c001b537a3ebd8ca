package org.hybridbench.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.hybridbench.api.PortTypes;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageException;
import org.hybridbench.api.TrainingRegime;
import org.hybridbench.api.data.Dataset;
import org.hybridbench.api.data.Matrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.hybridbench.testing.FakeRunContext;
import org.hybridbench.testing.FakeStageIO;

class PcaStageTest {
    @TempDir
    Path tmp;

    /** An orthonormal basis of R³: a rotation by 30° about z followed by 45° about x. */
    static final double[][] AXES;
    static {
        double a = Math.toRadians(30);
        double b = Math.toRadians(45);
        double[][] rz = {{Math.cos(a), -Math.sin(a), 0}, {Math.sin(a), Math.cos(a), 0}, {0, 0, 1}};
        double[][] rx = {{1, 0, 0}, {0, Math.cos(b), -Math.sin(b)}, {0, Math.sin(b), Math.cos(b)}};
        double[][] r = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 3; k++) {
                    r[i][j] += rx[i][k] * rz[k][j];
                }
            }
        }
        AXES = new double[3][3];
        for (int j = 0; j < 3; j++) {
            for (int i = 0; i < 3; i++) {
                AXES[j][i] = r[i][j]; // axis j = column j of R
            }
        }
    }

    static final double[] SD = {3, 2, 1};
    static final double[] OFFSET = {5, -2, 10};

    /** n rows x = OFFSET + Σ_j SD_j z_j AXES_j with z ~ N(0, I): covariance R diag(9, 4, 1) Rᵀ. */
    static Dataset sample(int n, long seed) {
        Random rng = new Random(seed);
        double[] x = new double[n * 3];
        int[] labels = new int[n];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < 3; j++) {
                double z = SD[j] * rng.nextGaussian();
                for (int i = 0; i < 3; i++) {
                    x[r * 3 + i] += z * AXES[j][i];
                }
            }
            for (int i = 0; i < 3; i++) {
                x[r * 3 + i] += OFFSET[i];
            }
            labels[r] = r % 2;
        }
        return new Dataset("gauss", new Matrix(n, 3, x), labels, List.of("a", "b"), Map.of("source", "test"));
    }

    private FakeRunContext ctx() {
        return new FakeRunContext(tmp, new TrainingRegime(1, 0, 1, 0));
    }

    private Dataset run(Dataset in, int k, boolean whiten, FakeRunContext ctx) throws Exception {
        FakeStageIO io = new FakeStageIO().with("dataset", in);
        new PcaStageProvider().create(new StageConfig("pca", Map.of("components", (long) k, "whiten", whiten))).run(io, ctx);
        return io.output("dataset", PortTypes.DATASET);
    }

    @Test
    void recoversPrincipalAxesAndVariancesOfAKnownCovariance() {
        Dataset d = sample(40_000, 1);
        PcaStage.Fit fit = PcaStage.fit(d.features(), 3);
        for (int j = 0; j < 3; j++) {
            double dot = 0;
            for (int i = 0; i < 3; i++) {
                dot += fit.vectors()[j * 3 + i] * AXES[j][i];
            }
            assertTrue(Math.abs(dot) > 0.995, "axis " + j + ": |cos| = " + Math.abs(dot));
            double expected = SD[j] * SD[j];
            assertEquals(expected, fit.eigenvalues()[j], 0.03 * expected, "variance along axis " + j);
            assertEquals(OFFSET[j], fit.mean()[j], 0.05);
        }
    }

    @Test
    void projectionIsCentredDecorrelatedAndReportsExplainedVariance() throws Exception {
        Dataset in = sample(5_000, 2);
        FakeRunContext ctx = ctx();
        Dataset out = run(in, 2, false, ctx);
        assertEquals(2, out.features().cols());
        assertEquals(in.size(), out.size());
        assertTrue(out.labels() == in.labels(), "rows and labels are kept");
        double[] mean = Columns.mean(out.features());
        double[] cov = Columns.covariance(out.features(), mean);
        PcaStage.Fit fit = PcaStage.fit(in.features(), 3);
        assertEquals(0, mean[0], 1e-9);
        assertEquals(0, mean[1], 1e-9);
        assertEquals(0, cov[1], 1e-9 * cov[0], "components are uncorrelated");
        assertEquals(fit.eigenvalues()[0], cov[0], 1e-9 * cov[0], "component variance = eigenvalue");
        assertEquals(fit.eigenvalues()[1], cov[3], 1e-9 * cov[3]);

        List<Double> ratio = ctx.series("explainedVarianceRatio");
        double total = fit.eigenvalues()[0] + fit.eigenvalues()[1] + fit.eigenvalues()[2];
        assertEquals(2, ratio.size());
        assertEquals(fit.eigenvalues()[0] / total, ratio.get(0), 1e-12);
        // the construction has variances 9, 4, 1: the first two explain 13/14
        assertEquals(13.0 / 14, ctx.series("cumulativeExplainedVarianceRatio").get(1), 0.01);
        String json = Files.readString(ctx.runDir.resolve("stage-pca.json"));
        assertTrue(json.startsWith("{\"format\":\"hybridbench.pca\",\"version\":1"), json);
    }

    @Test
    void whiteningGivesUnitVariance() throws Exception {
        Dataset out = run(sample(5_000, 3), 3, true, ctx());
        double[] mean = Columns.mean(out.features());
        double[] cov = Columns.covariance(out.features(), mean);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(i == j ? 1 : 0, cov[i * 3 + j], 1e-9);
            }
        }
    }

    @Test
    void rankDeficientDataIsHandled() throws Exception {
        // the third column is the sum of the first two: one eigenvalue is 0
        Random rng = new Random(4);
        double[] x = new double[300 * 3];
        for (int r = 0; r < 300; r++) {
            x[r * 3] = rng.nextGaussian();
            x[r * 3 + 1] = rng.nextGaussian();
            x[r * 3 + 2] = x[r * 3] + x[r * 3 + 1];
        }
        Dataset in = new Dataset("rank2", new Matrix(300, 3, x), null, List.of(), Map.of());
        PcaStage.Fit fit = PcaStage.fit(in.features(), 3);
        assertEquals(0, fit.eigenvalues()[2], 1e-12 * fit.eigenvalues()[0]);
        Dataset out = run(in, 3, true, ctx());
        assertEquals(null, out.features().firstNonFinite());
    }

    @Test
    void badInputIsReportedByPosition() {
        Dataset in = sample(10, 5);
        assertThrows(StageException.class, () -> run(in, 4, false, ctx()));
        in.features().set(7, 1, Double.NaN);
        StageException e = assertThrows(StageException.class, () -> run(in, 2, false, ctx()));
        assertTrue(e.getMessage().contains("row 7, column 1"), e.getMessage());
    }
}

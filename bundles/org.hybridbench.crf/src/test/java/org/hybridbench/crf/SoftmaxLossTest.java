package org.hybridbench.crf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

import org.hybridbench.api.PortTypes;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageRole;
import org.hybridbench.api.TrainingRegime;
import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.ChainInputException;
import org.hybridbench.api.model.StructuredLoss;
import org.hybridbench.testing.FakeRunContext;
import org.hybridbench.testing.FakeStageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The word-level log-likelihood {@link SoftmaxLoss} and its stage type {@code loss.softmax}. */
class SoftmaxLossTest {
    @TempDir
    Path dir;

    /** −Σ_t log(exp u[t, y_t] / Σ_j exp u[t, j]), written the naive way (fine for scores of moderate size). */
    static double direct(Matrix u, int[] y) {
        double loss = 0;
        for (int t = 0; t < u.rows(); t++) {
            double z = 0;
            for (int j = 0; j < u.cols(); j++) {
                z += Math.exp(u.get(t, j));
            }
            loss -= Math.log(Math.exp(u.get(t, y[t])) / z);
        }
        return loss;
    }

    static int[] randomTags(SplittableRandom r, int t, int k) {
        int[] y = new int[t];
        for (int i = 0; i < t; i++) {
            y[i] = r.nextInt(k);
        }
        return y;
    }

    @Test
    void lossIsTheDirectComputation() {
        SplittableRandom r = new SplittableRandom(3);
        for (int rep = 0; rep < 200; rep++) {
            int k = 1 + r.nextInt(6);
            int t = r.nextInt(8);
            Matrix u = CrfOracleTest.random(r, t, k, 3);
            int[] y = randomTags(r, t, k);
            assertEquals(direct(u, y), new SoftmaxLoss(k).lossAndGradient(u, y, new Matrix(t, k)), 1e-10, "rep " + rep);
        }
        // one tag: probability 1, loss 0, gradient 0
        Matrix g = new Matrix(2, 1);
        assertEquals(0, new SoftmaxLoss(1).lossAndGradient(new Matrix(2, 1, new double[] {5, -3}), new int[] {0, 0}, g));
        assertArrayEquals(new double[] {0, 0}, g.data());
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(4);
        double h = 1e-5;
        for (int rep = 0; rep < 30; rep++) {
            int k = 2 + r.nextInt(5);
            int t = 1 + r.nextInt(5);
            Matrix u = CrfOracleTest.random(r, t, k, 2);
            int[] y = randomTags(r, t, k);
            Matrix g = new Matrix(t, k);
            new SoftmaxLoss(k).lossAndGradient(u, y, g);
            for (int i = 0; i < u.data().length; i++) {
                double x = u.data()[i];
                u.data()[i] = x + h;
                double fp = direct(u, y);
                u.data()[i] = x - h;
                double fm = direct(u, y);
                u.data()[i] = x;
                assertEquals((fp - fm) / (2 * h), g.data()[i], 1e-8, "rep " + rep + " entry " + i);
            }
        }
    }

    @Test
    void hugeScoresAreStable() {
        SoftmaxLoss loss = new SoftmaxLoss(3);
        Matrix u = new Matrix(2, 3, new double[] {1000, 0, -1000, 800, 800, -5000});
        Matrix g = new Matrix(2, 3);
        double[] l = loss.lossAndGradient(u, new int[] {1, 1}, new int[] {1, 0}, g);
        // position 0, tag 1: log(e^1000 + 1 + e^-1000) − 0 = 1000 + log1p(e^-1000 + e^-2000)
        assertEquals(1000, l[0], 1e-9);
        // position 1, tag 0 of (800, 800, −5000): p = 1/2
        assertEquals(Math.log(2), l[1], 1e-12);
        assertArrayEquals(new double[] {1, -1, 0, -0.5, 0.5, 0}, g.data(), 1e-12);
        // adding a constant to a row changes nothing
        SplittableRandom r = new SplittableRandom(5);
        Matrix v = CrfOracleTest.random(r, 4, 5, 3);
        int[] y = randomTags(r, 4, 5);
        Matrix shifted = new Matrix(4, 5, v.data().clone());
        for (int i = 0; i < shifted.data().length; i++) {
            shifted.data()[i] += 1e5;
        }
        Matrix g1 = new Matrix(4, 5);
        Matrix g2 = new Matrix(4, 5);
        assertEquals(loss5().lossAndGradient(v, y, g1), loss5().lossAndGradient(shifted, y, g2), 1e-8);
        assertArrayEquals(g1.data(), g2.data(), 1e-10);
    }

    private static SoftmaxLoss loss5() {
        return new SoftmaxLoss(5);
    }

    @Test
    void batchEqualsOneByOne() {
        SplittableRandom r = new SplittableRandom(6);
        int k = 4;
        SoftmaxLoss loss = new SoftmaxLoss(k);
        int n = 30;
        int[] lengths = new int[n];
        int total = 0;
        for (int b = 0; b < n; b++) {
            lengths[b] = b % 5 == 0 ? 0 : 1 + r.nextInt(7);
            total += lengths[b];
        }
        Matrix all = CrfOracleTest.random(r, total, k, 2);
        int[] tags = randomTags(r, total, k);
        Matrix gBatch = new Matrix(total, k);
        double[] batch = loss.lossAndGradient(all, lengths, tags, gBatch);
        assertArrayEquals(batch, loss.lossAndGradient(all, lengths, tags, null), 0, "the gradient is optional");
        int off = 0;
        for (int b = 0; b < n; b++) {
            int t = lengths[b];
            Matrix u = new Matrix(t, k, java.util.Arrays.copyOfRange(all.data(), off * k, (off + t) * k));
            int[] y = java.util.Arrays.copyOfRange(tags, off, off + t);
            Matrix g = new Matrix(t, k);
            assertEquals(loss.lossAndGradient(u, y, g), batch[b], 1e-12, "sequence " + b);
            assertArrayEquals(g.data(), java.util.Arrays.copyOfRange(gBatch.data(), off * k, (off + t) * k), 1e-12, "sequence " + b);
            if (t == 0) {
                assertEquals(0, batch[b]);
            }
            off += t;
        }
    }

    @Test
    void decodeIsTheArgmaxOfEveryRow() {
        SoftmaxLoss loss = new SoftmaxLoss(3);
        Matrix u = new Matrix(4, 3, new double[] {0.1, 0.5, 0.2, 3, -1, 2.9, -4, -2, -3, 0, 0, 7});
        assertArrayEquals(new int[] {1, 0, 1, 2}, loss.decode(u, new int[] {1, 0, 3}));
        assertTrue(loss.parameters().isEmpty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loss.decode(u, new int[] {1, 2}));
        assertTrue(e.getMessage().contains("sequence lengths sum to 3 but there are 4 rows of scores"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> loss.decode(new Matrix(2, 4), new int[] {2}));
        assertTrue(e.getMessage().contains("4 columns, the softmax loss has 3 tags"), e.getMessage());
    }

    @Test
    void badInputNamesSequenceAndPosition() {
        SoftmaxLoss loss = new SoftmaxLoss(3);
        Matrix u = new Matrix(5, 3);
        ChainInputException e = assertThrows(ChainInputException.class,
                () -> loss.lossAndGradient(u, new int[] {2, 3}, new int[] {0, 1, 2, 0, 3}, null));
        assertEquals(1, e.sequence());
        assertEquals(2, e.position());
        assertTrue(e.getMessage().contains("sequence 1 position 2: tag 3 outside [0, 3)"), e.getMessage());
        e = assertThrows(ChainInputException.class, () -> loss.lossAndGradient(u, new int[] {5}, new int[] {0, -1, 0, 0, 0}, null));
        assertTrue(e.getMessage().contains("sequence 0 position 1: tag -1 outside [0, 3)"), e.getMessage());
        Matrix bad = new Matrix(5, 3);
        bad.set(3, 2, Double.NaN);
        e = assertThrows(ChainInputException.class, () -> loss.lossAndGradient(bad, new int[] {1, 0, 4}, new int[5], new Matrix(5, 3)));
        assertEquals(2, e.sequence());
        assertEquals(2, e.position());
        assertTrue(e.getMessage().contains("sequence 2 position 2: score of tag 2 is NaN"), e.getMessage());
        IllegalArgumentException i = assertThrows(IllegalArgumentException.class, () -> loss.lossAndGradient(u, new int[] {2, 2}, new int[4], null));
        assertTrue(i.getMessage().contains("sequence lengths sum to 4 but there are 5 rows of scores"), i.getMessage());
        i = assertThrows(IllegalArgumentException.class, () -> loss.lossAndGradient(u, new int[] {5}, new int[4], null));
        assertTrue(i.getMessage().contains("5 positions of scores but 4 tags"), i.getMessage());
        i = assertThrows(IllegalArgumentException.class, () -> loss.lossAndGradient(u, new int[] {5}, null, null));
        assertTrue(i.getMessage().contains("needs reference tags"), i.getMessage());
        i = assertThrows(IllegalArgumentException.class, () -> loss.lossAndGradient(new Matrix(2, 4), new int[2], new Matrix(2, 4)));
        assertTrue(i.getMessage().contains("4 columns, the softmax loss has 3 tags"), i.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SoftmaxLoss(0));
    }

    @Test
    void stageOutputsTheLoss() throws Exception {
        SoftmaxLossStageProvider p = new SoftmaxLossStageProvider();
        assertEquals("loss.softmax", p.descriptor().type());
        assertEquals(StageRole.LOSS, p.descriptor().role());
        assertEquals(PortTypes.STRUCTURED_LOSS, p.descriptor().output("loss").orElseThrow().type());
        assertEquals(null, p.descriptor().config().get(0).defaultValue(), "tags is required");
        FakeStageIO io = new FakeStageIO();
        FakeRunContext ctx = new FakeRunContext(dir, new TrainingRegime(1, 0, 1, 0));
        p.create(new StageConfig("wll", Map.of("tags", 7L))).run(io, ctx);
        StructuredLoss loss = io.output("loss", PortTypes.STRUCTURED_LOSS);
        assertEquals(7, assertInstanceOf(SoftmaxLoss.class, loss).numTags());
        assertTrue(loss.parameters().isEmpty());
        assertTrue(ctx.logs.get(0).contains("7 tags"), ctx.logs.toString());
    }
}

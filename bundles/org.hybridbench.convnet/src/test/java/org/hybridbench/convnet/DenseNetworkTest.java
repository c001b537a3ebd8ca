package org.hybridbench.convnet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.hybridbench.acoustic.MlpStageProvider;
import org.hybridbench.api.StageException;
import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.DifferentiableNetwork;
import org.hybridbench.api.model.ParameterBlock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code encoder.dense}: the same network as {@code encoder.mlp} (DL4J) when given the same weight blocks, in both
 * directions; {@code backwardParameters} adds exactly what {@code backward} adds; configuration errors named.
 */
class DenseNetworkTest {
    @TempDir
    Path dir;

    private static Matrix random(int rows, int cols, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = 2 * rng.nextDouble() - 1;
        }
        return new Matrix(rows, cols, v);
    }

    private DifferentiableNetwork dense(long seed, String hidden, int outputs) throws Exception {
        return NetworkBehaviourTest.network(new DenseStageProvider(), dir, seed,
                Map.of("hidden", hidden, "activation", "tanh", "outputs", (long) outputs, "precision", "double"));
    }

    private DifferentiableNetwork mlp(long seed, String hidden, int outputs) throws Exception {
        return NetworkBehaviourTest.network(new MlpStageProvider(), dir, seed,
                Map.of("hidden", hidden, "activation", "tanh", "outputs", (long) outputs, "precision", "double"));
    }

    private static void copy(DifferentiableNetwork from, DifferentiableNetwork to) {
        List<ParameterBlock> a = from.parameters();
        List<ParameterBlock> b = to.parameters();
        assertEquals(a.size(), b.size(), "blocks");
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).name(), b.get(i).name(), "block " + i);
            assertEquals(a.get(i).size(), b.get(i).size(), a.get(i).name());
            System.arraycopy(a.get(i).values(), 0, b.get(i).values(), 0, a.get(i).size());
        }
    }

    private static double[][] gradients(DifferentiableNetwork net) {
        return net.parameters().stream().map(p -> p.gradient().clone()).toArray(double[][]::new);
    }

    @Test
    void readsAndWritesTheWeightsOfEncoderMlp() throws Exception {
        Matrix x = random(5, 7, 1);
        Matrix g = random(5, 3, 2);
        for (boolean mlpFirst : new boolean[] {true, false}) {
            DifferentiableNetwork mlp = mlp(21, "6,4", 3);
            DifferentiableNetwork dense = dense(22, "6,4", 3);
            mlp.forward(x, false); // both build on their first forward pass
            dense.forward(x, false);
            if (mlpFirst) {
                copy(mlp, dense);
            } else {
                copy(dense, mlp);
            }
            Matrix yMlp = mlp.forward(x, true);
            Matrix yDense = dense.forward(x, true);
            assertArrayEquals(yMlp.data(), yDense.data(), 1e-12, "outputs, weights from " + (mlpFirst ? "encoder.mlp" : "encoder.dense"));
            assertTrue(Math.abs(yMlp.data()[0]) > 1e-3, "a non-trivial output");
            Matrix dxMlp = mlp.backward(g);
            Matrix dxDense = dense.backward(g);
            assertArrayEquals(dxMlp.data(), dxDense.data(), 1e-12, "d loss / d input");
            double[][] gm = gradients(mlp);
            double[][] gd = gradients(dense);
            for (int i = 0; i < gm.length; i++) {
                assertArrayEquals(gm[i], gd[i], 1e-12, "gradient of " + mlp.parameters().get(i).name());
            }
        }
    }

    /**
     * Two networks built alike: a training pass on {@code x}, {@code backward(g)} on one and {@code backwardParameters(g)}
     * on the other must add the same (bitwise) parameter gradients; returns them.
     */
    private static double[][] sameGradients(DifferentiableNetwork a, DifferentiableNetwork b, Matrix x, Matrix g) {
        a.forward(x, true);
        b.forward(x, true);
        a.backward(g);
        b.backwardParameters(g);
        double[][] ga = gradients(a);
        double[][] gb = gradients(b);
        for (int i = 0; i < ga.length; i++) {
            assertArrayEquals(ga[i], gb[i], 0, a.parameters().get(i).name());
        }
        return ga;
    }

    @Test
    void backwardParametersAddsWhatBackwardAdds() throws Exception {
        Matrix x = random(4, 9, 3);
        Matrix g = random(4, 5, 4);
        DifferentiableNetwork b = dense(7, "8,6", 5);
        double[][] once = sameGradients(dense(7, "8,6", 5), b, x, g);
        b.forward(x, true);
        b.backwardParameters(g); // accumulates, as backward does
        for (int i = 0; i < once.length; i++) {
            for (int j = 0; j < once[i].length; j++) {
                assertEquals(2 * once[i][j], b.parameters().get(i).gradient()[j], 1e-15);
            }
        }
        // the conv encoder's first layer is a convolution: its input-gradient GEMM is skipped the same way
        ConvEncoderNetwork.Architecture conv = new ConvEncoderNetwork.Architecture(8, 8, 1, new int[] {2}, 4, 2, 1, "relu", 0, 3, true);
        sameGradients(new ConvEncoderNetwork(conv, 5), new ConvEncoderNetwork(conv, 5), random(2, 64, 6), random(2, 3, 7));
    }

    /**
     * A float network keeps float parameter blocks (what its GEMMs read, no per-pass conversion) and computes what the
     * double network with the same (float-rounded) weights computes, to float accuracy: outputs, input and parameter
     * gradients, and after an Adam step on each, its outputs again (the step's new floats are what the next forward
     * pass reads).
     */
    @Test
    void aFloatNetworkFollowsTheDoubleNetwork() {
        DenseNetwork.Architecture f = new DenseNetwork.Architecture(new int[] {8, 6}, "tanh", 5, false);
        DenseNetwork.Architecture d = new DenseNetwork.Architecture(new int[] {8, 6}, "tanh", 5, true);
        ConvEncoderNetwork.Architecture cf = new ConvEncoderNetwork.Architecture(8, 8, 1, new int[] {2}, 4, 2, 1, "relu", 0, 3, false);
        ConvEncoderNetwork.Architecture cd = new ConvEncoderNetwork.Architecture(8, 8, 1, new int[] {2}, 4, 2, 1, "relu", 0, 3, true);
        followsInFloat(new DenseNetwork(f, 9), new DenseNetwork(d, 9), random(4, 9, 3), random(4, 5, 4));
        followsInFloat(new ConvEncoderNetwork(cf, 9), new ConvEncoderNetwork(cd, 9), random(3, 64, 5), random(3, 3, 6));
    }

    private static void followsInFloat(DifferentiableNetwork single, DifferentiableNetwork dbl, Matrix x, Matrix g) {
        single.forward(x, false);
        dbl.forward(x, false);
        List<ParameterBlock> fb = single.parameters();
        List<ParameterBlock> db = dbl.parameters();
        for (int i = 0; i < fb.size(); i++) {
            assertTrue(fb.get(i).isSinglePrecision() && !db.get(i).isSinglePrecision(), fb.get(i).name());
            double[] w = db.get(i).values();
            float[] v = fb.get(i).floatValues();
            for (int j = 0; j < w.length; j++) {
                assertEquals((float) w[j], v[j], 0, "the same initial draws, rounded: " + fb.get(i).name() + "[" + j + "]");
            }
            db.get(i).setValues(fb.get(i).copyValues(), 0); // from here both hold the same numbers
        }
        double[] before = null;
        for (int step = 0; step < 2; step++) {
            Matrix yf = single.forward(x, true);
            Matrix yd = dbl.forward(x, true);
            assertArrayEquals(yd.data(), yf.data(), 1e-5, "outputs after " + step + " Adam steps");
            if (before == null) {
                before = yf.data().clone();
            } else {
                double moved = 0;
                for (int i = 0; i < before.length; i++) {
                    moved = Math.max(moved, Math.abs(before[i] - yf.data()[i]));
                }
                assertTrue(moved > 1e-3, "the step changed the float network's outputs (by " + moved + ")");
            }
            fb.forEach(ParameterBlock::zeroGradient);
            db.forEach(ParameterBlock::zeroGradient);
            assertArrayEquals(dbl.backward(g).data(), single.backward(g).data(), 1e-5, "d loss / d input");
            for (int i = 0; i < fb.size(); i++) {
                assertArrayEquals(db.get(i).gradient(), fb.get(i).copyGradient(), 1e-5, "gradient of " + fb.get(i).name());
            }
            org.hybridbench.optim.Adam.standard(0.05).step(fb);
            org.hybridbench.optim.Adam.standard(0.05).step(db);
        }
    }

    @Test
    void badConfigurationIsNamed() {
        StageException zero = assertThrows(StageException.class, () -> new DenseStageProvider()
                .create(NetworkBehaviourTest.config(new DenseStageProvider(), Map.of("hidden", "400,0"))));
        assertTrue(zero.getMessage().contains("encoder.dense") && zero.getMessage().contains("hidden entry 1"), zero.getMessage());
        StageException word = assertThrows(StageException.class, () -> new DenseStageProvider()
                .create(NetworkBehaviourTest.config(new DenseStageProvider(), Map.of("hidden", "four"))));
        assertTrue(word.getMessage().contains("'four' is not an integer"), word.getMessage());
        IllegalStateException early = assertThrows(IllegalStateException.class,
                () -> new DenseNetwork(new DenseNetwork.Architecture(new int[] {3}, "relu", 2, false), 1).parameters());
        assertTrue(early.getMessage().contains("not built yet"), early.getMessage());
    }
}

package org.hybridbench.acoustic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.LabelledSequences;
import org.hybridbench.api.model.ParameterBlock;
import org.hybridbench.crf.SoftmaxLoss;
import org.junit.jupiter.api.Test;

/**
 * The frame classifier's whole objective (mean framewise cross-entropy of a mini-batch of spliced frames) against
 * central finite differences through the real DL4J network in double precision: every weight and bias, and the
 * gradient with respect to the input rows that {@link MlpNetwork#backward} returns.
 */
class MlpGradientTest {

    private static double objective(MlpNetwork net, SoftmaxLoss loss, Matrix x, int[] y) {
        return FrameClassifierStage.lossAndGradient(net, loss, net.parameters(), x, y, 1.0 / y.length, false).loss() / y.length;
    }

    private static void check(String activation) {
        LabelledSequences data = Synthetic.data("g", 4, 4, 3, 1.0, 5);
        SplicedFrames frames = new SplicedFrames(data.observations(), Standardization.fit(data.observations()), 1);
        int[] index = {0, 3, 7, 11, 12, 20, frames.frameCount() - 1};
        Matrix x = frames.rows(index, 0, index.length);
        int[] y = new int[index.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = data.states()[index[i]];
        }
        MlpNetwork net = new MlpNetwork(new MlpNetwork.Architecture(new int[] {6, 5}, activation, 0, 0, true), 3);
        net.build(frames.width, 4);
        SoftmaxLoss loss = new SoftmaxLoss(4);
        List<ParameterBlock> blocks = net.parameters();
        FrameClassifierStage.lossAndGradient(net, loss, blocks, x, y, 1.0 / y.length, true);
        List<double[]> analytic = new ArrayList<>();
        for (ParameterBlock b : blocks) {
            analytic.add(b.gradient().clone());
        }
        double h = 1e-5;
        double worst = 0;
        int checked = 0;
        int nonzero = 0;
        for (int bi = 0; bi < blocks.size(); bi++) {
            double[] v = blocks.get(bi).values();
            for (int i = 0; i < v.length; i++) {
                double saved = v[i];
                v[i] = saved + h;
                double up = objective(net, loss, x, y);
                v[i] = saved - h;
                double down = objective(net, loss, x, y);
                v[i] = saved;
                double numeric = (up - down) / (2 * h);
                double a = analytic.get(bi)[i];
                double err = Math.abs(numeric - a) / Math.max(1e-4, Math.abs(numeric) + Math.abs(a));
                worst = Math.max(worst, err);
                nonzero += Math.abs(a) > 1e-8 ? 1 : 0;
                assertTrue(err < 1e-6, activation + " " + blocks.get(bi).name() + "[" + i + "]: analytic " + a + ", finite differences "
                        + numeric);
                checked++;
            }
        }
        assertEquals(net.parameterCount(), checked, "every parameter checked");
        assertTrue(nonzero > checked * 0.9, nonzero + " of " + checked + " gradient entries are non-zero");

        // d objective / d input rows, as backward returns it
        Matrix g = new Matrix(y.length, 4);
        net.forward(x, true);
        Matrix scores = net.forward(x, true);
        loss.lossAndGradient(scores, ones(y.length), y, g);
        for (int i = 0; i < g.data().length; i++) {
            g.data()[i] /= y.length;
        }
        Matrix dx = net.backward(g);
        double worstInput = 0;
        for (int i = 0; i < x.data().length; i++) {
            double saved = x.data()[i];
            x.data()[i] = saved + h;
            double up = objective(net, loss, x, y);
            x.data()[i] = saved - h;
            double down = objective(net, loss, x, y);
            x.data()[i] = saved;
            double numeric = (up - down) / (2 * h);
            double err = Math.abs(numeric - dx.data()[i]) / Math.max(1e-4, Math.abs(numeric) + Math.abs(dx.data()[i]));
            worstInput = Math.max(worstInput, err);
            assertTrue(err < 1e-6, activation + " input " + i + ": analytic " + dx.data()[i] + ", finite differences " + numeric);
        }
        System.out.printf("MLP (%s) + softmax gradient: %d parameters in %d blocks, worst relative error %.1e; %d inputs, worst %.1e%n",
                activation, checked, blocks.size(), worst, x.data().length, worstInput);
    }

    private static int[] ones(int n) {
        int[] a = new int[n];
        java.util.Arrays.fill(a, 1);
        return a;
    }

    @Test
    void sigmoidNetworkGradientMatchesFiniteDifferences() {
        check("sigmoid");
    }

    @Test
    void tanhNetworkGradientMatchesFiniteDifferences() {
        check("tanh");
    }

    /** backward adds to the blocks' gradients (SDK contract): two passes without zeroing give twice one pass. */
    @Test
    void backwardAccumulates() {
        MlpNetwork net = new MlpNetwork(new MlpNetwork.Architecture(new int[] {4}, "sigmoid", 3, 0, true), 1);
        Matrix x = new Matrix(2, 5, new double[] {0.1, -0.2, 0.3, 0.4, -0.5, 1, 0, -1, 0.5, 0.25});
        Matrix g = new Matrix(2, 3, new double[] {0.1, -0.3, 0.2, -0.1, 0.4, -0.3});
        net.forward(x, true); // built by its first forward with outputs = 3
        net.backward(g);
        List<double[]> once = new ArrayList<>();
        for (ParameterBlock b : net.parameters()) {
            once.add(b.gradient().clone());
        }
        net.forward(x, true);
        net.backward(g);
        for (int bi = 0; bi < once.size(); bi++) {
            double[] twice = net.parameters().get(bi).gradient();
            for (int i = 0; i < twice.length; i++) {
                assertEquals(2 * once.get(bi)[i], twice[i], 1e-12);
            }
        }
    }

    /** A changed block value is seen by the next forward pass without any other call. */
    @Test
    void forwardSeesChangedBlocks() {
        MlpNetwork net = new MlpNetwork(new MlpNetwork.Architecture(new int[0], "relu", 2, 0, true), 1);
        Matrix x = new Matrix(1, 2, new double[] {1, 2});
        net.forward(x, false);
        // a linear model: scores = x W + b; set W and b by hand through the blocks
        for (ParameterBlock b : net.parameters()) {
            double[] v = b.values();
            for (int i = 0; i < v.length; i++) {
                v[i] = b.name().endsWith("_W") ? i + 1 : 10;
            }
        }
        Matrix y = net.forward(x, false);
        // W is stored column-major [nIn=2, nOut=2]: W = [[1, 3], [2, 4]] -> x W = [1*1 + 2*2, 1*3 + 2*4] = [5, 11]
        assertEquals(15, y.get(0, 0), 1e-12);
        assertEquals(21, y.get(0, 1), 1e-12);
    }

    @Test
    void sizesAreChecked() {
        MlpNetwork unsized = new MlpNetwork(new MlpNetwork.Architecture(new int[] {3}, "tanh", 0, 0, false), 1);
        IllegalStateException e = assertThrows(IllegalStateException.class, unsized::parameters);
        assertTrue(e.getMessage().contains("not built yet"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> unsized.forward(new Matrix(1, 4), false));
        assertTrue(e.getMessage().contains("outputs = 0"), e.getMessage());
        MlpNetwork net = new MlpNetwork(new MlpNetwork.Architecture(new int[] {3}, "tanh", 5, 0, false), 1);
        IllegalArgumentException a = assertThrows(IllegalArgumentException.class, () -> net.build(4, 41));
        assertTrue(a.getMessage().contains("configured with outputs = 5 but the trainer needs 41"), a.getMessage());
        net.build(4, 5);
        a = assertThrows(IllegalArgumentException.class, () -> net.forward(new Matrix(2, 7), false));
        assertTrue(a.getMessage().contains("takes rows of 4 values, got 7"), a.getMessage());
        a = assertThrows(IllegalArgumentException.class, () -> new MlpNetwork.Architecture(new int[] {3}, "softsign", 0, 0, false));
        assertTrue(a.getMessage().contains("unknown activation 'softsign'"), a.getMessage());
    }
}

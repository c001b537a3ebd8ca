package org.hybridbench.convnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.ParameterBlock;
import org.junit.jupiter.api.Test;

/**
 * {@code backward} of both networks against central finite differences through the real layers (im2col + GEMM) in
 * double precision. The loss is a fixed random linear function of the outputs, L = Σ g ⊙ output, so d L / d output = g is
 * what backward gets; every parameter and every input value is probed.
 */
class GradientTest {
    private static final double H = 1e-6;
    private static final double TOLERANCE = 1e-6;

    private static Matrix random(int rows, int cols, SplittableRandom rng, double scale) {
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = scale * (2 * rng.nextDouble() - 1);
        }
        return new Matrix(rows, cols, v);
    }

    private static double loss(ExternalErrorNetwork net, Matrix x, Matrix g) {
        double[] y = net.forward(x, false).data();
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            s += y[i] * g.data()[i];
        }
        return s;
    }

    private static double relativeError(double analytic, double numeric) {
        return Math.abs(analytic - numeric) / Math.max(1e-6, Math.abs(analytic) + Math.abs(numeric));
    }

    /** Checks every parameter and input of {@code net} on rows {@code x}; returns {worst parameter, worst input} error. */
    private static double[] check(String what, ExternalErrorNetwork net, Matrix x, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int outputs = net.forward(x, false).cols();
        // Biases start at zero, so with relu a pixel whose whole receptive field is zero would sit exactly on the kink,
        // where central differences see a slope of 1/2; small random biases move every unit off it (and check them).
        for (ParameterBlock b : net.parameters()) {
            if (b.name().endsWith("_b")) {
                for (int i = 0; i < b.size(); i++) {
                    b.values()[i] = 0.1 * (2 * rng.nextDouble() - 1);
                }
            }
        }
        Matrix g = random(x.rows(), outputs, rng, 1);
        net.forward(x, true);
        Matrix dx = net.backward(g);
        List<ParameterBlock> blocks = net.parameters();
        List<double[]> analytic = new ArrayList<>();
        for (ParameterBlock b : blocks) {
            analytic.add(b.gradient().clone());
        }
        double worst = 0;
        long checked = 0;
        int nonzero = 0;
        for (int bi = 0; bi < blocks.size(); bi++) {
            double[] v = blocks.get(bi).values();
            for (int i = 0; i < v.length; i++) {
                double saved = v[i];
                v[i] = saved + H;
                double up = loss(net, x, g);
                v[i] = saved - H;
                double down = loss(net, x, g);
                v[i] = saved;
                double numeric = (up - down) / (2 * H);
                double a = analytic.get(bi)[i];
                double err = relativeError(a, numeric);
                worst = Math.max(worst, err);
                nonzero += Math.abs(a) > 1e-8 ? 1 : 0;
                assertTrue(err < TOLERANCE, what + " " + blocks.get(bi).name() + "[" + i + "]: analytic " + a + ", finite differences " + numeric);
                checked++;
            }
        }
        assertEquals(net.parameterCount(), checked, "every parameter checked");
        assertTrue(nonzero > checked * 0.5, what + ": only " + nonzero + " of " + checked + " gradient entries are non-zero");
        double worstInput = 0;
        double[] xv = x.data();
        for (int i = 0; i < xv.length; i++) {
            double saved = xv[i];
            xv[i] = saved + H;
            double up = loss(net, x, g);
            xv[i] = saved - H;
            double down = loss(net, x, g);
            xv[i] = saved;
            double numeric = (up - down) / (2 * H);
            double err = relativeError(dx.data()[i], numeric);
            worstInput = Math.max(worstInput, err);
            assertTrue(err < TOLERANCE, what + " input " + i + ": analytic " + dx.data()[i] + ", finite differences " + numeric);
        }
        System.out.printf("%s: %d parameters in %d blocks, worst relative error %.1e; %d inputs, worst %.1e%n", what, checked, blocks.size(),
                worst, xv.length, worstInput);
        return new double[] {worst, worstInput};
    }

    private static ConvEncoderNetwork encoder(String activation, int kernel, int hidden) {
        return new ConvEncoderNetwork(new ConvEncoderNetwork.Architecture(8, 8, 1, new int[] {2, 3}, kernel, 2, 1, activation, hidden, 6, true), 11);
    }

    private static DeconvDecoderNetwork decoder(String activation, int channels, int hidden) {
        return new DeconvDecoderNetwork(new DeconvDecoderNetwork.Architecture(8, 8, channels, new int[] {3, 2}, 4, 2, 1, activation, hidden, true), 12);
    }

    @Test
    void denseTanhTwoHiddenLayers() {
        // 6 -> 5 -> 4 -> 3, weights stored column-major (DL4J's order): the transposed GEMMs
        DenseNetwork net = new DenseNetwork(new DenseNetwork.Architecture(new int[] {5, 4}, "tanh", 3, true), 14);
        check("dense tanh 6-5-4-3", net, random(3, 6, new SplittableRandom(11), 1), 12);
    }

    @Test
    void denseSigmoidLinearMap() {
        DenseNetwork sigmoid = new DenseNetwork(new DenseNetwork.Architecture(new int[] {7}, "sigmoid", 2, true), 15);
        check("dense sigmoid 4-7-2", sigmoid, random(2, 4, new SplittableRandom(13), 1), 14);
        DenseNetwork linear = new DenseNetwork(new DenseNetwork.Architecture(new int[0], "relu", 3, true), 16);
        check("dense linear 5-3", linear, random(4, 5, new SplittableRandom(15), 1), 16);
    }

    @Test
    void encoderTanhKernel3WithHiddenLayer() {
        // 8 -> 4 -> 2 with kernel 3 (truncating: (8 + 2 - 3)/2 + 1 = 4), 3·2·2 = 12 -> 5 -> 6
        check("encoder tanh k3 hidden 5", encoder("tanh", 3, 5), random(3, 64, new SplittableRandom(1), 1), 2);
    }

    @Test
    void encoderReluKernel4() {
        check("encoder relu k4", encoder("relu", 4, 0), random(3, 64, new SplittableRandom(3), 1), 4);
    }

    @Test
    void encoderTwoChannels() {
        ConvEncoderNetwork net = new ConvEncoderNetwork(new ConvEncoderNetwork.Architecture(6, 8, 2, new int[] {2}, 3, 2, 1, "tanh", 0, 4, true), 13);
        check("encoder 6x8x2 tanh", net, random(2, 96, new SplittableRandom(5), 1), 6);
    }

    @Test
    void decoderTanhWithHiddenLayer() {
        // latent 3 -> 5 -> 3·2·2 = 12 -> 2 x 4 x 4 -> 1 x 8 x 8
        check("decoder tanh hidden 5", decoder("tanh", 1, 5), random(3, 3, new SplittableRandom(7), 1), 8);
    }

    @Test
    void decoderReluTwoChannels() {
        check("decoder relu 2 channels", decoder("relu", 2, 0), random(3, 3, new SplittableRandom(9), 1), 10);
    }
}

package org.hybridbench.dl4j.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.DoubleBuffer;
import java.util.List;
import java.util.Random;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.ParameterBlock;
import org.hybridbench.dl4j.Dl4jReadiness;
import org.hybridbench.dl4j.NdConversions;
import org.hybridbench.dl4j.NetworkParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;

/**
 * DL4J trained from a bundle other than org.hybridbench.dl4j, with the loss and its gradient computed outside the
 * network ("scores in, gradients out", ARCHITECTURE §3/§5): setInput, feedForward(true, false),
 * backpropGradient(epsilon), updater step.
 */
@ExtendWith(ServiceExtension.class)
class Dl4jInFelixIT {

    @InjectService(timeout = 60_000)
    Dl4jReadiness readiness;

    /** A 2-16-1 tanh regression network. */
    private static MultiLayerNetwork network(long seed, org.nd4j.linalg.learning.config.IUpdater updater) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(seed)
                .updater(updater).list()
                .layer(new DenseLayer.Builder().nIn(2).nOut(16).activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().nIn(16).nOut(1).activation(Activation.IDENTITY).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** 64 points of y = sin(2 x1) + x2² / 2 on [-1, 1]². */
    private static Matrix[] data() {
        Random rnd = new Random(42);
        int n = 64;
        Matrix x = new Matrix(n, 2);
        Matrix t = new Matrix(n, 1);
        for (int i = 0; i < n; i++) {
            double a = 2 * rnd.nextDouble() - 1;
            double b = 2 * rnd.nextDouble() - 1;
            x.set(i, 0, a);
            x.set(i, 1, b);
            t.set(i, 0, Math.sin(2 * a) + 0.5 * b * b);
        }
        return new Matrix[] {x, t};
    }

    /** The external loss: mean squared error / 2; fills {@code eps} with d loss / d output. */
    private static double loss(Matrix y, Matrix t, Matrix eps) {
        double l = 0;
        int n = y.rows();
        for (int i = 0; i < n; i++) {
            double d = y.get(i, 0) - t.get(i, 0);
            l += 0.5 * d * d / n;
            if (eps != null) {
                eps.set(i, 0, d / n);
            }
        }
        return l;
    }

    /** One training-mode forward pass kept for backprop; returns the output as an SDK matrix. */
    private static Matrix forward(MultiLayerNetwork net, INDArray x) {
        net.setInput(x);
        List<INDArray> activations = net.feedForward(true, false);
        return NdConversions.toMatrix(activations.get(activations.size() - 1));
    }

    @Test
    void dl4jIsThePlatformLayerAndTheBackendWorks() {
        assertEquals("CPU", readiness.backend());
        assertEquals("OPENBLAS", readiness.blasVendor());
        assertTrue(readiness.threads() >= 1);
        // ND4J comes from the framework's class path through the system bundle, not from a bundle
        assertNull(FrameworkUtil.getBundle(Nd4j.class), "Nd4j is loaded by the class path, not by a bundle");
        Bundle self = FrameworkUtil.getBundle(Dl4jInFelixIT.class);
        Bundle dl4j = FrameworkUtil.getBundle(NdConversions.class);
        assertNotNull(self);
        assertEquals("org.hybridbench.dl4j", dl4j.getSymbolicName());
        assertNotEquals(self, dl4j, "the test trains from another bundle than org.hybridbench.dl4j");
        assertEquals(6.0, Nd4j.create(new double[] {1, 2, 3}).sumNumber().doubleValue(), 1e-12);
    }

    /** External error + DL4J's own updater (Adam): the loss must fall by more than 10×. */
    @Test
    void externalErrorWithTheNetworksUpdater() {
        Matrix[] d = data();
        INDArray x = NdConversions.toINDArray(d[0]);
        MultiLayerNetwork net = network(1, new Adam(0.01));
        Matrix eps = new Matrix(d[1].rows(), 1);
        INDArray epsilon = Nd4j.create(DataType.DOUBLE, d[1].rows(), 1);
        double first = Double.NaN;
        double last = Double.NaN;
        for (int step = 0; step < 400; step++) {
            last = loss(forward(net, x), d[1], eps);
            if (step == 0) {
                first = last;
            }
            NdConversions.copyInto(eps, epsilon);
            Pair<Gradient, INDArray> g = net.backpropGradient(epsilon, LayerWorkspaceMgr.noWorkspaces());
            assertEquals(2, g.getSecond().size(1), "d loss / d input has the input's shape");
            net.getUpdater().update(net, g.getFirst(), step, 0, d[1].rows(), LayerWorkspaceMgr.noWorkspaces());
            INDArray params = net.params();
            params.subi(net.getGradientsViewArray().reshape(params.shape())); // the update the updater left there
        }
        double finalLoss = loss(NdConversions.toMatrix(net.output(x)), d[1], null);
        System.out.printf("DL4J Adam with external MSE error: loss %.5f -> %.5f%n", first, finalLoss);
        assertTrue(Double.isFinite(finalLoss));
        assertTrue(finalLoss < first / 10, "loss " + first + " -> " + finalLoss);
    }

    /**
     * External error + an optimizer outside DL4J working on SDK parameter blocks (what a pipeline's shared optimizer
     * does): gradient pulled into the blocks, plain-Java SGD step, values pushed back.
     */
    @Test
    void externalErrorWithSdkParameterBlocks() {
        Matrix[] d = data();
        INDArray x = NdConversions.toINDArray(d[0]);
        MultiLayerNetwork net = network(2, new Sgd(0.0)); // DL4J's updater is not used
        NetworkParameters params = NetworkParameters.of(net);
        Matrix eps = new Matrix(d[1].rows(), 1);
        double first = Double.NaN;
        for (int step = 0; step < 1500; step++) {
            double l = loss(forward(net, x), d[1], eps);
            if (step == 0) {
                first = l;
            }
            net.backpropGradient(NdConversions.toINDArray(eps), LayerWorkspaceMgr.noWorkspaces());
            params.pullGradients();
            for (ParameterBlock b : params.blocks()) {
                double[] v = b.values();
                double[] g = b.gradient();
                for (int i = 0; i < v.length; i++) {
                    v[i] -= 0.2 * g[i];
                }
            }
            params.pushValues();
        }
        double finalLoss = loss(NdConversions.toMatrix(net.output(x)), d[1], null);
        System.out.printf("SDK SGD on parameter blocks with external MSE error: loss %.5f -> %.5f%n", first, finalLoss);
        assertTrue(finalLoss < first / 5, "loss " + first + " -> " + finalLoss);
    }

    /** The back-propagated external error is the true gradient: central finite differences agree to 1e-6. */
    @Test
    void backpropagatedGradientMatchesFiniteDifferences() {
        Matrix[] d = data();
        INDArray x = NdConversions.toINDArray(d[0]);
        MultiLayerNetwork net = network(3, new Sgd(0.0));
        NetworkParameters params = NetworkParameters.of(net);
        Matrix eps = new Matrix(d[1].rows(), 1);
        loss(forward(net, x), d[1], eps);
        net.backpropGradient(NdConversions.toINDArray(eps), LayerWorkspaceMgr.noWorkspaces());
        params.pullGradients();
        double[] analytic = new double[(int) params.size()];
        int k = 0;
        for (ParameterBlock b : params.blocks()) {
            System.arraycopy(b.gradient(), 0, analytic, k, b.size());
            k += b.size();
        }

        DoubleBuffer theta = params.valuesView(); // writes go straight into the network (no copy)
        double h = 1e-6;
        double worst = 0;
        int checked = 0;
        for (int i = 0; i < analytic.length; i += 3) {
            double saved = theta.get(i);
            theta.put(i, saved + h);
            double up = loss(NdConversions.toMatrix(net.output(x)), d[1], null);
            theta.put(i, saved - h);
            double down = loss(NdConversions.toMatrix(net.output(x)), d[1], null);
            theta.put(i, saved);
            double numeric = (up - down) / (2 * h);
            double err = Math.abs(numeric - analytic[i]) / Math.max(1e-3, Math.abs(numeric) + Math.abs(analytic[i]));
            worst = Math.max(worst, err);
            checked++;
        }
        System.out.printf("finite differences over %d of %d parameters: worst relative error %.2e%n", checked,
                analytic.length, worst);
        assertTrue(checked > 15);
        assertTrue(worst < 1e-6, "worst relative error " + worst);
        assertTrue(java.util.Arrays.stream(analytic).anyMatch(g -> Math.abs(g) > 1e-4), "a non-trivial gradient");
    }
}

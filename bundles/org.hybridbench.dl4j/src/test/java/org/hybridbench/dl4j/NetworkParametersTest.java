package org.hybridbench.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.ParameterBlock;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Sgd;

class NetworkParametersTest {

    static MultiLayerNetwork net(DataType type) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(type).seed(7)
                .updater(new Sgd(0.1)).list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(5).activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().nIn(5).nOut(2).activation(Activation.IDENTITY).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    @Test
    void blocksMirrorTheParameterTableInStorageOrder() {
        MultiLayerNetwork net = net(DataType.DOUBLE);
        NetworkParameters p = NetworkParameters.of(net);
        List<ParameterBlock> blocks = p.blocks();
        assertEquals(List.of("0_W", "0_b", "1_W", "1_b"), blocks.stream().map(ParameterBlock::name).toList());
        assertEquals(3 * 5 + 5 + 5 * 2 + 2, p.size());
        assertArrayEquals(new int[] {3, 5}, blocks.get(0).shape());
        for (ParameterBlock b : blocks) {
            INDArray v = net.paramTable().get(b.name());
            assertArrayEquals(v.dup(v.ordering()).data().asDouble(), b.values(), b.name());
        }
    }

    @Test
    void pushChangesTheNetworkAndPullGradientsMatchesBackprop() {
        for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            MultiLayerNetwork net = net(type);
            NetworkParameters p = NetworkParameters.of(net);
            INDArray x = NdConversions.toINDArray(new Matrix(2, 3, new double[] {0.1, -0.2, 0.3, 0.5, 0.4, -0.6}), type);

            INDArray before = net.output(x).dup();
            p.blocks().get(3).values()[1] += 1.0; // output bias of unit 1
            p.pushValues();
            INDArray after = net.output(x);
            assertEquals(before.getDouble(0, 1) + 1.0, after.getDouble(0, 1), 1e-5, type.toString());
            assertEquals(before.getDouble(1, 0), after.getDouble(1, 0), 1e-6, type.toString());

            net.setInput(x);
            net.feedForward(true, false);
            INDArray eps = NdConversions.toINDArray(new Matrix(2, 2, new double[] {1, 0, 0, 1}), type);
            Gradient g = net.backpropGradient(eps, LayerWorkspaceMgr.noWorkspaces()).getFirst();
            p.pullGradients();
            for (ParameterBlock b : p.blocks()) {
                INDArray expected = g.getGradientFor(b.name());
                assertArrayEquals(expected.dup(expected.ordering()).castTo(DataType.DOUBLE).data().asDouble(),
                        b.gradient(), 1e-6, type + " " + b.name());
            }
            // d output / d bias: the epsilon summed over the batch
            assertArrayEquals(new double[] {1, 1}, p.blocks().get(3).gradient(), 1e-6);
            assertNotEquals(0.0, p.blocks().get(0).gradient()[0]);
        }
    }
}

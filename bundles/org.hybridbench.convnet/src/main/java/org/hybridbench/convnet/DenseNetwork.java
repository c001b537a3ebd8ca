package org.hybridbench.convnet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * Stage type {@code encoder.dense}'s network: rows of d values → dense {@code hidden} layers with the non-linearity →
 * a linear layer of {@code outputs} values. The same {@link Dense} layers as the conv networks (one ND4J GEMM forward,
 * two backward, the rest in Java), without DL4J's layer machinery: for a VAE's 784-400-40 encoder and 20-400-784
 * decoder it is the part of {@code encoder.mlp} (DL4J {@code MultiLayerNetwork}) that the per-epoch time showed was
 * not the GEMMs (see the vae README). d is the width of the first input rows. Weights are stored in DL4J's order (see
 * {@link Dense}): a model trained with {@code encoder.mlp} loads into {@code encoder.dense} and back.
 */
final class DenseNetwork extends ExternalErrorNetwork {

    /**
     * @param hidden units of each hidden layer (may be empty: a linear map)
     * @throws IllegalArgumentException naming the field
     */
    record Architecture(int[] hidden, String activation, int outputs, boolean doublePrecision) {
        Architecture {
            hidden = hidden.clone();
            for (int i = 0; i < hidden.length; i++) {
                if (hidden[i] < 1) {
                    throw new IllegalArgumentException("hidden layer " + i + " has " + hidden[i] + " units, expected >= 1");
                }
            }
            Nonlinearity.of(activation); // names the valid ones
            ConvGeometry.positive("outputs", outputs);
        }

        @Override
        public int[] hidden() {
            return hidden.clone();
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "hidden %s %s -> %d linear, %s", Arrays.toString(hidden), activation, outputs,
                    doublePrecision ? "double" : "float");
        }
    }

    final Architecture arch;

    DenseNetwork(Architecture arch, long seed) {
        super(seed, arch.doublePrecision());
        this.arch = arch;
    }

    @Override
    String stageType() {
        return DenseStageProvider.TYPE;
    }

    @Override
    void checkInputWidth(int inputs) {
        if (inputs < 1) {
            throw new IllegalArgumentException(stageType() + ": input rows have no values");
        }
    }

    @Override
    List<Layer> layers(DataType type, int inputs, SplittableRandom rng) {
        Nonlinearity f = activation(arch.activation());
        List<Layer> layers = new ArrayList<>();
        int width = inputs;
        for (int h : arch.hidden()) {
            layers.add(new Dense(type, f, layers.size(), width, h, true, rng));
            width = h;
        }
        layers.add(new Dense(type, Nonlinearity.IDENTITY, layers.size(), width, arch.outputs(), true, rng));
        return layers;
    }

    @Override
    int outputs() {
        return arch.outputs();
    }
}

package org.hybridbench.convnet;

import java.util.List;
import java.util.SplittableRandom;

import org.hybridbench.api.model.ParameterBlock;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One layer of {@link ExternalErrorNetwork}: a weight block {@code <index>_W} and a bias block {@code <index>_b}
 * (SDK {@link ParameterBlock}s, the truth), one GEMM forward and two backward per mini-batch in ND4J at the
 * network's precision, the rest in Java on row-major {@code double[]} rows. A layer keeps what its backward pass
 * needs from the last forward pass (its input or input columns, and its output for the non-linearity's slope).
 */
abstract class Layer {
    final DataType type;
    final Nonlinearity nonlinearity;
    final ParameterBlock weights;
    final ParameterBlock bias;
    /** The weights in ND4J, refreshed from {@link #weights} by every forward pass. */
    final Slab weightArray;
    /** The output of the last forward pass (after the non-linearity). */
    double[] output;
    /** d loss / d pre-activation and d loss / d input of the last backward pass. */
    double[] preActivationGradient;
    double[] inputGradientRows;

    Layer(DataType type, Nonlinearity nonlinearity, int index, int[] weightShape, int outputChannels) {
        this.type = type;
        this.nonlinearity = nonlinearity;
        int n = 1;
        for (int s : weightShape) {
            n *= s;
        }
        this.weights = new ParameterBlock(index + "_W", weightShape, new double[n], new double[n]);
        this.bias = new ParameterBlock(index + "_b", new int[] {outputChannels}, new double[outputChannels], new double[outputChannels]);
        this.weightArray = new Slab(type);
    }

    /** Xavier (Glorot) normal weights: variance 2 / (fanIn + fanOut); the biases stay zero. */
    void initialise(SplittableRandom rng, int fanIn, int fanOut) {
        double sd = Math.sqrt(2.0 / (fanIn + fanOut));
        double[] w = weights.values();
        for (int i = 0; i < w.length; i++) {
            w[i] = sd * rng.nextGaussian();
        }
    }

    List<ParameterBlock> blocks() {
        return List.of(weights, bias);
    }

    /** Values per input row and per output row. */
    abstract int inputs();

    abstract int outputs();

    /** The output rows of {@code rows} input rows; keeps what {@link #backward} needs. */
    abstract double[] forward(double[] x, int rows);

    /**
     * Adds the parameter gradients for d loss / d output {@code dy} to the blocks and returns d loss / d input, or, if
     * {@code wantInputGradient} is false (the first layer of a network whose input is data), skips that GEMM and returns
     * null.
     */
    abstract double[] backward(double[] dy, int rows, boolean wantInputGradient);

    /** Copies the weight block into {@link #weightArray} as a {@code rows × cols} matrix. */
    void pushWeights(int rows, int cols) {
        weightArray.shape(rows, cols);
        weightArray.load(weights.values());
    }

    /**
     * {@code buffer} if it has {@code n} values, else a new array: the layers reuse their row arrays from one
     * mini-batch to the next, since allocating them (several MB each) per pass kept G1 busy with old-generation
     * collections.
     */
    static double[] sized(double[] buffer, int n) {
        return buffer != null && buffer.length == n ? buffer : new double[n];
    }

    /** c = op(a) · op(b), overwriting c. */
    static void gemm(INDArray a, INDArray b, INDArray c, boolean transposeA, boolean transposeB) {
        Nd4j.gemm(a, b, c, transposeA, transposeB, 1.0, 0.0);
    }
}

package org.hybridbench.convnet;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.hybridbench.api.model.ParameterBlock;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One layer of {@link ExternalErrorNetwork}: a weight block {@code <index>_W} and a bias block {@code <index>_b}
 * (SDK {@link ParameterBlock}s, the truth, in the network's precision: a float network's blocks are float arrays that
 * go into ND4J by a bulk copy and take the GEMM's gradient by float additions), one GEMM forward and two backward per
 * mini-batch in ND4J at that precision, the rest in Java on row-major {@code double[]} rows. A layer keeps what its backward pass
 * needs from the last forward pass (its input or input columns, and its output for the non-linearity's slope).
 */
abstract class Layer {
    final DataType type;
    final Nonlinearity nonlinearity;
    final ParameterBlock weights;
    final ParameterBlock bias;
    /** The weights in ND4J, refreshed from {@link #weights} by every forward pass. */
    final Slab weightArray;
    /** The bias as doubles (see {@link #biasValues()}) or its gradient being summed (see {@link #biasGradient()}). */
    private final double[] biasScratch;
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
        this.weights = block(type, index + "_W", weightShape, n);
        this.bias = block(type, index + "_b", new int[] {outputChannels}, outputChannels);
        this.weightArray = new Slab(type);
        this.biasScratch = new double[outputChannels];
    }

    private static ParameterBlock block(DataType type, String name, int[] shape, int n) {
        return type == DataType.FLOAT ? ParameterBlock.ofFloats(name, shape, new float[n], new float[n])
                : new ParameterBlock(name, shape, new double[n], new double[n]);
    }

    /** Xavier (Glorot) normal weights: variance 2 / (fanIn + fanOut); the biases stay zero. */
    void initialise(SplittableRandom rng, int fanIn, int fanOut) {
        double sd = Math.sqrt(2.0 / (fanIn + fanOut));
        double[] w = new double[weights.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = sd * rng.nextGaussian();
        }
        weights.setValues(w, 0); // the same draws in either precision (rounded to float in a float network)
    }

    /** The bias values as doubles: the block's own array in a double network, a copy in a float one. */
    double[] biasValues() {
        if (!bias.isSinglePrecision()) {
            return bias.values();
        }
        bias.copyValuesInto(biasScratch, 0);
        return biasScratch;
    }

    /**
     * Zeros, to sum this pass's bias gradient in; {@link #addBiasGradient()} then adds it to the block (the SDK contract:
     * backward adds).
     */
    double[] biasGradient() {
        Arrays.fill(biasScratch, 0);
        return biasScratch;
    }

    void addBiasGradient() {
        if (bias.isSinglePrecision()) {
            float[] g = bias.floatGradient();
            for (int i = 0; i < g.length; i++) {
                g[i] += (float) biasScratch[i];
            }
        } else {
            double[] g = bias.gradient();
            for (int i = 0; i < g.length; i++) {
                g[i] += biasScratch[i];
            }
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
        weightArray.load(weights);
    }

    /**
     * {@code buffer} if it has {@code n} values, else a new array: the layers reuse their row arrays from one
     * mini-batch to the next, since allocating them (several MB each) per pass kept G1 busy with old-generation
     * collections.
     */
    static double[] sized(double[] buffer, int n) {
        return buffer != null && buffer.length == n ? buffer : new double[n];
    }

    static float[] sized(float[] buffer, int n) {
        return buffer != null && buffer.length == n ? buffer : new float[n];
    }

    /** c = op(a) · op(b), overwriting c. */
    static void gemm(INDArray a, INDArray b, INDArray c, boolean transposeA, boolean transposeB) {
        Nd4j.gemm(a, b, c, transposeA, transposeB, 1.0, 0.0);
    }
}

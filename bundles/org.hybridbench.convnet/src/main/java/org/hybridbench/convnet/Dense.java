package org.hybridbench.convnet;

import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * A fully connected layer: y = f(x · W + b), W of shape {@code [inputs, outputs]}, stored row-major, or, with
 * {@code columnMajor}, column-major — DL4J's storage order for a dense layer's W, so that {@code encoder.dense} and
 * {@code encoder.mlp} (DL4J) read each other's weight blocks ({@code 0_W}, {@code 0_b}, … of the same names and shapes)
 * as the same network. The column-major W is the row-major {@code [outputs, inputs]} matrix Wᵀ, so the GEMMs take it
 * transposed: y = x · (Wᵀ)ᵀ, dWᵀ = dzᵀ · x, dx = dz · Wᵀ — the same three GEMMs.
 */
final class Dense extends Layer implements FloatRowLayer {
    private final int in;
    private final int out;
    private final boolean columnMajor;
    private final Slab input;
    private final Slab result;
    private final Slab weightGradient;
    private final Slab inputGradient;
    /** The float path's rows: the last output, d loss / d pre-activation, d loss / d input. */
    private float[] floatOutput;
    private float[] floatPreActivationGradient;
    private float[] floatInputGradient;

    Dense(DataType type, Nonlinearity f, int index, int in, int out, SplittableRandom rng) {
        this(type, f, index, in, out, false, rng);
    }

    Dense(DataType type, Nonlinearity f, int index, int in, int out, boolean columnMajor, SplittableRandom rng) {
        super(type, f, index, new int[] {in, out}, out);
        this.in = in;
        this.out = out;
        this.columnMajor = columnMajor;
        this.input = new Slab(type);
        this.result = new Slab(type);
        this.weightGradient = new Slab(type);
        this.inputGradient = new Slab(type);
        initialise(rng, in, out);
    }

    @Override
    int inputs() {
        return in;
    }

    @Override
    int outputs() {
        return out;
    }

    @Override
    double[] forward(double[] x, int rows) {
        input.shape(rows, in);
        input.load(x);
        multiply(rows);
        double[] y = sized(output, rows * out);
        result.store(y);
        double[] b = biasValues();
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < out; j++) {
                y[r * out + j] += b[j];
            }
        }
        nonlinearity.applyInPlace(y, 0, y.length, 0);
        output = y;
        return y;
    }

    @Override
    double[] backward(double[] dy, int rows, boolean wantInputGradient) {
        double[] dz = nonlinearity.backward(output, dy, preActivationGradient = sized(preActivationGradient, dy.length));
        double[] db = biasGradient();
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < out; j++) {
                db[j] += dz[r * out + j];
            }
        }
        addBiasGradient();
        result.shape(rows, out);
        result.load(dz);
        if (!gradientGemms(rows, wantInputGradient)) {
            return null;
        }
        double[] dx = inputGradientRows = sized(inputGradientRows, rows * in);
        inputGradient.store(dx);
        return dx;
    }

    /**
     * {@link #forward(double[], int)} with float rows (a float layer only): bulk copies in and out of ND4J, bias and
     * non-linearity in float.
     */
    @Override
    public float[] forward(float[] x, int rows) {
        input.shape(rows, in);
        input.load(x);
        multiply(rows);
        float[] y = floatOutput = sized(floatOutput, rows * out);
        result.store(y);
        nonlinearity.applyRows(y, rows, out, bias.floatValues());
        return y;
    }

    /** {@link #backward(double[], int, boolean)} with float rows (a float layer only). */
    @Override
    public float[] backward(float[] dy, int rows, boolean wantInputGradient) {
        float[] dz = nonlinearity.backward(floatOutput, dy, floatPreActivationGradient = sized(floatPreActivationGradient, dy.length));
        double[] db = biasGradient();
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < out; j++) {
                db[j] += dz[r * out + j];
            }
        }
        addBiasGradient();
        result.shape(rows, out);
        result.load(dz);
        if (!gradientGemms(rows, wantInputGradient)) {
            return null;
        }
        float[] dx = floatInputGradient = sized(floatInputGradient, rows * in);
        inputGradient.store(dx);
        return dx;
    }

    /** The forward GEMM once {@link #input} holds the rows: the weights into ND4J, then {@link #result} = x · W. */
    private void multiply(int rows) {
        pushWeights(columnMajor ? out : in, columnMajor ? in : out);
        gemm(input.array(), weightArray.array(), result.shape(rows, out), false, columnMajor);
    }

    /**
     * The backward GEMMs once {@link #result} holds d loss / d pre-activation: the weight gradient, added to the block,
     * and, if wanted, d loss / d input into {@link #inputGradient}. Returns whether it computed the latter.
     */
    private boolean gradientGemms(int rows, boolean wantInputGradient) {
        if (columnMajor) {
            gemm(result.array(), input.array(), weightGradient.shape(out, in), true, false);
        } else {
            gemm(input.array(), result.array(), weightGradient.shape(in, out), true, false);
        }
        weightGradient.addTo(weights);
        if (!wantInputGradient) {
            return false;
        }
        gemm(result.array(), weightArray.array(), inputGradient.shape(rows, in), false, !columnMajor);
        return true;
    }
}

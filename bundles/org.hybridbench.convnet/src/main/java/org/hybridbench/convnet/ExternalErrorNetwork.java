package org.hybridbench.convnet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.DifferentiableNetwork;
import org.hybridbench.api.model.ParameterBlock;
import org.nd4j.common.config.ND4JClassLoading;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A stack of {@link Layer}s (dense, convolution, transposed convolution) seen through the SDK's
 * {@link DifferentiableNetwork}, driven with external errors: {@code forward(x, true)} keeps what the backward pass
 * needs, {@code backward(ε)} adds the parameter gradients to the blocks and returns d loss / d input. No output
 * layer or loss. Subclasses say which layers.
 *
 * <p>Each convolution and transposed convolution is one im2col/col2im + one ND4J GEMM per mini-batch (see
 * {@link Convolution}, {@link TransposedConvolution}); bias, non-linearity and layout changes are Java loops. DL4J's
 * own convolution layers were ~9× slower than their GEMM on the generic nd4j-native build (see README).
 *
 * <p><b>Built on the first forward pass</b> (the first time the input width is known and ND4J may be touched: inside a
 * run, whose trainer holds the DL4J readiness service). Until then {@link #parameters()} fails, saying so.
 *
 * <p><b>Parameters</b> are the layers' SDK blocks ({@code 0_W}, {@code 0_b}, {@code 1_W}, …, layer by layer), plain
 * heap arrays and <em>the truth</em>: every {@link #forward} copies the weights into ND4J first, so an optimizer
 * step, a checkpoint restore or a finite-difference probe needs no extra call; {@link #backward} adds to their
 * gradients (the SDK contract: callers zero them per mini-batch).
 */
abstract class ExternalErrorNetwork implements DifferentiableNetwork {

    private final long seed;
    private final boolean doublePrecision;
    private List<Layer> layers;
    private List<ParameterBlock> blocks;
    private int inputs;
    private int lastRows = -1;
    /** The layers again when the network keeps float rows between them (see {@link FloatRowLayer}), else null. */
    private List<FloatRowLayer> floatLayers;
    private float[] floatInput;
    private float[] floatOutputGradient;

    ExternalErrorNetwork(long seed, boolean doublePrecision) {
        this.seed = seed;
        this.doublePrecision = doublePrecision;
    }

    /** The stage type, for messages. */
    abstract String stageType();

    /** Checks the width of the first input rows (the network is then built for it). */
    abstract void checkInputWidth(int inputs);

    /** The layers for rows of {@code inputs} values, initialised from {@code rng} in order. */
    abstract List<Layer> layers(DataType type, int inputs, SplittableRandom rng);

    /** Values per output row. */
    abstract int outputs();

    static Nonlinearity activation(String name) {
        return Nonlinearity.of(name);
    }

    boolean isBuilt() {
        return layers != null;
    }

    int inputs() {
        requireBuilt();
        return inputs;
    }

    long parameterCount() {
        requireBuilt();
        long n = 0;
        for (ParameterBlock b : blocks) {
            n += b.size();
        }
        return n;
    }

    private void build(int inputs) {
        checkInputWidth(inputs);
        ND4JClassLoading.setNd4jClassloaderFromClass(Nd4j.class); // ARCHITECTURE §5: safe, repeatable
        DataType type = doublePrecision ? DataType.DOUBLE : DataType.FLOAT;
        List<Layer> built = layers(type, inputs, new SplittableRandom(seed));
        List<ParameterBlock> all = new ArrayList<>();
        for (Layer l : built) {
            all.addAll(l.blocks());
        }
        this.blocks = Collections.unmodifiableList(all);
        this.layers = List.copyOf(built);
        this.inputs = inputs;
        if (!doublePrecision && built.stream().allMatch(FloatRowLayer.class::isInstance)) {
            this.floatLayers = built.stream().map(FloatRowLayer.class::cast).toList();
        }
    }

    /** Output rows of the input rows (builds the network on the first call). */
    @Override
    public Matrix forward(Matrix input, boolean training) {
        if (layers == null) {
            build(input.cols());
        }
        if (input.cols() != inputs) {
            throw new IllegalArgumentException(stageType() + " takes rows of " + inputs + " values, got " + input.cols());
        }
        int rows = input.rows();
        lastRows = -1;
        if (rows == 0) {
            lastRows = training ? 0 : -1;
            return new Matrix(0, outputs());
        }
        double[] x = input.data();
        if (floatLayers != null) {
            float[] xf = floatInput = Layer.sized(floatInput, x.length);
            for (int i = 0; i < x.length; i++) {
                xf[i] = (float) x[i];
            }
            for (FloatRowLayer l : floatLayers) {
                xf = l.forward(xf, rows);
            }
            lastRows = training ? rows : -1;
            return new Matrix(rows, outputs(), widen(xf));
        }
        for (Layer l : layers) {
            x = l.forward(x, rows); // layers never write their input: x may be the caller's array
        }
        lastRows = training ? rows : -1;
        return new Matrix(rows, outputs(), x.clone()); // the last layer keeps (and reuses) its output: callers get a copy
    }

    private static double[] widen(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    /**
     * Back-propagates d loss / d output of the last training forward pass: adds the parameter gradients to the
     * blocks' gradients and returns d loss / d input.
     */
    @Override
    public Matrix backward(Matrix outputGradient) {
        double[] g = propagate(outputGradient, true);
        return new Matrix(lastRows, inputs, g); // a new array (the first layer reuses its own next time)
    }

    /** {@link #backward} without d loss / d input: the first layer's input-gradient GEMM is skipped. */
    @Override
    public void backwardParameters(Matrix outputGradient) {
        propagate(outputGradient, false);
    }

    private double[] propagate(Matrix outputGradient, boolean inputGradient) {
        if (lastRows < 0) {
            throw new IllegalStateException(stageType() + ": backward needs a training forward pass first");
        }
        if (outputGradient.rows() != lastRows || outputGradient.cols() != outputs()) {
            throw new IllegalArgumentException(stageType() + ": output gradient of shape " + outputGradient.rows() + "x" + outputGradient.cols()
                    + ", the last forward pass gave " + lastRows + "x" + outputs());
        }
        if (lastRows == 0) {
            return new double[0];
        }
        double[] g = outputGradient.data();
        if (floatLayers != null) {
            float[] gf = floatOutputGradient = Layer.sized(floatOutputGradient, g.length);
            for (int i = 0; i < g.length; i++) {
                gf[i] = (float) g[i];
            }
            for (int i = layers.size() - 1; i >= 0; i--) {
                gf = floatLayers.get(i).backward(gf, lastRows, i > 0 || inputGradient);
            }
            return gf == null ? null : widen(gf);
        }
        for (int i = layers.size() - 1; i >= 0; i--) {
            g = layers.get(i).backward(g, lastRows, i > 0 || inputGradient);
        }
        return g == null ? null : g.clone();
    }

    @Override
    public List<ParameterBlock> parameters() {
        requireBuilt();
        return blocks;
    }

    private void requireBuilt() {
        if (layers == null) {
            throw new IllegalStateException(stageType() + ": the network is not built yet; its first forward pass builds it for the "
                    + "input width");
        }
    }
}

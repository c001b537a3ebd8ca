package org.hybridbench.convnet;

import java.util.List;
import java.util.Locale;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.DifferentiableNetwork;
import org.hybridbench.api.model.ParameterBlock;
import org.hybridbench.dl4j.NdConversions;
import org.hybridbench.dl4j.NetworkParameters;
import org.nd4j.common.config.ND4JClassLoading;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * A DL4J {@link MultiLayerNetwork} seen through the SDK's {@link DifferentiableNetwork}, driven with external errors
 * (ARCHITECTURE §5): {@code setInput}, {@code feedForward(true, false)}, {@code backpropGradient(ε)}; no DL4J output
 * layer or loss. Subclasses say which layers; this class builds, mirrors and runs them.
 *
 * <p><b>Built on the first forward pass</b> (the first time the input width is known and ND4J may be touched: inside a
 * run, whose trainer holds the DL4J readiness service). Until then {@link #parameters()} fails, saying so.
 *
 * <p><b>Parameters</b> follow {@code MlpNetwork} of org.hybridbench.acoustic: SDK blocks (one per DL4J parameter,
 * {@code 0_W}, {@code 0_b}, …, in DL4J's storage order) are heap mirrors of the network's flattened native
 * parameters, and <em>the blocks are the truth</em> — every {@link #forward} first copies their values into the
 * network, so an optimizer step, a checkpoint restore or a finite-difference probe needs no extra call. The copies
 * are {@link NetworkParameters}' bulk transfers; that class overwrites gradients, so {@link #backward} keeps the
 * blocks' previous gradients and adds them back (the SDK contract: backward <em>adds</em>). A shared
 * accumulate-on-pull in org.hybridbench.dl4j, used by MlpNetwork too, would be the later fix for the duplication.
 */
abstract class ExternalErrorNetwork implements DifferentiableNetwork {

    private final long seed;
    private final boolean doublePrecision;
    private MultiLayerNetwork net;
    private NetworkParameters mirror;
    private List<ParameterBlock> blocks;
    /** The blocks' gradients before a backward pass, added back after NetworkParameters overwrote them. */
    private double[][] previousGradients;
    private DataType type;
    private int inputs;
    private int lastRows = -1;

    ExternalErrorNetwork(long seed, boolean doublePrecision) {
        this.seed = seed;
        this.doublePrecision = doublePrecision;
    }

    /** The stage type, for messages. */
    abstract String stageType();

    /** Checks the width of the first input rows (the network is then built for it). */
    abstract void checkInputWidth(int inputs);

    /** The layers for rows of {@code inputs} values, added to a configuration with type, seed and initialisation set. */
    abstract MultiLayerConfiguration layers(NeuralNetConfiguration.Builder base, int inputs);

    /** Values per output row. */
    abstract int outputs();

    /**
     * The shape DL4J's last layer gives for {@code rows} rows: {@code [rows, outputs]} for a dense layer,
     * {@code [rows, c, h, w]} for a convolutional one; the output gradient is reshaped to it.
     */
    abstract long[] outputShape(int rows);

    static Activation activation(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "sigmoid" -> Activation.SIGMOID;
            case "tanh" -> Activation.TANH;
            case "relu" -> Activation.RELU;
            case "leakyrelu" -> Activation.LEAKYRELU;
            default -> throw new IllegalArgumentException("unknown activation '" + name + "' (sigmoid, tanh, relu, leakyrelu)");
        };
    }

    boolean isBuilt() {
        return net != null;
    }

    int inputs() {
        requireBuilt();
        return inputs;
    }

    /** The DL4J network (built), for tests. */
    MultiLayerNetwork network() {
        requireBuilt();
        return net;
    }

    long parameterCount() {
        requireBuilt();
        return mirror.size();
    }

    private void build(int inputs) {
        checkInputWidth(inputs);
        ND4JClassLoading.setNd4jClassloaderFromClass(Nd4j.class); // ARCHITECTURE §5: safe, repeatable
        type = doublePrecision ? DataType.DOUBLE : DataType.FLOAT;
        NeuralNetConfiguration.Builder base = new NeuralNetConfiguration.Builder().dataType(type).seed(seed).weightInit(WeightInit.XAVIER)
                .updater(new NoOp());
        MultiLayerNetwork n = new MultiLayerNetwork(layers(base, inputs));
        n.init();
        NetworkParameters m = NetworkParameters.of(n);
        this.blocks = m.blocks();
        this.previousGradients = new double[blocks.size()][];
        for (int i = 0; i < blocks.size(); i++) {
            previousGradients[i] = new double[blocks.get(i).size()];
        }
        this.net = n;
        this.mirror = m;
        this.inputs = inputs;
    }

    /**
     * Output rows of the input rows (see the class comment: copies the blocks' values into the network first; builds
     * the network on the first call).
     */
    @Override
    public Matrix forward(Matrix input, boolean training) {
        if (net == null) {
            build(input.cols());
        }
        if (input.cols() != inputs) {
            throw new IllegalArgumentException(stageType() + " takes rows of " + inputs + " values, got " + input.cols());
        }
        mirror.pushValues();
        Matrix out = new Matrix(input.rows(), outputs());
        if (input.rows() == 0) {
            lastRows = training ? 0 : -1;
            return out;
        }
        INDArray x = NdConversions.toINDArray(input, type);
        INDArray y;
        if (training) {
            net.setInput(x);
            List<INDArray> acts = net.feedForward(true, false); // keeps the inputs backprop needs (ARCHITECTURE §5)
            y = acts.get(acts.size() - 1);
            lastRows = input.rows();
        } else {
            y = net.output(x, false);
            lastRows = -1;
        }
        NdConversions.copyInto(y, out); // a [rows, c, h, w] map is flattened in row-major order: channel-first rows
        return out;
    }

    /**
     * Back-propagates d loss / d output of the last training forward pass: adds the parameter gradients to the
     * blocks' gradients and returns d loss / d input.
     */
    @Override
    public Matrix backward(Matrix outputGradient) {
        if (lastRows < 0) {
            throw new IllegalStateException(stageType() + ": backward needs a training forward pass first");
        }
        if (outputGradient.rows() != lastRows || outputGradient.cols() != outputs()) {
            throw new IllegalArgumentException(stageType() + ": output gradient of shape " + outputGradient.rows() + "x" + outputGradient.cols()
                    + ", the last forward pass gave " + lastRows + "x" + outputs());
        }
        if (lastRows == 0) {
            return new Matrix(0, inputs);
        }
        INDArray eps = NdConversions.toINDArray(outputGradient, type).reshape('c', outputShape(lastRows));
        INDArray dx = net.backpropGradient(eps, LayerWorkspaceMgr.noWorkspaces()).getSecond();
        for (int i = 0; i < blocks.size(); i++) {
            double[] g = blocks.get(i).gradient();
            System.arraycopy(g, 0, previousGradients[i], 0, g.length);
        }
        mirror.pullGradients();
        for (int i = 0; i < blocks.size(); i++) {
            double[] g = blocks.get(i).gradient();
            double[] before = previousGradients[i];
            for (int j = 0; j < g.length; j++) {
                g[j] += before[j];
            }
        }
        return NdConversions.toMatrix(dx);
    }

    @Override
    public List<ParameterBlock> parameters() {
        requireBuilt();
        return blocks;
    }

    private void requireBuilt() {
        if (net == null) {
            throw new IllegalStateException(stageType() + ": the network is not built yet; its first forward pass builds it for the "
                    + "input width");
        }
    }
}

package org.hybridbench.acoustic;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.DifferentiableNetwork;
import org.hybridbench.api.model.ParameterBlock;
import org.hybridbench.dl4j.NdConversions;
import org.nd4j.common.config.ND4JClassLoading;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * A multilayer perceptron on DL4J seen through the SDK's {@link DifferentiableNetwork}: dense layers with a
 * non-linearity ({@code hidden} sizes), then a linear layer of {@code outputs} units (scores, e.g. one per phone; no
 * softmax — the wired loss applies it). Driven with external errors (ARCHITECTURE §5): {@code setInput},
 * {@code feedForward(true, false)}, {@code backpropGradient(ε)}.
 *
 * <p><b>Built when the sizes are known.</b> The input width of a speech model depends on the data (features × spliced
 * frames) and the output width on the label set, neither of which the {@code encoder.mlp} stage sees. A trainer in
 * this bundle calls {@link #build(int, int)}; any other caller gets the network built by its first {@link #forward}
 * with the input's width and the configured {@code outputs} (which must then be &gt; 0). Until then
 * {@link #parameters()} fails, saying so.
 *
 * <p><b>Parameters.</b> The SDK blocks (one per DL4J parameter, {@code 0_W}, {@code 0_b}, …; values in DL4J's storage
 * order, weights column-major) are heap mirrors of the network's native arrays, so an SDK optimizer updates them like
 * any other block. The blocks are the truth: every {@link #forward} first copies their values into the network (one
 * bulk copy, a few percent of a training step for the sizes used here), so whoever changes them — an optimizer step, a
 * checkpoint restore, a finite-difference probe — needs no extra call. {@link #backward} <em>adds</em> the gradient of
 * the last training forward pass to the blocks' gradients, as the SDK contract says: callers zero them before a
 * mini-batch (and may accumulate several passes, e.g. utterance by utterance in a hybrid).
 */
final class MlpNetwork implements DifferentiableNetwork {

    /**
     * @param hidden sizes of the hidden layers (may be empty: a linear model)
     * @param activation sigmoid, tanh or relu
     * @param outputs size of the last (linear) layer; 0 = decided by the trainer
     * @param dropout probability of dropping a hidden unit during training (applied to the input of every layer after
     *            the first)
     * @param doublePrecision DOUBLE arithmetic (gradient checks) instead of FLOAT
     */
    record Architecture(int[] hidden, String activation, int outputs, double dropout, boolean doublePrecision) {
        Architecture {
            hidden = hidden.clone();
            for (int i = 0; i < hidden.length; i++) {
                if (hidden[i] < 1) {
                    throw new IllegalArgumentException("hidden layer " + i + " has " + hidden[i] + " units");
                }
            }
            MlpNetwork.activation(activation); // validates the name
            if (outputs < 0) {
                throw new IllegalArgumentException("outputs must be >= 0 (0 = decided by the trainer), got " + outputs);
            }
            if (!(dropout >= 0 && dropout < 1)) {
                throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
            }
        }

        @Override
        public int[] hidden() {
            return hidden.clone();
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "hidden %s %s, outputs %s, dropout %.2f, %s", Arrays.toString(hidden), activation,
                    outputs == 0 ? "from the trainer" : outputs, dropout, doublePrecision ? "double" : "float");
        }
    }

    private record Entry(int offset, ParameterBlock block) {
    }

    final Architecture arch;
    private final long seed;
    private MultiLayerNetwork net;
    private DataType type;
    private int inputs;
    private int outputs;
    private INDArray flatParams;
    private INDArray flatGradients;
    private final List<Entry> entries = new ArrayList<>();
    private List<ParameterBlock> blocks;
    private int lastRows = -1;
    /** Heap copy of the flattened parameters or gradients in the network's type, reused by every copy. */
    private float[] floatScratch;
    private double[] doubleScratch;

    MlpNetwork(Architecture arch, long seed) {
        this.arch = arch;
        this.seed = seed;
    }

    static Activation activation(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "sigmoid" -> Activation.SIGMOID;
            case "tanh" -> Activation.TANH;
            case "relu" -> Activation.RELU;
            default -> throw new IllegalArgumentException("unknown activation '" + name + "' (sigmoid, tanh, relu)");
        };
    }

    boolean isBuilt() {
        return net != null;
    }

    int inputs() {
        return inputs;
    }

    int outputs() {
        return outputs;
    }

    /**
     * Creates the DL4J network for {@code inputs} → {@code outputs} (Xavier-initialised weights, zero biases, seeded by
     * the stage seed). Calling it again with the same sizes does nothing.
     *
     * @throws IllegalArgumentException if the configured {@code outputs} is not 0 and differs, or the network was
     *             already built for other sizes
     */
    void build(int inputs, int outputs) {
        if (inputs < 1 || outputs < 1) {
            throw new IllegalArgumentException("a network needs at least one input and one output, asked for " + inputs + " -> " + outputs);
        }
        if (arch.outputs() > 0 && arch.outputs() != outputs) {
            throw new IllegalArgumentException("the network is configured with outputs = " + arch.outputs() + " but the trainer needs "
                    + outputs + " (set outputs to " + outputs + " or to 0)");
        }
        if (net != null) {
            if (inputs != this.inputs || outputs != this.outputs) {
                throw new IllegalArgumentException("the network was built for " + this.inputs + " inputs -> " + this.outputs
                        + " outputs, now asked for " + inputs + " -> " + outputs);
            }
            return;
        }
        ND4JClassLoading.setNd4jClassloaderFromClass(Nd4j.class); // ARCHITECTURE §5: safe, repeatable
        type = arch.doublePrecision() ? DataType.DOUBLE : DataType.FLOAT;
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().dataType(type).seed(seed)
                .weightInit(WeightInit.XAVIER).updater(new NoOp()).list();
        Activation act = activation(arch.activation());
        int in = inputs;
        int[] hidden = arch.hidden();
        for (int l = 0; l <= hidden.length; l++) {
            boolean last = l == hidden.length;
            DenseLayer.Builder b = new DenseLayer.Builder().nIn(in).nOut(last ? outputs : hidden[l])
                    .activation(last ? Activation.IDENTITY : act);
            if (l > 0 && arch.dropout() > 0) {
                b.dropOut(1 - arch.dropout()); // DL4J takes the retain probability, applied to this layer's input
            }
            list.layer(b.build());
            in = last ? outputs : hidden[l];
        }
        MultiLayerNetwork n = new MultiLayerNetwork(list.build());
        n.init();
        if (n.getGradientsViewArray() == null) {
            n.initGradientsView();
        }
        INDArray p = n.params();
        INDArray g = n.getGradientsViewArray();
        if (p.elementWiseStride() != 1 || g.elementWiseStride() != 1 || p.length() != g.length()) {
            throw new IllegalStateException("DL4J's flattened parameters and gradients are not contiguous and alike");
        }
        long base = p.offset();
        List<ParameterBlock> all = new ArrayList<>();
        for (Map.Entry<String, INDArray> e : n.paramTable().entrySet()) {
            INDArray v = e.getValue();
            int size = Math.toIntExact(v.length());
            int[] shape = Arrays.stream(v.shape()).mapToInt(Math::toIntExact).toArray();
            ParameterBlock block = new ParameterBlock(e.getKey(), shape, new double[size], new double[size]);
            entries.add(new Entry(Math.toIntExact(v.offset() - base), block));
            all.add(block);
        }
        this.net = n;
        this.flatParams = p;
        this.flatGradients = g;
        this.inputs = inputs;
        this.outputs = outputs;
        this.blocks = List.copyOf(all);
        int flatLength = Math.toIntExact(p.length());
        if (type == DataType.DOUBLE) {
            doubleScratch = new double[flatLength];
        } else {
            floatScratch = new float[flatLength];
        }
        copy(true);
    }

    /** The DL4J network (built), for the model file and tests. */
    MultiLayerNetwork network() {
        requireBuilt();
        return net;
    }

    long parameterCount() {
        requireBuilt();
        return flatParams.length();
    }

    /**
     * Scores of the input rows. Copies the blocks' values into the network first (see the class comment); builds the
     * network on the first call if no trainer did.
     */
    @Override
    public Matrix forward(Matrix input, boolean training) {
        if (net == null) {
            if (arch.outputs() == 0) {
                throw new IllegalStateException("encoder.mlp has outputs = 0 (decided by the trainer) but was used before a trainer "
                        + "built it; set outputs to the number of scores wanted");
            }
            build(input.cols(), arch.outputs());
        }
        if (input.cols() != inputs) {
            throw new IllegalArgumentException("the network takes rows of " + inputs + " values, got " + input.cols());
        }
        copy(false);
        Matrix out = new Matrix(input.rows(), outputs);
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
        NdConversions.copyInto(y, out);
        return out;
    }

    /**
     * Back-propagates d loss / d scores of the last training forward pass: adds the parameter gradients to the
     * blocks' gradients and returns d loss / d input.
     */
    @Override
    public Matrix backward(Matrix outputGradient) {
        if (lastRows < 0) {
            throw new IllegalStateException("backward needs a training forward pass first");
        }
        if (outputGradient.rows() != lastRows || outputGradient.cols() != outputs) {
            throw new IllegalArgumentException("output gradient of shape " + outputGradient.rows() + "x" + outputGradient.cols()
                    + ", the last forward pass gave " + lastRows + "x" + outputs);
        }
        if (lastRows == 0) {
            return new Matrix(0, inputs);
        }
        INDArray eps = NdConversions.toINDArray(outputGradient, type);
        INDArray dx = net.backpropGradient(eps, LayerWorkspaceMgr.noWorkspaces()).getSecond();
        accumulateGradients();
        return NdConversions.toMatrix(dx);
    }

    @Override
    public List<ParameterBlock> parameters() {
        requireBuilt();
        return blocks;
    }

    private void requireBuilt() {
        if (net == null) {
            throw new IllegalStateException("the network is not built yet: its sizes are set by the trainer (build) or by the first "
                    + "forward pass");
        }
    }

    /**
     * Block values → network ({@code toBlocks} false) or network → block values. Each direction is one bulk NIO copy
     * of a block through a heap scratch array of the network's type (a per-element buffer access costs far more).
     */
    private void copy(boolean toBlocks) {
        if (type == DataType.DOUBLE) {
            DoubleBuffer view = NdConversions.doubleView(flatParams);
            for (Entry e : entries) {
                if (toBlocks) {
                    view.get(e.offset(), e.block().values());
                } else {
                    view.put(e.offset(), e.block().values());
                }
            }
        } else {
            FloatBuffer view = NdConversions.floatView(flatParams);
            float[] f = floatScratch;
            for (Entry e : entries) {
                double[] v = e.block().values();
                int o = e.offset();
                if (toBlocks) {
                    view.get(o, f, o, v.length);
                    for (int i = 0; i < v.length; i++) {
                        v[i] = f[o + i];
                    }
                } else {
                    for (int i = 0; i < v.length; i++) {
                        f[o + i] = (float) v[i];
                    }
                    view.put(o, f, o, v.length);
                }
            }
        }
    }

    private void accumulateGradients() {
        if (type == DataType.DOUBLE) {
            DoubleBuffer view = NdConversions.doubleView(flatGradients);
            double[] d = doubleScratch;
            for (Entry e : entries) {
                double[] g = e.block().gradient();
                int o = e.offset();
                view.get(o, d, o, g.length);
                for (int i = 0; i < g.length; i++) {
                    g[i] += d[o + i];
                }
            }
        } else {
            FloatBuffer view = NdConversions.floatView(flatGradients);
            float[] f = floatScratch;
            for (Entry e : entries) {
                double[] g = e.block().gradient();
                int o = e.offset();
                view.get(o, f, o, g.length);
                for (int i = 0; i < g.length; i++) {
                    g[i] += f[o + i];
                }
            }
        }
    }
}

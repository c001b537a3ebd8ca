package org.hybridbench.textcnn;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.ParameterBlock;
import org.hybridbench.dl4j.NdConversions;
import org.hybridbench.dl4j.NetworkParameters;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * The convolutional text encoder of Collobert et al. 2011 (§3.3.1, the window approach): every token is the
 * concatenation of its feature embeddings (word, capitalisation, suffixes; lookup-table layer), a 1-D convolution of
 * width {@code window} slides over the sentence with learned padding vectors outside it, then a non-linearity and
 * a linear layer give one score per tag: f(x_t) = W₂ h(W₁ [e(x_{t−w/2}); …; e(x_{t+w/2})] + b₁) + b₂.
 *
 * <p>The convolution is computed as its unfolded form (im2col: one row of window features per position, all
 * positions of a mini-batch of sentences stacked) times the filter matrix, which is what a convolution layer does
 * internally; sentences of any length share one matrix product with no padding to a common length. The dense
 * layers run in DL4J (on OpenBLAS); the lookup tables are SDK parameter blocks in Java, because their gradient is
 * sparse (a scatter-add of the network's input gradient into the rows that were used), so the network and the
 * tables are trained by the same SDK optimizer as the loss's own parameters.
 */
final class CnnEncoder {

    /** Architecture hyper-parameters. */
    record Architecture(int wordDim, int capsDim, int suffixDim, int[] suffixLengths, int window, int[] hidden, String activation,
            double dropout, boolean doublePrecision) {
        Architecture {
            if (window < 1 || window % 2 == 0) {
                throw new IllegalArgumentException("window must be odd and positive, got " + window);
            }
            suffixLengths = suffixLengths.clone();
            hidden = hidden.clone();
        }

        int[] dims(TokenFeatures f) {
            int[] d = new int[2 + suffixLengths.length];
            d[0] = wordDim;
            d[1] = capsDim;
            for (int l = 0; l < suffixLengths.length; l++) {
                d[2 + l] = suffixDim;
            }
            return d;
        }
    }

    final TokenFeatures features;
    final Architecture arch;
    final int tags;
    final int[] dims;
    final int[] featureOffsets;
    final int tokenDim;
    final int half;
    final ParameterBlock[] tables;
    final MultiLayerNetwork net;
    final NetworkParameters netParams;
    private final DataType type;
    private final List<ParameterBlock> blocks;

    /** Window rows of the last training forward pass (token feature ids per window slot), kept for backward. */
    private int[][][] lastIds;
    private int lastRows;

    CnnEncoder(TokenFeatures features, Architecture arch, int tags, long seed) {
        this.features = features;
        this.arch = arch;
        this.tags = tags;
        this.dims = arch.dims(features);
        this.featureOffsets = new int[dims.length];
        int d = 0;
        for (int f = 0; f < dims.length; f++) {
            featureOffsets[f] = d;
            d += dims[f];
        }
        this.tokenDim = d;
        this.half = arch.window() / 2;
        this.type = arch.doublePrecision() ? DataType.DOUBLE : DataType.FLOAT;

        // Lookup tables: N(0, 1/dim) rows, so that a window's input has unit-scale entries whatever the dimensions.
        SplittableRandom rng = new SplittableRandom(seed);
        tables = new ParameterBlock[dims.length];
        String[] names = new String[dims.length];
        names[0] = "embedding.word";
        names[1] = "embedding.caps";
        for (int l = 0; l < arch.suffixLengths().length; l++) {
            names[2 + l] = "embedding.suffix" + arch.suffixLengths()[l];
        }
        for (int f = 0; f < dims.length; f++) {
            int rows = f == 0 ? features.wordCount() : f == 1 ? TokenFeatures.CAPS.size() : features.suffixCount(f - 2);
            double[] v = new double[Math.multiplyExact(rows, dims[f])];
            double sd = 1 / Math.sqrt(dims[f]);
            for (int i = 0; i < v.length; i++) {
                v[i] = sd * gaussian(rng);
            }
            tables[f] = new ParameterBlock(names[f], new int[] {rows, dims[f]}, v, new double[v.length]);
        }

        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().dataType(type).seed(seed)
                .weightInit(WeightInit.XAVIER).updater(new NoOp()).list();
        int in = arch.window() * tokenDim;
        Activation act = activation(arch.activation());
        for (int h : arch.hidden()) {
            list.layer(new DenseLayer.Builder().nIn(in).nOut(h).activation(act).build());
            in = h;
        }
        DenseLayer.Builder out = new DenseLayer.Builder().nIn(in).nOut(tags).activation(Activation.IDENTITY);
        if (arch.dropout() > 0) {
            out.dropOut(1 - arch.dropout()); // DL4J takes the retain probability, applied to this layer's input
        }
        list.layer(out.build());
        net = new MultiLayerNetwork(list.build());
        net.init();
        netParams = NetworkParameters.of(net);
        List<ParameterBlock> all = new ArrayList<>(List.of(tables));
        all.addAll(netParams.blocks());
        blocks = List.copyOf(all);
    }

    static Activation activation(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "hardtanh" -> Activation.HARDTANH;
            case "tanh" -> Activation.TANH;
            case "relu" -> Activation.RELU;
            default -> throw new IllegalArgumentException("unknown activation '" + name + "' (hardtanh, tanh, relu)");
        };
    }

    private static double gaussian(SplittableRandom rng) {
        // Box-Muller; SplittableRandom has no nextGaussian on Java 17
        double u = 1 - rng.nextDouble();
        double v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** The encoder's parameters: lookup tables, then the network's (mirrors: see {@link NetworkParameters}). */
    List<ParameterBlock> parameters() {
        return blocks;
    }

    long parameterCount() {
        long n = 0;
        for (ParameterBlock b : blocks) {
            n += b.size();
        }
        return n;
    }

    /**
     * Tag scores of the tokens of sentences laid end to end.
     *
     * @param ids feature ids per token ({@link TokenFeatures#encode}), indexed [feature][token]
     * @param starts global token offset of every sentence of the batch
     * @param lengths length of every sentence
     * @param wordIds word ids to use instead of {@code ids[0]} for the batch's tokens (unknown-word dropout), or null
     * @param training keep what {@link #backward} needs (and apply dropout)
     * @return (Σ lengths) × tags scores
     */
    Matrix forward(int[][] ids, int[] starts, int[] lengths, int[] wordIds, boolean training) {
        int rows = 0;
        for (int len : lengths) {
            rows += len;
        }
        int width = arch.window() * tokenDim;
        int nf = dims.length;
        // window slot → feature → id, per row: what the scatter-add of backward needs
        int[][][] slotIds = new int[arch.window()][nf][rows];
        int r = 0;
        for (int s = 0; s < lengths.length; s++) {
            int start = starts[s];
            int len = lengths[s];
            for (int t = 0; t < len; t++, r++) {
                for (int w = 0; w < arch.window(); w++) {
                    int src = t + w - half;
                    boolean inside = src >= 0 && src < len;
                    for (int f = 0; f < nf; f++) {
                        int id;
                        if (!inside) {
                            id = TokenFeatures.PAD;
                        } else if (f == 0 && wordIds != null) {
                            id = wordIds[r + src - t];
                        } else {
                            id = ids[f][start + src];
                        }
                        slotIds[w][f][r] = id;
                    }
                }
            }
        }
        INDArray x = Nd4j.createUninitialized(type, rows, width);
        if (rows > 0) {
            fill(x, slotIds, rows, width);
        }
        Matrix scores = new Matrix(rows, tags);
        if (rows == 0) {
            lastIds = training ? slotIds : null;
            lastRows = 0;
            return scores;
        }
        INDArray y;
        if (training) {
            net.setInput(x);
            List<INDArray> acts = net.feedForward(true, false); // keeps the inputs backprop needs (ARCHITECTURE §5)
            y = acts.get(acts.size() - 1);
            lastIds = slotIds;
            lastRows = rows;
        } else {
            y = net.output(x, false);
        }
        NdConversions.copyInto(y, scores);
        return scores;
    }

    private void fill(INDArray x, int[][][] slotIds, int rows, int width) {
        int nf = dims.length;
        if (type == DataType.DOUBLE) {
            DoubleBuffer b = NdConversions.doubleView(x);
            double[] row = new double[width];
            for (int r = 0; r < rows; r++) {
                for (int w = 0; w < arch.window(); w++) {
                    for (int f = 0; f < nf; f++) {
                        System.arraycopy(tables[f].values(), slotIds[w][f][r] * dims[f], row, w * tokenDim + featureOffsets[f], dims[f]);
                    }
                }
                b.put(r * width, row);
            }
        } else {
            FloatBuffer b = NdConversions.floatView(x);
            float[] row = new float[width];
            for (int r = 0; r < rows; r++) {
                for (int w = 0; w < arch.window(); w++) {
                    for (int f = 0; f < nf; f++) {
                        double[] v = tables[f].values();
                        int from = slotIds[w][f][r] * dims[f];
                        int to = w * tokenDim + featureOffsets[f];
                        for (int j = 0; j < dims[f]; j++) {
                            row[to + j] = (float) v[from + j];
                        }
                    }
                }
                b.put(r * width, row);
            }
        }
    }

    /**
     * Back-propagates d loss / d scores of the last training forward pass: the network's parameter gradients into its
     * blocks, the input gradient scatter-added into the rows of the lookup tables that were used. Gradients are
     * overwritten (not accumulated across calls).
     */
    void backward(Matrix scoreGradient) {
        for (ParameterBlock t : tables) {
            java.util.Arrays.fill(t.gradient(), 0);
        }
        if (lastIds == null) {
            throw new IllegalStateException("backward needs a training forward pass first");
        }
        if (scoreGradient.rows() != lastRows || scoreGradient.cols() != tags) {
            throw new IllegalArgumentException("score gradient of shape " + scoreGradient.rows() + "x" + scoreGradient.cols()
                    + ", the last forward pass gave " + lastRows + "x" + tags);
        }
        if (lastRows == 0) {
            for (ParameterBlock b : netParams.blocks()) {
                java.util.Arrays.fill(b.gradient(), 0);
            }
            return;
        }
        INDArray eps = NdConversions.toINDArray(scoreGradient, type);
        INDArray dx = net.backpropGradient(eps, LayerWorkspaceMgr.noWorkspaces()).getSecond();
        netParams.pullGradients();
        int width = arch.window() * tokenDim;
        int nf = dims.length;
        INDArray c = dx.ordering() == 'c' && dx.elementWiseStride() == 1 ? dx : dx.dup('c');
        double[] row = new double[width];
        DoubleBuffer db = type == DataType.DOUBLE ? NdConversions.doubleView(c) : null;
        FloatBuffer fb = type == DataType.FLOAT ? NdConversions.floatView(c) : null;
        for (int r = 0; r < lastRows; r++) {
            if (db != null) {
                db.get(r * width, row);
            } else {
                for (int j = 0; j < width; j++) {
                    row[j] = fb.get(r * width + j);
                }
            }
            for (int w = 0; w < arch.window(); w++) {
                for (int f = 0; f < nf; f++) {
                    double[] g = tables[f].gradient();
                    int to = lastIds[w][f][r] * dims[f];
                    int from = w * tokenDim + featureOffsets[f];
                    for (int j = 0; j < dims[f]; j++) {
                        g[to + j] += row[from + j];
                    }
                }
            }
        }
    }

    /** After the optimizer changed the blocks' values: push the network's mirrors into DL4J. */
    void parametersChanged() {
        netParams.pushValues();
    }
}

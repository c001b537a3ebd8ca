package org.hybridbench.dl4j;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.hybridbench.api.model.ParameterBlock;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A DL4J network's parameters as SDK {@link ParameterBlock}s (one per entry of the network's parameter table,
 * e.g. {@code 0_W}, {@code 0_b}), so an SDK {@link org.hybridbench.api.model.Optimizer} updates network and
 * graphical-model parameters alike.
 *
 * <p><b>Mirrors, not views.</b> A {@code ParameterBlock} holds Java {@code double[]} arrays and DL4J keeps its
 * parameters and gradients in native memory, so the blocks are heap mirrors kept in step by bulk copies through NIO
 * views of the network's flattened parameter and gradient arrays: {@link #pullGradients()} after a backward pass,
 * {@link #pushValues()} after the optimizer step ({@link #pullValues()} if the network changed its parameters
 * itself). Each is one bulk memory copy of the parameter vector (through a reused heap
 * {@code float[]} for FLOAT networks), not a per-element buffer access; for the small networks
 * of a hybrid model it costs far less than the forward and backward passes. Code that can work on NIO buffers gets
 * true views from {@link #valuesView()} and {@link #gradientsView()}.
 *
 * <p>Values are in the network's storage order: DL4J keeps dense weight matrices column-major ({@code 'f'}), so a
 * {@code [nIn, nOut]} block lists column after column. Element-wise optimizers do not care; the shape is reported
 * for information.
 */
public final class NetworkParameters {

    private record Entry(int offset, ParameterBlock block) {
    }

    private final Model model;
    private final INDArray params;
    private final INDArray gradients;
    private final List<Entry> entries = new ArrayList<>();
    private final List<ParameterBlock> blocks = new ArrayList<>();
    /** FLOAT networks: a heap copy of the flattened vector, reused so each copy is one bulk NIO transfer. */
    private float[] floatScratch;

    private NetworkParameters(Model model) {
        this.model = model;
        this.params = model.params();
        INDArray g = model.getGradientsViewArray();
        if (g == null) {
            if (model instanceof MultiLayerNetwork mln) {
                mln.initGradientsView();
            } else if (model instanceof ComputationGraph cg) {
                cg.initGradientsView();
            }
            g = model.getGradientsViewArray();
        }
        if (g == null) {
            throw new IllegalArgumentException(model.getClass().getName() + " has no flattened gradient view");
        }
        this.gradients = g;
        DataType type = params.dataType();
        if ((type != DataType.DOUBLE && type != DataType.FLOAT) || gradients.dataType() != type) {
            throw new IllegalArgumentException("parameters of type " + type + " / gradients of type "
                    + gradients.dataType() + "; DOUBLE or FLOAT expected");
        }
        if (params.length() != gradients.length() || params.elementWiseStride() != 1
                || gradients.elementWiseStride() != 1) {
            throw new IllegalArgumentException("the network's flattened parameters and gradients do not match");
        }
        long base = params.offset();
        long address = params.data().address();
        for (Map.Entry<String, INDArray> e : model.paramTable().entrySet()) {
            INDArray v = e.getValue();
            if (v.data().address() != address || v.elementWiseStride() != 1) {
                throw new IllegalArgumentException("parameter " + e.getKey()
                        + " is not a contiguous view of the flattened parameters");
            }
            int n = Math.toIntExact(v.length());
            int offset = Math.toIntExact(v.offset() - base);
            long[] s = v.shape();
            int[] shape = new int[s.length];
            for (int i = 0; i < s.length; i++) {
                shape[i] = Math.toIntExact(s[i]);
            }
            ParameterBlock block = new ParameterBlock(e.getKey(), shape, new double[n], new double[n]);
            entries.add(new Entry(offset, block));
            blocks.add(block);
        }
        pullValues();
    }

    /** Blocks over {@code model}'s parameters (initialised, e.g. after {@code MultiLayerNetwork.init()}). */
    public static NetworkParameters of(Model model) {
        return new NetworkParameters(model);
    }

    public Model model() {
        return model;
    }

    /** The blocks, in the network's parameter order; their values are those of the last pull. */
    public List<ParameterBlock> blocks() {
        return List.copyOf(blocks);
    }

    /** Number of parameters. */
    public long size() {
        return params.length();
    }

    /** Network parameters → block values. */
    public void pullValues() {
        copyOut(params, true);
    }

    /** Network gradients (of the last backward pass) → block gradients. */
    public void pullGradients() {
        copyOut(gradients, false);
    }

    /** Block values → network parameters (after an optimizer step). */
    public void pushValues() {
        if (params.dataType() == DataType.DOUBLE) {
            DoubleBuffer view = NdConversions.doubleView(params);
            for (Entry e : entries) {
                view.put(e.offset(), e.block().values());
            }
        } else {
            FloatBuffer view = NdConversions.floatView(params);
            float[] f = floatScratch();
            for (Entry e : entries) {
                double[] v = e.block().values();
                int o = e.offset();
                for (int i = 0; i < v.length; i++) {
                    f[o + i] = (float) v[i];
                }
                view.put(o, f, o, v.length);
            }
        }
    }

    private float[] floatScratch() {
        if (floatScratch == null) {
            floatScratch = new float[Math.toIntExact(params.length())];
        }
        return floatScratch;
    }

    /** A view (no copy) of the network's flattened parameters ({@code DOUBLE} networks only). */
    public DoubleBuffer valuesView() {
        return NdConversions.doubleView(params);
    }

    /** A view (no copy) of the network's flattened gradients ({@code DOUBLE} networks only). */
    public DoubleBuffer gradientsView() {
        return NdConversions.doubleView(gradients);
    }

    private void copyOut(INDArray flat, boolean values) {
        if (flat.dataType() == DataType.DOUBLE) {
            DoubleBuffer view = NdConversions.doubleView(flat);
            for (Entry e : entries) {
                view.get(e.offset(), values ? e.block().values() : e.block().gradient());
            }
        } else {
            FloatBuffer view = NdConversions.floatView(flat);
            float[] f = floatScratch();
            for (Entry e : entries) {
                double[] out = values ? e.block().values() : e.block().gradient();
                int o = e.offset();
                view.get(o, f, o, out.length);
                for (int i = 0; i < out.length; i++) {
                    out[i] = f[o + i];
                }
            }
        }
    }
}

package org.hybridbench.acoustic;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.hybridbench.api.model.ParameterBlock;

/**
 * The trained frame classifier as one binary file ({@code model-<stage>.bin}, big-endian {@link DataOutputStream}
 * layout): magic {@value #MAGIC}; frames of context; the standardisation (features d, d means, d standard
 * deviations); state names; training frames per state (the priors' counts); the network — {@code "mlp"} with its
 * architecture (hidden sizes, activation, dropout, precision, inputs, outputs) or {@code "other"} with a class name;
 * every parameter block (name, shape, values; DL4J blocks in DL4J's storage order); the training summary as text.
 */
final class ModelFile {
    static final String MAGIC = "hybridbench-acoustic-frame-mlp-1";

    /** What a model file holds besides the parameter values; {@code mlp} is null for another kind of network. */
    record Header(int context, Standardization standardization, List<String> stateNames, long[] counts, MlpNetwork mlp) {
    }

    /** A model file read back: the header and a network of its architecture holding its parameters. */
    record Loaded(int context, Standardization standardization, List<String> stateNames, long[] counts, MlpNetwork network,
            String summary) {
    }

    private ModelFile() {
    }

    static void write(OutputStream os, Header h, List<ParameterBlock> blocks, Map<String, Object> summary) throws IOException {
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os));
        out.writeUTF(MAGIC);
        out.writeInt(h.context());
        writeArray(out, h.standardization().mean());
        writeArray(out, h.standardization().sd());
        out.writeInt(h.stateNames().size());
        for (String s : h.stateNames()) {
            out.writeUTF(s);
        }
        out.writeInt(h.counts().length);
        for (long c : h.counts()) {
            out.writeLong(c);
        }
        if (h.mlp() != null) {
            MlpNetwork.Architecture a = h.mlp().arch;
            out.writeUTF("mlp");
            int[] hidden = a.hidden();
            out.writeInt(hidden.length);
            for (int v : hidden) {
                out.writeInt(v);
            }
            out.writeUTF(a.activation());
            out.writeDouble(a.dropout());
            out.writeBoolean(a.doublePrecision());
            out.writeInt(h.mlp().inputs());
            out.writeInt(h.mlp().outputs());
        } else {
            out.writeUTF("other");
        }
        writeBlocks(out, blocks);
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Object> e : summary.entrySet()) {
            b.append(e.getKey()).append(": ").append(e.getValue()).append('\n');
        }
        byte[] text = b.toString().getBytes(StandardCharsets.UTF_8);
        out.writeInt(text.length);
        out.write(text);
        out.flush();
    }

    /** Reads a model file with an MLP network; {@code source} names it in errors. */
    static Loaded read(InputStream is, String source) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(is));
        String magic = in.readUTF();
        if (!MAGIC.equals(magic)) {
            throw new IOException(source + ": not a frame classifier model (magic '" + magic + "', expected '" + MAGIC + "')");
        }
        int context = in.readInt();
        Standardization std = new Standardization(readArray(in), readArray(in));
        int ns = in.readInt();
        List<String> names = new ArrayList<>(ns);
        for (int i = 0; i < ns; i++) {
            names.add(in.readUTF());
        }
        long[] counts = new long[in.readInt()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = in.readLong();
        }
        String kind = in.readUTF();
        if (!"mlp".equals(kind)) {
            throw new IOException(source + ": the network is of kind '" + kind + "'; only 'mlp' networks can be read back");
        }
        int[] hidden = new int[in.readInt()];
        for (int i = 0; i < hidden.length; i++) {
            hidden[i] = in.readInt();
        }
        String activation = in.readUTF();
        double dropout = in.readDouble();
        boolean dbl = in.readBoolean();
        int inputs = in.readInt();
        int outputs = in.readInt();
        MlpNetwork net = new MlpNetwork(new MlpNetwork.Architecture(hidden, activation, outputs, dropout, dbl), 0);
        net.build(inputs, outputs);
        readBlocks(in, net.parameters(), source);
        byte[] text = new byte[in.readInt()];
        in.readFully(text);
        return new Loaded(context, std, names, counts, net, new String(text, StandardCharsets.UTF_8));
    }

    static void writeBlocks(DataOutputStream out, List<ParameterBlock> blocks) throws IOException {
        out.writeInt(blocks.size());
        for (ParameterBlock b : blocks) {
            out.writeUTF(b.name());
            int[] shape = b.shape();
            out.writeInt(shape.length);
            for (int s : shape) {
                out.writeInt(s);
            }
            writeArray(out, b.copyValues());
        }
    }

    /**
     * Reads blocks into {@code blocks}, which must have the same names and sizes in the same order; a network sees the
     * new values at its next forward pass.
     */
    static void readBlocks(DataInputStream in, List<ParameterBlock> blocks, String source) throws IOException {
        int n = in.readInt();
        if (n != blocks.size()) {
            throw new IOException(source + " has " + n + " parameter blocks, the model " + blocks.size() + " "
                    + blocks.stream().map(ParameterBlock::name).toList());
        }
        for (ParameterBlock b : blocks) {
            String name = in.readUTF();
            int rank = in.readInt();
            for (int i = 0; i < rank; i++) {
                in.readInt();
            }
            double[] v = readArray(in);
            if (!name.equals(b.name()) || v.length != b.size()) {
                throw new IOException(source + ": block " + name + " (" + v.length + " values) does not fit the model's " + b.name() + " ("
                        + b.size() + " values)");
            }
            b.setValues(v, 0);
        }
    }

    static void writeArray(DataOutputStream out, double[] a) throws IOException {
        out.writeInt(a.length);
        for (double d : a) {
            out.writeDouble(d);
        }
    }

    static double[] readArray(DataInputStream in) throws IOException {
        double[] a = new double[in.readInt()];
        for (int i = 0; i < a.length; i++) {
            a[i] = in.readDouble();
        }
        return a;
    }
}

package org.hybridbench.api.model;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checkpoint every gradient-trained stage needs: a step counter, the values of its parameter blocks and the
 * optimizer's state, so that a resumed run continues exactly where the interrupted one stopped. One format for all
 * trainers (big-endian {@link DataOutputStream}: magic, step, blocks as name + values, optimizer state as key +
 * values); the magic names the trainer so one stage never reads another's checkpoint.
 */
public final class TrainingCheckpoint {

    private TrainingCheckpoint() {
    }

    /** Writes magic, {@code step}, every block's values and {@code optimizer}'s state (if any). */
    public static void write(OutputStream os, String magic, int step, List<ParameterBlock> blocks, Optimizer optimizer)
            throws IOException {
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os));
        out.writeUTF(magic);
        out.writeInt(step);
        out.writeInt(blocks.size());
        for (ParameterBlock b : blocks) {
            out.writeUTF(b.name());
            writeArray(out, b.copyValues());
        }
        Map<String, double[]> state = optimizer == null ? Map.of() : optimizer.state();
        out.writeInt(state.size());
        for (Map.Entry<String, double[]> e : state.entrySet()) {
            out.writeUTF(e.getKey());
            writeArray(out, e.getValue());
        }
        out.flush();
    }

    /**
     * Reads a checkpoint written by {@link #write} into {@code blocks} (same names and sizes, same order) and
     * {@code optimizer} (reset, then restored).
     *
     * @return the step it was written after
     * @throws IOException naming {@code source} and the first block that does not fit
     */
    public static int read(InputStream is, String magic, List<ParameterBlock> blocks, Optimizer optimizer, String source)
            throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(is));
        String found = in.readUTF();
        if (!magic.equals(found)) {
            throw new IOException(source + ": not a checkpoint of this trainer ('" + found + "', expected '" + magic + "')");
        }
        int step = in.readInt();
        int n = in.readInt();
        if (n != blocks.size()) {
            throw new IOException(source + " has " + n + " parameter blocks, the model " + blocks.size() + " "
                    + blocks.stream().map(ParameterBlock::name).toList());
        }
        for (ParameterBlock b : blocks) {
            String name = in.readUTF();
            double[] v = readArray(in);
            if (!name.equals(b.name()) || v.length != b.size()) {
                throw new IOException(source + ": block " + name + " (" + v.length + " values) does not fit the model's "
                        + b.name() + " (" + b.size() + " values)");
            }
            b.setValues(v, 0);
        }
        int s = in.readInt();
        Map<String, double[]> state = new LinkedHashMap<>();
        for (int i = 0; i < s; i++) {
            state.put(in.readUTF(), readArray(in));
        }
        if (optimizer != null) {
            optimizer.reset();
            optimizer.restore(state);
        }
        return step;
    }

    private static void writeArray(DataOutputStream out, double[] a) throws IOException {
        out.writeInt(a.length);
        for (double d : a) {
            out.writeDouble(d);
        }
    }

    private static double[] readArray(DataInputStream in) throws IOException {
        double[] a = new double[in.readInt()];
        for (int i = 0; i < a.length; i++) {
            a[i] = in.readDouble();
        }
        return a;
    }
}

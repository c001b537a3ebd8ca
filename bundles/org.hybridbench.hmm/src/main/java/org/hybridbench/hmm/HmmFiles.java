package org.hybridbench.hmm;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.hybridbench.api.model.EmissionModel;
import org.hybridbench.api.model.ParameterBlock;

/**
 * The files of the HMM stages: the JSON model file and the binary checkpoint.
 *
 * <p><b>Model file, format {@code hybridbench.hmm} version 1</b> (UTF-8 JSON):
 * <pre>
 * {"format":"hybridbench.hmm","version":1,
 *  "states":K,"dimension":d,
 *  "initial":[K probabilities π_i],
 *  "transitions":[[K] × K],            row i = from state i; rows sum to 1 within 1e-9
 *  "emission":{"class":"…","freeParameters":p,
 *              "parameters":{"NAME":{"shape":[…],"values":[…]}, …}},   the emission model's parameter blocks
 *  "training":{…}}                      free-form: method, iterations, converged, logLikelihood, aic, bic, …
 * </pre>
 * Numbers are written as Java's shortest exact decimal, so reading gives back the same doubles; a non-finite value
 * is written as the string "NaN", "Infinity" or "-Infinity". The emission's parameters are its
 * {@link EmissionModel#parameters() parameter blocks} in their own parametrisation (documented by each emission
 * class, e.g. precision Cholesky factors for Gaussians), so any emission model round-trips: {@link #read} loads
 * them into an emission model of the same class and shape.
 */
public final class HmmFiles {
    public static final String FORMAT = "hybridbench.hmm";
    public static final int VERSION = 1;
    private static final long MAGIC = 0x48424d484d4d4331L; // "HBMHMMC1"
    /** Version 2 added the training method, the trainer's resume state and the optimizer's state. */
    static final int CHECKPOINT_VERSION = 2;

    private HmmFiles() {
    }

    public static void write(OutputStream out, HiddenMarkovModel m, Map<String, Object> training) throws IOException {
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        int k = m.numStates();
        EmissionModel e = m.emission();
        w.write("{\"format\":\"" + FORMAT + "\",\"version\":" + VERSION + ",\n\"states\":" + k + ",\"dimension\":" + e.dimension()
                + ",\n\"initial\":");
        array(w, m.initial, 0, k);
        w.write(",\n\"transitions\":[");
        for (int i = 0; i < k; i++) {
            w.write(i == 0 ? "\n" : ",\n");
            array(w, m.transitions, i * k, k);
        }
        w.write("],\n\"emission\":{\"class\":" + Json.quote(e.getClass().getName()) + ",\"freeParameters\":" + e.freeParameters()
                + ",\"parameters\":{");
        boolean first = true;
        for (ParameterBlock b : e.parameters()) {
            w.write((first ? "\n" : ",\n") + Json.quote(b.name()) + ":{\"shape\":" + Arrays.toString(b.shape()).replace(" ", "")
                    + ",\"values\":");
            first = false;
            array(w, b.values(), 0, b.size());
            w.write('}');
        }
        w.write("}},\n\"training\":{");
        first = true;
        for (Map.Entry<String, Object> en : training.entrySet()) {
            w.write((first ? "" : ",") + Json.quote(en.getKey()) + ":");
            first = false;
            Object v = en.getValue();
            if (v instanceof Double dv) {
                w.write(Json.number(dv));
            } else if (v instanceof Number || v instanceof Boolean) {
                w.write(String.valueOf(v));
            } else {
                w.write(Json.quote(String.valueOf(v)));
            }
        }
        w.write("}}\n");
        w.flush();
    }

    private static void array(Writer w, double[] a, int from, int len) throws IOException {
        w.write('[');
        for (int i = 0; i < len; i++) {
            if (i > 0) {
                w.write(',');
            }
            w.write(Json.number(a[from + i]));
        }
        w.write(']');
    }

    /**
     * Reads a model file into a model over {@code emission}, whose parameter blocks receive the stored values; the
     * emission must be of the stored class with blocks of the stored names and shapes.
     */
    @SuppressWarnings("unchecked")
    public static HiddenMarkovModel read(InputStream in, EmissionModel emission) throws IOException {
        Object root = Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        if (!(root instanceof Map<?, ?> m) || !FORMAT.equals(m.get("format"))) {
            throw new IOException("not a " + FORMAT + " model file");
        }
        Map<String, Object> f = (Map<String, Object>) m;
        int version = (int) Json.toDouble(f.get("version"));
        if (version != VERSION) {
            throw new IOException("model file version " + version + ", this bundle reads version " + VERSION);
        }
        int k = (int) Json.toDouble(f.get("states"));
        Map<String, Object> em = (Map<String, Object>) f.get("emission");
        if (!emission.getClass().getName().equals(em.get("class"))) {
            throw new IOException("the model file's emission is " + em.get("class") + ", not " + emission.getClass().getName());
        }
        Map<String, Object> params = (Map<String, Object>) em.get("parameters");
        for (ParameterBlock b : emission.parameters()) {
            Map<String, Object> stored = (Map<String, Object>) params.get(b.name());
            if (stored == null) {
                throw new IOException("the model file has no emission parameter block '" + b.name() + "' (has " + params.keySet() + ")");
            }
            List<Object> shape = (List<Object>) stored.get("shape");
            int[] s = shape.stream().mapToInt(o -> (int) Json.toDouble(o)).toArray();
            if (!Arrays.equals(s, b.shape())) {
                throw new IOException("emission block '" + b.name() + "' has shape " + Arrays.toString(s) + " in the file, "
                        + Arrays.toString(b.shape()) + " in the model");
            }
            List<Object> values = (List<Object>) stored.get("values");
            for (int i = 0; i < b.size(); i++) {
                b.values()[i] = Json.toDouble(values.get(i));
            }
        }
        double[] pi = doubles((List<Object>) f.get("initial"));
        List<Object> rows = (List<Object>) f.get("transitions");
        double[][] a = new double[rows.size()][];
        for (int i = 0; i < a.length; i++) {
            a[i] = doubles((List<Object>) rows.get(i));
        }
        if (pi.length != k) {
            throw new IOException("\"states\" is " + k + " but \"initial\" has " + pi.length + " entries");
        }
        return new HiddenMarkovModel(pi, a, emission);
    }

    private static double[] doubles(List<Object> l) {
        return l.stream().mapToDouble(Json::toDouble).toArray();
    }

    /**
     * A checkpoint: the model after {@code iteration} updates, the objective before the last update, the training
     * method, {@link HmmTrainer#resumeState()} and the optimizer's {@code state()} (both empty unless gradient).
     */
    record Checkpoint(int iteration, double previousObjective, double[] initial, double[] transitions, double[][] emission,
            String method, Map<String, double[]> trainerState, Map<String, double[]> optimizerState) {
    }

    static void writeCheckpoint(OutputStream out, HiddenMarkovModel m, int iteration, double previous, String method,
            Map<String, double[]> trainerState, Map<String, double[]> optimizerState) throws IOException {
        DataOutputStream o = new DataOutputStream(out);
        o.writeLong(MAGIC);
        o.writeInt(CHECKPOINT_VERSION);
        o.writeInt(iteration);
        o.writeDouble(previous);
        o.writeInt(m.numStates());
        for (double v : m.initial) {
            o.writeDouble(v);
        }
        for (double v : m.transitions) {
            o.writeDouble(v);
        }
        List<ParameterBlock> blocks = m.emission().parameters();
        o.writeInt(blocks.size());
        for (ParameterBlock b : blocks) {
            o.writeUTF(b.name());
            o.writeInt(b.size());
            for (double v : b.values()) {
                o.writeDouble(v);
            }
        }
        o.writeUTF(method);
        writeState(o, trainerState);
        writeState(o, optimizerState);
        o.flush();
    }

    private static void writeState(DataOutputStream o, Map<String, double[]> state) throws IOException {
        o.writeInt(state.size());
        for (Map.Entry<String, double[]> en : state.entrySet()) {
            o.writeUTF(en.getKey());
            o.writeInt(en.getValue().length);
            for (double v : en.getValue()) {
                o.writeDouble(v);
            }
        }
    }

    private static Map<String, double[]> readState(DataInputStream i) throws IOException {
        int n = i.readInt();
        Map<String, double[]> state = new LinkedHashMap<>();
        for (int e = 0; e < n; e++) {
            String name = i.readUTF();
            double[] v = new double[i.readInt()];
            for (int j = 0; j < v.length; j++) {
                v[j] = i.readDouble();
            }
            state.put(name, v);
        }
        return state;
    }

    static Checkpoint readCheckpoint(InputStream in) throws IOException {
        DataInputStream i = new DataInputStream(in);
        if (i.readLong() != MAGIC) {
            throw new IOException("not a model.hmm.fit checkpoint");
        }
        // version 1 (no method, no optimizer state) is refused: resuming a gradient run from it would silently restart
        // the optimizer's moments
        int version = i.readInt();
        if (version != CHECKPOINT_VERSION) {
            throw new IOException("model.hmm.fit checkpoint version " + version + ", this bundle reads version " + CHECKPOINT_VERSION);
        }
        int iteration = i.readInt();
        double prev = i.readDouble();
        int k = i.readInt();
        double[] pi = new double[k];
        for (int j = 0; j < k; j++) {
            pi[j] = i.readDouble();
        }
        double[] a = new double[k * k];
        for (int j = 0; j < k * k; j++) {
            a[j] = i.readDouble();
        }
        int nb = i.readInt();
        double[][] blocks = new double[nb][];
        for (int b = 0; b < nb; b++) {
            i.readUTF();
            blocks[b] = new double[i.readInt()];
            for (int j = 0; j < blocks[b].length; j++) {
                blocks[b][j] = i.readDouble();
            }
        }
        String method = i.readUTF();
        Map<String, double[]> trainerState = readState(i);
        Map<String, double[]> optimizerState = readState(i);
        return new Checkpoint(iteration, prev, pi, a, blocks, method, trainerState, optimizerState);
    }

    /** Puts a checkpoint's parameters into {@code m}; false if it does not fit the model's shape. */
    static boolean restore(Checkpoint cp, HiddenMarkovModel m) {
        List<ParameterBlock> blocks = m.emission().parameters();
        if (cp.initial().length != m.numStates() || blocks.size() != cp.emission().length) {
            return false;
        }
        for (int b = 0; b < blocks.size(); b++) {
            if (blocks.get(b).size() != cp.emission()[b].length) {
                return false;
            }
        }
        System.arraycopy(cp.initial(), 0, m.initial, 0, m.numStates());
        System.arraycopy(cp.transitions(), 0, m.transitions, 0, m.transitions.length);
        for (int b = 0; b < blocks.size(); b++) {
            System.arraycopy(cp.emission()[b], 0, blocks.get(b).values(), 0, cp.emission()[b].length);
        }
        return true;
    }
}

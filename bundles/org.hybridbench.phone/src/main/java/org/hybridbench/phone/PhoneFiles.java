package org.hybridbench.phone;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.hybridbench.api.model.ParameterBlock;

/**
 * The checkpoint of {@code model.phone.hmm} (binary: updates done, the last log-likelihood, the self-loops and
 * every emission parameter block as exact doubles) and its model file {@code model-<stage>.json}.
 */
final class PhoneFiles {
    private static final String MAGIC = "hybridbench.phone-hmm.checkpoint";
    private static final int VERSION = 1;

    private PhoneFiles() {
    }

    record Checkpoint(int updates, double logLikelihood, double[] selfLoops, double[][] emission) {
    }

    static void writeCheckpoint(OutputStream out, PhoneModelSet m, int updates, double logLikelihood) throws IOException {
        DataOutputStream o = new DataOutputStream(out);
        o.writeUTF(MAGIC);
        o.writeInt(VERSION);
        o.writeInt(updates);
        o.writeDouble(logLikelihood);
        double[] a = m.selfLoops();
        o.writeInt(a.length);
        for (double v : a) {
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
        o.flush();
    }

    static Checkpoint readCheckpoint(InputStream in) throws IOException {
        DataInputStream i = new DataInputStream(in);
        String magic = i.readUTF();
        int version = i.readInt();
        if (!magic.equals(MAGIC) || version != VERSION) {
            throw new IOException("not a phone-HMM checkpoint of version " + VERSION + ": " + magic + " v" + version);
        }
        int updates = i.readInt();
        double ll = i.readDouble();
        double[] a = new double[i.readInt()];
        for (int j = 0; j < a.length; j++) {
            a[j] = i.readDouble();
        }
        double[][] blocks = new double[i.readInt()][];
        for (int b = 0; b < blocks.length; b++) {
            i.readUTF();
            blocks[b] = new double[i.readInt()];
            for (int j = 0; j < blocks[b].length; j++) {
                blocks[b][j] = i.readDouble();
            }
        }
        return new Checkpoint(updates, ll, a, blocks);
    }

    /** Puts a checkpoint into {@code m}; false if its shapes differ from the model's. */
    static boolean restore(Checkpoint cp, PhoneModelSet m) {
        List<ParameterBlock> blocks = m.emission().parameters();
        if (cp.selfLoops().length != m.numStates() || cp.emission().length != blocks.size()) {
            return false;
        }
        for (int b = 0; b < blocks.size(); b++) {
            if (blocks.get(b).size() != cp.emission()[b].length) {
                return false;
            }
        }
        m.setSelfLoops(cp.selfLoops());
        for (int b = 0; b < blocks.size(); b++) {
            System.arraycopy(cp.emission()[b], 0, blocks.get(b).values(), 0, cp.emission()[b].length);
        }
        return true;
    }

    /**
     * {@code {"format":"hybridbench.phone-hmm","version":1,"phones":[…],"statesPerPhone":S,"selfLoops":[[S]×P],
     * "emission":{"class","states","dimension","freeParameters","parameters":{NAME:{"shape","values"}}},
     * "training":{…}}}; numbers are Java's shortest exact decimals.
     */
    static void write(OutputStream out, PhoneModelSet m, Map<String, Object> training) throws IOException {
        StringBuilder s = new StringBuilder(1 << 16);
        s.append("{\"format\":\"hybridbench.phone-hmm\",\"version\":1,\"phones\":[");
        for (int p = 0; p < m.numPhones(); p++) {
            s.append(p > 0 ? "," : "").append(string(m.phones().get(p)));
        }
        s.append("],\"statesPerPhone\":").append(m.statesPerPhone()).append(",\"selfLoops\":[");
        for (int p = 0; p < m.numPhones(); p++) {
            s.append(p > 0 ? "," : "").append('[');
            for (int i = 0; i < m.statesPerPhone(); i++) {
                s.append(i > 0 ? "," : "").append(number(m.selfLoop(p, i)));
            }
            s.append(']');
        }
        s.append("],\"emission\":{\"class\":").append(string(m.emission().getClass().getName())).append(",\"states\":")
                .append(m.emission().numStates()).append(",\"dimension\":").append(m.emission().dimension())
                .append(",\"freeParameters\":").append(m.emission().freeParameters()).append(",\"parameters\":{");
        List<ParameterBlock> blocks = m.emission().parameters();
        for (int b = 0; b < blocks.size(); b++) {
            ParameterBlock pb = blocks.get(b);
            s.append(b > 0 ? "," : "").append(string(pb.name())).append(":{\"shape\":[");
            int[] shape = pb.shape();
            for (int i = 0; i < shape.length; i++) {
                s.append(i > 0 ? "," : "").append(shape[i]);
            }
            s.append("],\"values\":[");
            double[] v = pb.values();
            for (int i = 0; i < v.length; i++) {
                s.append(i > 0 ? "," : "").append(number(v[i]));
            }
            s.append("]}");
        }
        s.append("}},\"training\":{");
        boolean first = true;
        for (Map.Entry<String, Object> e : training.entrySet()) {
            s.append(first ? "" : ",").append(string(e.getKey())).append(':');
            Object v = e.getValue();
            s.append(v instanceof Double d ? number(d) : v instanceof Number || v instanceof Boolean ? v.toString() : string(String.valueOf(v)));
            first = false;
        }
        s.append("}}\n");
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        w.write(s.toString());
        w.flush();
    }

    private static String number(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "\"" + v + "\"";
    }

    static String string(String v) {
        StringBuilder s = new StringBuilder("\"");
        for (char c : v.toCharArray()) {
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                default -> {
                    if (c < 0x20) {
                        s.append(String.format("\\u%04x", (int) c));
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        return s.append('"').toString();
    }
}

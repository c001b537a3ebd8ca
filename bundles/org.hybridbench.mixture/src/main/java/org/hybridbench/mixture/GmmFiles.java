package org.hybridbench.mixture;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The files of {@code model.gmm.em}: the binary checkpoint (exact doubles, so a resumed run continues to
 * bit-for-bit the same result) and the JSON model file.
 *
 * <p><b>Model file {@code model-gmm.json}, format {@code hybridbench.gmm} version 1:</b>
 * <pre>
 * {"format":"hybridbench.gmm","version":1,
 *  "covariance":"spherical"|"diagonal"|"full","components":K,"dimension":d,"covarianceFloor":f,
 *  "weights":[K mixing weights π_k],
 *  "means":[[d] × K],
 *  "covariances": spherical: [K variances]; diagonal: [[d variances] × K]; full: [[[d] × d] × K],
 *  "training":{"dataset":…,"rows":n,"iterations":…,"converged":…,"meanLogLikelihood":…,"bic":…,
 *              "init":…,"seed":…,"reseeds":…}}
 * </pre>
 * The density of a row y is Σ_k π_k N(y | μ_k, Σ_k); numbers are written with Java's shortest exact
 * representation, so reading them back gives the same doubles.
 */
final class GmmFiles {
    private static final long MAGIC = 0x48424d4d47434b31L; // "HBMMGCK1"
    private static final int VERSION = 1;

    private GmmFiles() {
    }

    /** What a checkpoint holds: the model after {@code iteration} M-steps and the log-likelihood before the last one. */
    record Checkpoint(GaussianMixture model, int iteration, double previousMeanLogLik, int reseeds, int rows) {
    }

    static void writeCheckpoint(OutputStream out, Checkpoint cp) throws IOException {
        DataOutputStream o = new DataOutputStream(out);
        GaussianMixture m = cp.model();
        o.writeLong(MAGIC);
        o.writeInt(VERSION);
        o.writeInt(cp.rows());
        o.writeInt(m.numStates());
        o.writeInt(m.dimension());
        o.writeUTF(m.covarianceType().configName());
        o.writeDouble(m.covarianceFloor());
        o.writeInt(cp.iteration());
        o.writeDouble(cp.previousMeanLogLik());
        o.writeInt(cp.reseeds());
        for (double[] a : new double[][] {m.weights, m.means, m.covariances}) {
            for (double v : a) {
                o.writeDouble(v);
            }
        }
        o.flush();
    }

    static Checkpoint readCheckpoint(InputStream in) throws IOException {
        DataInputStream i = new DataInputStream(in);
        if (i.readLong() != MAGIC) {
            throw new IOException("not a model.gmm.em checkpoint");
        }
        int version = i.readInt();
        if (version != VERSION) {
            throw new IOException("checkpoint version " + version + ", this bundle reads version " + VERSION);
        }
        int rows = i.readInt();
        int k = i.readInt();
        int d = i.readInt();
        CovarianceType type = CovarianceType.fromConfig(i.readUTF());
        GaussianMixture m = new GaussianMixture(k, d, type, i.readDouble());
        int iteration = i.readInt();
        double prev = i.readDouble();
        int reseeds = i.readInt();
        for (double[] a : new double[][] {m.weights, m.means, m.covariances}) {
            for (int j = 0; j < a.length; j++) {
                a[j] = i.readDouble();
            }
        }
        return new Checkpoint(m, iteration, prev, reseeds, rows);
    }

    static void writeJson(OutputStream out, GaussianMixture m, Map<String, Object> training) throws IOException {
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        int k = m.numStates();
        int d = m.dimension();
        w.write("{\"format\":\"hybridbench.gmm\",\"version\":1,\n\"covariance\":\"" + m.covarianceType().configName()
                + "\",\"components\":" + k + ",\"dimension\":" + d + ",\"covarianceFloor\":" + m.covarianceFloor() + ",\n");
        w.write("\"weights\":");
        array(w, m.weights, 0, k);
        w.write(",\n\"means\":[");
        for (int c = 0; c < k; c++) {
            w.write(c == 0 ? "\n" : ",\n");
            array(w, m.means, c * d, d);
        }
        w.write("],\n\"covariances\":");
        switch (m.covarianceType()) {
            case SPHERICAL -> array(w, m.covariances, 0, k);
            case DIAGONAL -> {
                w.write('[');
                for (int c = 0; c < k; c++) {
                    w.write(c == 0 ? "\n" : ",\n");
                    array(w, m.covariances, c * d, d);
                }
                w.write(']');
            }
            case FULL -> {
                w.write('[');
                for (int c = 0; c < k; c++) {
                    w.write(c == 0 ? "\n[" : ",\n[");
                    for (int i = 0; i < d; i++) {
                        w.write(i == 0 ? "" : ",");
                        array(w, m.covariances, c * d * d + i * d, d);
                    }
                    w.write(']');
                }
                w.write(']');
            }
        }
        w.write(",\n\"training\":{");
        boolean first = true;
        for (Map.Entry<String, Object> e : training.entrySet()) {
            w.write((first ? "" : ",") + "\"" + e.getKey() + "\":");
            first = false;
            Object v = e.getValue();
            if (v instanceof Number || v instanceof Boolean) {
                w.write(String.valueOf(v));
            } else {
                w.write("\"" + String.valueOf(v).replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
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
            w.write(Double.toString(a[from + i]));
        }
        w.write(']');
    }
}

package org.hybridbench.transform;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.hybridbench.api.PortTypes;
import org.hybridbench.api.RunContext;
import org.hybridbench.api.Stage;
import org.hybridbench.api.StageException;
import org.hybridbench.api.StageIO;
import org.hybridbench.api.data.Dataset;
import org.hybridbench.api.data.Matrix;

/**
 * One run of {@code transform.pca}. With the sample covariance C = V Λ Vᵀ (eigenvalues λ₁ ≥ λ₂ ≥ …), each row
 * becomes y = V_kᵀ (x − μ), or with whitening y_j = v_jᵀ(x − μ) / √λ_j (Bishop PRML §12.1, eq. 12.24), so the
 * outputs are uncorrelated with variances λ_j (or 1). Eigenvectors are sign-normalised (largest |entry|
 * positive) so the output does not depend on the eigensolver's arbitrary signs.
 */
final class PcaStage implements Stage {
    /** Whitening divides by √max(λ_j, this × λ₁), so a (numerically) zero-variance component does not explode. */
    static final double WHITEN_RELATIVE_FLOOR = 1e-10;

    private final int components;
    private final boolean whiten;

    PcaStage(int components, boolean whiten) {
        this.components = components;
        this.whiten = whiten;
    }

    /** The fitted projection: mean, the k leading eigenvectors (k × d, row-major) and all d eigenvalues. */
    record Fit(double[] mean, double[] vectors, double[] eigenvalues, int k, int d) {
    }

    static Fit fit(Matrix x, int k) {
        int d = x.cols();
        double[] mean = Columns.mean(x);
        double[] c = Columns.covariance(x, mean);
        double[][] rows = new double[d][];
        for (int i = 0; i < d; i++) {
            rows[i] = Arrays.copyOfRange(c, i * d, (i + 1) * d);
        }
        RealMatrix cov = new Array2DRowRealMatrix(rows, false);
        EigenDecomposition eig = new EigenDecomposition(cov);
        double[] values = eig.getRealEigenvalues();
        Integer[] order = IntStream.range(0, d).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> values[i]).reversed());
        double[] sorted = new double[d];
        double[] vectors = new double[k * d];
        for (int j = 0; j < d; j++) {
            // A covariance is positive semi-definite; tiny negative eigenvalues are round-off.
            sorted[j] = Math.max(0, values[order[j]]);
        }
        for (int j = 0; j < k; j++) {
            double[] v = eig.getEigenvector(order[j]).toArray();
            int big = 0;
            for (int i = 1; i < d; i++) {
                if (Math.abs(v[i]) > Math.abs(v[big])) {
                    big = i;
                }
            }
            double sign = v[big] < 0 ? -1 : 1;
            for (int i = 0; i < d; i++) {
                vectors[j * d + i] = sign * v[i];
            }
        }
        return new Fit(mean, vectors, sorted, k, d);
    }

    static Matrix project(Matrix x, Fit fit, boolean whiten) {
        int n = x.rows();
        int d = fit.d();
        int k = fit.k();
        double[] a = x.data();
        double[] scale = new double[k];
        for (int j = 0; j < k; j++) {
            scale[j] = whiten ? 1 / Math.sqrt(Math.max(fit.eigenvalues()[j], WHITEN_RELATIVE_FLOOR * fit.eigenvalues()[0])) : 1;
        }
        double[] out = new double[n * k];
        double[] centred = new double[d];
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < d; i++) {
                centred[i] = a[r * d + i] - fit.mean()[i];
            }
            for (int j = 0; j < k; j++) {
                double s = 0;
                int off = j * d;
                for (int i = 0; i < d; i++) {
                    s += fit.vectors()[off + i] * centred[i];
                }
                out[r * k + j] = s * scale[j];
            }
        }
        return new Matrix(n, k, out);
    }

    @Override
    public void run(StageIO io, RunContext context) throws Exception {
        Dataset in = io.input("dataset", PortTypes.DATASET);
        Columns.checkUsable("transform.pca", in);
        if (components > in.features().cols()) {
            throw new StageException("transform.pca: components = " + components + " but data set " + in.name() + " has only "
                    + in.features().cols() + " columns");
        }
        long t0 = System.nanoTime();
        Fit fit = fit(in.features(), components);
        Matrix y = project(in.features(), fit, whiten);
        double total = Arrays.stream(fit.eigenvalues()).sum();
        double cumulative = 0;
        for (int j = 0; j < components; j++) {
            double ratio = total > 0 ? fit.eigenvalues()[j] / total : 0;
            cumulative += ratio;
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("eigenvalue", fit.eigenvalues()[j]);
            m.put("explainedVarianceRatio", ratio);
            m.put("cumulativeExplainedVarianceRatio", cumulative);
            context.metrics(j + 1, m);
        }
        context.log(String.format("PCA %d -> %d dimensions%s: %.1f%% of the variance kept (%.2f s)", fit.d(), components,
                whiten ? ", whitened" : "", 100 * cumulative, (System.nanoTime() - t0) / 1e9));
        context.saveArtifact(context.stageName() + "-pca.json", out -> writeJson(out, fit, whiten, in.name()));
        io.output("dataset", PortTypes.DATASET, in.withFeatures(in.name() + "|pca" + components + (whiten ? "w" : ""), y));
    }

    /**
     * The fitted projection, so it can be re-applied: {"format":"hybridbench.pca","version":1,"whiten":…,
     * "dimension":d,"components":k,"mean":[d],"eigenvalues":[d, descending],"vectors":[[d] × k]}.
     */
    static void writeJson(OutputStream out, Fit fit, boolean whiten, String source) throws IOException {
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        w.write("{\"format\":\"hybridbench.pca\",\"version\":1,\"source\":\"" + source.replace("\\", "\\\\").replace("\"", "\\\"")
                + "\",\"whiten\":" + whiten + ",\"dimension\":" + fit.d() + ",\"components\":" + fit.k() + ",\n\"mean\":");
        array(w, fit.mean(), 0, fit.d());
        w.write(",\n\"eigenvalues\":");
        array(w, fit.eigenvalues(), 0, fit.d());
        w.write(",\n\"vectors\":[");
        for (int j = 0; j < fit.k(); j++) {
            w.write(j == 0 ? "\n" : ",\n");
            array(w, fit.vectors(), j * fit.d(), fit.d());
        }
        w.write("]}\n");
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

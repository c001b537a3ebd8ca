package org.hybridbench.transform;

import java.util.Map;

import org.hybridbench.api.PortTypes;
import org.hybridbench.api.RunContext;
import org.hybridbench.api.Stage;
import org.hybridbench.api.StageIO;
import org.hybridbench.api.data.Dataset;
import org.hybridbench.api.data.Matrix;

/** One run of {@code transform.standardize}: z = (x − μ) / max(σ, floor), σ the population standard deviation. */
final class StandardizeStage implements Stage {
    private final double floor;

    StandardizeStage(double floor) {
        this.floor = floor;
    }

    /** Standardises {@code x}; returns the new matrix and writes into {@code floored[0]} how many columns hit the floor. */
    static Matrix standardize(Matrix x, double floor, int[] floored) {
        int n = x.rows();
        int d = x.cols();
        double[] a = x.data();
        double[] mean = Columns.mean(x);
        double[] var = new double[d];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < d; j++) {
                double c = a[r * d + j] - mean[j];
                var[j] += c * c;
            }
        }
        double[] inv = new double[d];
        int count = 0;
        for (int j = 0; j < d; j++) {
            double sd = Math.sqrt(var[j] / n);
            if (!(sd > floor)) {
                count++;
            }
            // floor = 0 and a constant column: centring gives exact zeros, keep them (0 × ∞ would be NaN).
            double s = Math.max(sd, floor);
            inv[j] = s > 0 ? 1 / s : 0;
        }
        double[] out = new double[n * d];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < d; j++) {
                out[r * d + j] = (a[r * d + j] - mean[j]) * inv[j];
            }
        }
        floored[0] = count;
        return new Matrix(n, d, out);
    }

    @Override
    public void run(StageIO io, RunContext context) throws Exception {
        Dataset in = io.input("dataset", PortTypes.DATASET);
        Columns.checkUsable("transform.standardize", in);
        int[] floored = new int[1];
        Matrix z = standardize(in.features(), floor, floored);
        context.metrics(0, Map.of("flooredColumns", floored[0], "columns", z.cols()));
        context.log("standardized " + z.cols() + " columns of " + in.name() + (floored[0] > 0
                ? "; " + floored[0] + " with standard deviation at most " + floor + " were divided by that floor" : ""));
        io.output("dataset", PortTypes.DATASET, in.withFeatures(in.name() + "|std", z));
    }
}

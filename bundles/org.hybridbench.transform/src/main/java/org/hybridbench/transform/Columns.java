package org.hybridbench.transform;

import org.hybridbench.api.StageException;
import org.hybridbench.api.data.Dataset;
import org.hybridbench.api.data.Matrix;

/** Column statistics shared by the transforms. */
final class Columns {
    private Columns() {
    }

    /** Rejects data a transform cannot use, naming the row and column. */
    static void checkUsable(String stage, Dataset data) throws StageException {
        Matrix x = data.features();
        if (x.rows() < 2) {
            throw new StageException(stage + ": data set " + data.name() + " has " + x.rows() + " rows; at least 2 are needed");
        }
        int[] bad = x.firstNonFinite();
        if (bad != null) {
            throw new StageException(stage + ": data set " + data.name() + " has a non-finite value (" + x.get(bad[0], bad[1])
                    + ") at row " + bad[0] + ", column " + bad[1]);
        }
    }

    static double[] mean(Matrix x) {
        int n = x.rows();
        int d = x.cols();
        double[] a = x.data();
        double[] mean = new double[d];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < d; j++) {
                mean[j] += a[r * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        return mean;
    }

    /**
     * The sample covariance (divisor n − 1), d × d row-major, computed on centred rows (two-pass: no
     * cancellation from E[x²] − E[x]² when the data sit far from the origin). Accumulated as rank-one updates
     * of the upper triangle, an inner loop over contiguous memory that the JIT vectorises.
     */
    static double[] covariance(Matrix x, double[] mean) {
        int n = x.rows();
        int d = x.cols();
        double[] a = x.data();
        double[] c = new double[d * d];
        double[] row = new double[d];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < d; j++) {
                row[j] = a[r * d + j] - mean[j];
            }
            for (int i = 0; i < d; i++) {
                double v = row[i];
                if (v == 0) {
                    continue;
                }
                int off = i * d;
                for (int j = i; j < d; j++) {
                    c[off + j] += v * row[j];
                }
            }
        }
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                c[i * d + j] /= n - 1;
                c[j * d + i] = c[i * d + j];
            }
        }
        return c;
    }
}

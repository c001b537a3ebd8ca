package org.hybridbench.emission;

import java.util.random.RandomGenerator;

import org.hybridbench.api.data.Matrix;

/** k-means++ seeding (Arthur &amp; Vassilvitskii 2007) and Lloyd iterations, for initialising emission models. */
final class KMeans {
    private KMeans() {
    }

    /** {@code n} centres; works on at most {@code maxRows} rows drawn with replacement when the data is larger. */
    static double[][] centres(Matrix data, int n, int iterations, int maxRows, RandomGenerator rng) {
        int d = data.cols();
        int rows = data.rows();
        int use = Math.min(rows, maxRows);
        double[] x = new double[use * d];
        for (int r = 0; r < use; r++) {
            int src = use == rows ? r : rng.nextInt(rows);
            System.arraycopy(data.data(), src * d, x, r * d, d);
        }
        double[][] c = new double[n][];
        double[] dist = new double[use];
        c[0] = row(x, rng.nextInt(use), d);
        java.util.Arrays.fill(dist, Double.POSITIVE_INFINITY);
        for (int j = 1; j < n; j++) {
            double total = 0;
            for (int r = 0; r < use; r++) {
                dist[r] = Math.min(dist[r], sq(x, r, c[j - 1], d));
                total += dist[r];
            }
            int pick = use - 1;
            if (total > 0) {
                double u = rng.nextDouble() * total;
                for (int r = 0; r < use; r++) {
                    if ((u -= dist[r]) < 0) {
                        pick = r;
                        break;
                    }
                }
            } else {
                pick = rng.nextInt(use);
            }
            c[j] = row(x, pick, d);
        }
        int[] assign = new int[use];
        for (int it = 0; it < iterations; it++) {
            double[][] sum = new double[n][d];
            int[] count = new int[n];
            for (int r = 0; r < use; r++) {
                int best = 0;
                double bd = Double.POSITIVE_INFINITY;
                for (int j = 0; j < n; j++) {
                    double s = sq(x, r, c[j], d);
                    if (s < bd) {
                        bd = s;
                        best = j;
                    }
                }
                assign[r] = best;
                count[best]++;
                for (int a = 0; a < d; a++) {
                    sum[best][a] += x[r * d + a];
                }
            }
            for (int j = 0; j < n; j++) {
                if (count[j] > 0) { // an empty cluster keeps its centre
                    for (int a = 0; a < d; a++) {
                        c[j][a] = sum[j][a] / count[j];
                    }
                }
            }
        }
        return c;
    }

    /** The mean of the rows. */
    static double[] mean(Matrix data) {
        int d = data.cols();
        int n = data.rows();
        double[] mean = new double[d];
        double[] y = data.data();
        for (int r = 0; r < n; r++) {
            for (int a = 0; a < d; a++) {
                mean[a] += y[r * d + a];
            }
        }
        for (int a = 0; a < d; a++) {
            mean[a] /= n;
        }
        return mean;
    }

    /** The (biased) sample covariance of the rows, d × d. */
    static double[] covariance(Matrix data) {
        int d = data.cols();
        int n = data.rows();
        double[] mean = new double[d];
        double[] y = data.data();
        for (int r = 0; r < n; r++) {
            for (int a = 0; a < d; a++) {
                mean[a] += y[r * d + a] / n;
            }
        }
        double[] s = new double[d * d];
        for (int r = 0; r < n; r++) {
            for (int a = 0; a < d; a++) {
                double ra = y[r * d + a] - mean[a];
                for (int b = 0; b < d; b++) {
                    s[a * d + b] += ra * (y[r * d + b] - mean[b]) / n;
                }
            }
        }
        return s;
    }

    private static double[] row(double[] x, int r, int d) {
        double[] v = new double[d];
        System.arraycopy(x, r * d, v, 0, d);
        return v;
    }

    private static double sq(double[] x, int r, double[] c, int d) {
        double s = 0;
        for (int a = 0; a < d; a++) {
            double e = x[r * d + a] - c[a];
            s += e * e;
        }
        return s;
    }
}

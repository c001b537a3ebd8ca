package org.hybridbench.mixture;

import java.util.SplittableRandom;

import org.hybridbench.api.data.Matrix;

/**
 * Starting parameters for EM: K centres (k-means++ seeding, Arthur &amp; Vassilvitskii 2007, or K distinct random
 * rows), each row assigned to its nearest centre, and one M-step from that hard assignment. A centre that gets
 * no row keeps its position, the data's per-dimension variance and weight 1/n.
 */
final class Initializer {
    private Initializer() {
    }

    static GaussianMixture initialize(Matrix x, int k, CovarianceType type, double floor, String init, SplittableRandom rng) {
        int n = x.rows();
        int d = x.cols();
        int[] centres = init.equals("random") ? randomRows(n, k, rng) : kMeansPlusPlus(x, k, rng);
        double[] variance = variances(x);
        GaussianMixture model = new GaussianMixture(k, d, type, floor);
        for (int c = 0; c < k; c++) {
            model.setComponent(c, 1.0 / k, x.row(centres[c]), new double[d * d]);
            model.setDiagonalCovariance(c, variance);
        }
        Matrix resp = new Matrix(n, k);
        double[] a = x.data();
        for (int t = 0; t < n; t++) {
            int best = 0;
            double bestDist = Double.POSITIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double dist = 0;
                for (int i = 0; i < d; i++) {
                    double r = a[t * d + i] - model.means[c * d + i];
                    dist += r * r;
                }
                if (dist < bestDist) {
                    bestDist = dist;
                    best = c;
                }
            }
            resp.set(t, best, 1);
        }
        model.accumulate(x, resp);
        model.maximize();
        double sum = 0;
        for (int c = 0; c < k; c++) {
            if (model.weights[c] * n <= GaussianMixture.EMPTY_WEIGHT) {
                model.weights[c] = 1.0 / n; // no row chose it: give it a little weight so log π stays finite
            }
            sum += model.weights[c];
        }
        for (int c = 0; c < k; c++) {
            model.weights[c] /= sum;
        }
        return model;
    }

    /** Per-dimension variance of the data (divisor n). */
    static double[] variances(Matrix x) {
        int n = x.rows();
        int d = x.cols();
        double[] a = x.data();
        double[] mean = new double[d];
        double[] var = new double[d];
        for (int t = 0; t < n; t++) {
            for (int i = 0; i < d; i++) {
                mean[i] += a[t * d + i] / n;
            }
        }
        for (int t = 0; t < n; t++) {
            for (int i = 0; i < d; i++) {
                double r = a[t * d + i] - mean[i];
                var[i] += r * r / n;
            }
        }
        return var;
    }

    /** K distinct rows (with repetition only when K exceeds n). */
    static int[] randomRows(int n, int k, SplittableRandom rng) {
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = perm[i];
            perm[i] = perm[j];
            perm[j] = tmp;
        }
        int[] out = new int[k];
        for (int c = 0; c < k; c++) {
            out[c] = perm[c % n];
        }
        return out;
    }

    /** k-means++: the first centre uniformly, each next one with probability ∝ D(x)², the squared distance to the nearest centre so far. */
    static int[] kMeansPlusPlus(Matrix x, int k, SplittableRandom rng) {
        int n = x.rows();
        int d = x.cols();
        double[] a = x.data();
        int[] centres = new int[k];
        double[] dist = new double[n];
        java.util.Arrays.fill(dist, Double.POSITIVE_INFINITY);
        centres[0] = rng.nextInt(n);
        for (int c = 1; c < k; c++) {
            int prev = centres[c - 1];
            double total = 0;
            for (int t = 0; t < n; t++) {
                double s = 0;
                for (int i = 0; i < d; i++) {
                    double r = a[t * d + i] - a[prev * d + i];
                    s += r * r;
                }
                dist[t] = Math.min(dist[t], s);
                total += dist[t];
            }
            if (!(total > 0)) {
                centres[c] = rng.nextInt(n); // fewer distinct points than centres: any row will do
                continue;
            }
            double u = rng.nextDouble() * total;
            int pick = n - 1;
            for (int t = 0; t < n; t++) {
                u -= dist[t];
                if (u < 0) {
                    pick = t;
                    break;
                }
            }
            centres[c] = pick;
        }
        return centres;
    }
}

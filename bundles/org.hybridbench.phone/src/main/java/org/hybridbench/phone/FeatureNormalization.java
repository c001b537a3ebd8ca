package org.hybridbench.phone;

import org.hybridbench.api.data.Matrix;

/**
 * The learned features' scale is fixed: y = (z − μ) / √(σ² + ε) per dimension over the frames of one utterance
 * (μ, σ² its mean and population variance, ε = {@link #EPSILON}), i.e. batch normalisation over the utterance
 * without a learned gain. Why: the likelihood of learned features is unbounded — a network that shrinks all its
 * outputs towards a point makes every Gaussian density blow up — and with unit variance per dimension and utterance
 * the only way to raise log p(Y | HMM) is to make the states' densities narrower *relative to the spread of the
 * utterance*, i.e. to separate the states (an LDA-like criterion; it also removes per-speaker offsets and scales,
 * as per-utterance cepstral mean and variance normalisation does). The emission's variance floor bounds what is left.
 */
final class FeatureNormalization {
    static final double EPSILON = 1e-5;

    private FeatureNormalization() {
    }

    /** The normalised features and what {@link #backward} needs. */
    record Normalized(Matrix features, double[] inverseDeviation) {
    }

    static Normalized forward(Matrix z) {
        int t = z.rows();
        int d = z.cols();
        double[] x = z.data();
        double[] y = new double[x.length];
        double[] inv = new double[d];
        for (int j = 0; j < d; j++) {
            double mean = 0;
            for (int r = 0; r < t; r++) {
                mean += x[r * d + j];
            }
            mean /= Math.max(1, t);
            double var = 0;
            for (int r = 0; r < t; r++) {
                double c = x[r * d + j] - mean;
                var += c * c;
            }
            var /= Math.max(1, t);
            inv[j] = 1 / Math.sqrt(var + EPSILON);
            for (int r = 0; r < t; r++) {
                y[r * d + j] = (x[r * d + j] - mean) * inv[j];
            }
        }
        return new Normalized(new Matrix(t, d, y), inv);
    }

    /** dJ/dz from dJ/dy: (1/s)·(g − mean(g) − y·mean(g ⊙ y)) per dimension (the batch-normalisation backward). */
    static Matrix backward(Normalized n, Matrix dy) {
        Matrix y = n.features();
        int t = y.rows();
        int d = y.cols();
        double[] g = dy.data();
        double[] yv = y.data();
        double[] out = new double[g.length];
        for (int j = 0; j < d; j++) {
            double mg = 0;
            double mgy = 0;
            for (int r = 0; r < t; r++) {
                mg += g[r * d + j];
                mgy += g[r * d + j] * yv[r * d + j];
            }
            mg /= t;
            mgy /= t;
            for (int r = 0; r < t; r++) {
                out[r * d + j] = n.inverseDeviation()[j] * (g[r * d + j] - mg - yv[r * d + j] * mgy);
            }
        }
        return new Matrix(t, d, out);
    }
}

package org.hybridbench.phone;

import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.data.SequenceBatch;

/**
 * The network's input rows: every feature standardised with the training frames' mean and (population) deviation
 * (a constant feature is only centred), then frame t spliced with {@code context} frames either side, the nearest
 * edge frame repeated outside the utterance (as model.frame.classifier does). Rows are made per utterance.
 */
final class SplicedInputs {
    private final int context;
    private final double[] mean;
    private final double[] scale;

    private SplicedInputs(int context, double[] mean, double[] scale) {
        this.context = context;
        this.mean = mean;
        this.scale = scale;
    }

    /** Statistics of every frame of {@code train}. */
    static SplicedInputs fit(SequenceBatch train, int context) {
        int d = train.dimension();
        double[] sum = new double[d];
        double[] sq = new double[d];
        double[] x = train.data();
        long n = train.totalLength();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                sum[j] += x[i * d + j];
            }
        }
        double[] mean = new double[d];
        for (int j = 0; j < d; j++) {
            mean[j] = sum[j] / Math.max(1, n);
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double c = x[i * d + j] - mean[j];
                sq[j] += c * c;
            }
        }
        double[] scale = new double[d];
        for (int j = 0; j < d; j++) {
            double sd = Math.sqrt(sq[j] / Math.max(1, n));
            scale[j] = sd > 1e-12 ? 1 / sd : 1;
        }
        return new SplicedInputs(context, mean, scale);
    }

    int width() {
        return (2 * context + 1) * mean.length;
    }

    /** The T × (2c+1)·d input rows of one utterance (T × d). */
    Matrix rows(Matrix frames) {
        int t = frames.rows();
        int d = mean.length;
        int w = width();
        double[] out = new double[t * w];
        double[] in = frames.data();
        for (int r = 0; r < t; r++) {
            for (int o = -context; o <= context; o++) {
                int src = Math.min(t - 1, Math.max(0, r + o));
                int at = r * w + (o + context) * d;
                for (int j = 0; j < d; j++) {
                    out[at + j] = (in[src * d + j] - mean[j]) * scale[j];
                }
            }
        }
        return new Matrix(t, w, out);
    }
}

package org.hybridbench.acoustic;

import org.hybridbench.api.data.SequenceBatch;

/**
 * Per-feature standardisation x' = (x − mean) / sd with the mean and standard deviation of the training frames,
 * saved with the model so test data is scaled exactly as training data was. A feature that is constant in training
 * (sd below {@value #MIN_SD}) is only centred, so it cannot blow up on other data.
 */
record Standardization(double[] mean, double[] sd) {
    static final double MIN_SD = 1e-8;

    Standardization {
        if (mean.length != sd.length) {
            throw new IllegalArgumentException(mean.length + " means but " + sd.length + " standard deviations");
        }
        mean = mean.clone();
        sd = sd.clone();
    }

    /** Mean and (population) standard deviation of every feature over all frames of {@code frames}. */
    static Standardization fit(SequenceBatch frames) {
        int d = frames.dimension();
        int n = frames.totalLength();
        double[] x = frames.data();
        double[] mean = new double[d];
        for (int t = 0; t < n; t++) {
            for (int j = 0; j < d; j++) {
                mean[j] += x[t * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        // two passes: the centred sum of squares does not cancel catastrophically for features far from 0
        double[] var = new double[d];
        for (int t = 0; t < n; t++) {
            for (int j = 0; j < d; j++) {
                double c = x[t * d + j] - mean[j];
                var[j] += c * c;
            }
        }
        double[] sd = new double[d];
        for (int j = 0; j < d; j++) {
            double s = Math.sqrt(var[j] / n);
            sd[j] = s < MIN_SD ? 1 : s;
        }
        return new Standardization(mean, sd);
    }

    int dimension() {
        return mean.length;
    }

    /** A standardised copy of all frames, end to end. */
    double[] apply(SequenceBatch frames) {
        int d = mean.length;
        double[] x = frames.data();
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            int j = i % d;
            out[i] = (x[i] - mean[j]) / sd[j];
        }
        return out;
    }
}

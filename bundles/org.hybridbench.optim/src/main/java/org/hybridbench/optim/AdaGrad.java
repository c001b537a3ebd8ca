package org.hybridbench.optim;

import java.util.List;

/**
 * AdaGrad (Duchi, Hazan &amp; Singer 2011), diagonal: G ← G + g²; x ← x − η·g / (√G + ε), with G starting at
 * {@code initialAccumulator}. State: {@code sum/<block>}.
 */
public final class AdaGrad extends StochasticOptimizer {
    private final double epsilon;
    private final double initialAccumulator;

    public AdaGrad(Schedule schedule, Clipping clipping, double epsilon, double initialAccumulator) {
        super("optimizer.adagrad", schedule, clipping, List.of("sum"));
        if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException("epsilon must be a finite number > 0, got " + epsilon);
        }
        if (!(initialAccumulator >= 0) || !Double.isFinite(initialAccumulator)) {
            throw new IllegalArgumentException("initialAccumulator must be a finite number >= 0, got " + initialAccumulator);
        }
        this.epsilon = epsilon;
        this.initialAccumulator = initialAccumulator;
    }

    @Override
    protected void initialize(double[][] s) {
        java.util.Arrays.fill(s[0], initialAccumulator);
    }

    @Override
    protected void update(double[] x, double[] g, double[][] s, double rate, long t) {
        double[] sum = s[0];
        for (int i = 0; i < x.length; i++) {
            sum[i] += g[i] * g[i];
            x[i] -= rate * g[i] / (Math.sqrt(sum[i]) + epsilon);
        }
    }

    @Override
    protected void update(float[] x, float[] g, float[][] s, double rate, long t) {
        float[] sum = s[0];
        float r = (float) rate;
        float eps = (float) epsilon;
        for (int i = 0; i < x.length; i++) {
            sum[i] += g[i] * g[i];
            x[i] -= r * g[i] / ((float) Math.sqrt(sum[i]) + eps);
        }
    }
}

package org.hybridbench.optim;

import java.util.List;

/**
 * Adam (Kingma &amp; Ba 2015, Algorithm 1) with optional decoupled weight decay λ (AdamW, Loshchilov &amp; Hutter
 * 2019):
 * m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²; m̂ = m / (1 − β₁ᵗ); v̂ = v / (1 − β₂ᵗ);
 * x ← x − η·(m̂ / (√v̂ + ε) + λx). The decay term uses the x before the update and is not part of g, so it does not
 * enter the moments. State: {@code m/<block>}, {@code v/<block>}.
 */
public final class Adam extends StochasticOptimizer {
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;

    public Adam(Schedule schedule, Clipping clipping, double beta1, double beta2, double epsilon, double weightDecay) {
        super("optimizer.adam", schedule, clipping, List.of("m", "v"));
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("beta1 must be in [0, 1), got " + beta1);
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("beta2 must be in [0, 1), got " + beta2);
        }
        if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException("epsilon must be a finite number > 0, got " + epsilon);
        }
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
            throw new IllegalArgumentException("weightDecay must be a finite number >= 0, got " + weightDecay);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
    }

    /** Adam with the paper's defaults β₁ = 0.9, β₂ = 0.999, ε = 1e-8, a constant rate and no clipping or decay. */
    public static Adam standard(double rate) {
        return new Adam(Schedule.constant(rate), Clipping.NONE, 0.9, 0.999, 1e-8, 0);
    }

    @Override
    protected void update(double[] x, double[] g, double[][] s, double rate, long t) {
        double[] m = s[0];
        double[] v = s[1];
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        double oneMinusBeta1 = 1 - beta1;
        double oneMinusBeta2 = 1 - beta2;
        // one pass, each array read and written once; the arithmetic is exactly Algorithm 1's, in the same order
        for (int i = 0; i < x.length; i++) {
            double gi = g[i];
            double mi = beta1 * m[i] + oneMinusBeta1 * gi;
            double vi = beta2 * v[i] + oneMinusBeta2 * gi * gi;
            m[i] = mi;
            v[i] = vi;
            double xi = x[i];
            x[i] = xi - (rate * (mi / c1) / (Math.sqrt(vi / c2) + epsilon) + rate * (weightDecay * xi));
        }
    }

    /**
     * Algorithm 1 in float, written as PyTorch's Adam computes it: x ← x − (η / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε),
     * one square root and one division per entry (the same value as the double rule up to float rounding).
     */
    @Override
    protected void update(float[] x, float[] g, float[][] s, double rate, long t) {
        float[] m = s[0];
        float[] v = s[1];
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float oneMinusBeta1 = (float) (1 - beta1);
        float oneMinusBeta2 = (float) (1 - beta2);
        float step = (float) (rate / (1 - Math.pow(beta1, t)));
        float invSqrtC2 = (float) (1 / Math.sqrt(1 - Math.pow(beta2, t)));
        float eps = (float) epsilon;
        float decay = (float) (rate * weightDecay);
        for (int i = 0; i < x.length; i++) {
            float gi = g[i];
            float mi = b1 * m[i] + oneMinusBeta1 * gi;
            float vi = b2 * v[i] + oneMinusBeta2 * gi * gi;
            m[i] = mi;
            v[i] = vi;
            float xi = x[i];
            x[i] = xi - (step * mi / ((float) Math.sqrt(vi) * invSqrtC2 + eps) + decay * xi);
        }
    }
}

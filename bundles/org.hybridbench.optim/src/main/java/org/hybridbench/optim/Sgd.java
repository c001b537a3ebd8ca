package org.hybridbench.optim;

import java.util.List;

/**
 * Stochastic gradient descent with optional L2 weight decay λ, heavy-ball momentum μ and Nesterov's variant (the
 * form of Sutskever et al. 2013 as written by PyTorch):
 * g ← g + λx; v ← μv + g; x ← x − η·(g + μv) with Nesterov, else x ← x − η·v. With μ = 0: x ← x − η·g.
 * State: {@code velocity/<block>}.
 */
public final class Sgd extends StochasticOptimizer {
    private final double momentum;
    private final boolean nesterov;
    private final double weightDecay;

    public Sgd(Schedule schedule, Clipping clipping, double momentum, boolean nesterov, double weightDecay) {
        super("optimizer.sgd", schedule, clipping, momentum > 0 ? List.of("velocity") : List.of());
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        if (nesterov && momentum == 0) {
            throw new IllegalArgumentException("nesterov needs momentum > 0");
        }
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
            throw new IllegalArgumentException("weightDecay must be a finite number >= 0, got " + weightDecay);
        }
        this.momentum = momentum;
        this.nesterov = nesterov;
        this.weightDecay = weightDecay;
    }

    @Override
    protected void update(double[] x, double[] g, double[][] s, double rate, long t) {
        for (int i = 0; i < x.length; i++) {
            double gi = g[i] + weightDecay * x[i];
            if (momentum > 0) {
                double[] v = s[0];
                v[i] = momentum * v[i] + gi;
                x[i] -= rate * (nesterov ? gi + momentum * v[i] : v[i]);
            } else {
                x[i] -= rate * gi;
            }
        }
    }

    @Override
    protected void update(float[] x, float[] g, float[][] s, double rate, long t) {
        float r = (float) rate;
        float mu = (float) momentum;
        float decay = (float) weightDecay;
        for (int i = 0; i < x.length; i++) {
            float gi = g[i] + decay * x[i];
            if (mu > 0) {
                float[] v = s[0];
                v[i] = mu * v[i] + gi;
                x[i] -= r * (nesterov ? gi + mu * v[i] : v[i]);
            } else {
                x[i] -= r * gi;
            }
        }
    }
}

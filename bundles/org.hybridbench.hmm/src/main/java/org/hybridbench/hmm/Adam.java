package org.hybridbench.hmm;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.hybridbench.api.model.Optimizer;
import org.hybridbench.api.model.ParameterBlock;

/**
 * Adam (Kingma &amp; Ba 2015) with β1 = 0.9, β2 = 0.999, ε = 1e-8: the optimizer {@code model.hmm.fit} uses for
 * {@code gradient} training when no optimizer stage is wired. Moments are kept per block name.
 */
final class Adam implements Optimizer {
    private final double rate;
    private final Map<String, double[][]> moments = new HashMap<>();
    private int steps;

    Adam(double rate) {
        this.rate = rate;
    }

    @Override
    public void step(List<ParameterBlock> blocks) {
        steps++;
        double c1 = 1 - Math.pow(0.9, steps);
        double c2 = 1 - Math.pow(0.999, steps);
        for (ParameterBlock b : blocks) {
            double[][] mv = moments.computeIfAbsent(b.name(), n -> new double[][] {new double[b.size()], new double[b.size()]});
            double[] v = b.values();
            double[] g = b.gradient();
            for (int i = 0; i < v.length; i++) {
                mv[0][i] = 0.9 * mv[0][i] + 0.1 * g[i];
                mv[1][i] = 0.999 * mv[1][i] + 0.001 * g[i] * g[i];
                v[i] -= rate * (mv[0][i] / c1) / (Math.sqrt(mv[1][i] / c2) + 1e-8);
            }
        }
    }

    @Override
    public void reset() {
        moments.clear();
        steps = 0;
    }
}

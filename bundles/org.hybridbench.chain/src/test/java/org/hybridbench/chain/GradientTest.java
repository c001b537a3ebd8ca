package org.hybridbench.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.ChainMarginals;
import org.hybridbench.api.model.ChainNumerics;
import org.hybridbench.api.model.ChainPotentials;
import org.junit.jupiter.api.Test;

/**
 * The marginals are the gradient of log Z: central finite differences of log Z with respect to every unary,
 * transition and initial log-potential, against γ, ξ and γ_0 (T = 9, K = 4, some transitions impossible).
 */
class GradientTest {
    private static final double H = 1e-5;

    @Test
    void marginalsAreTheGradientOfLogZ() {
        for (ChainNumerics numerics : new ChainNumerics[] {ChainNumerics.SCALED, ChainNumerics.LOG}) {
            for (int seed = 0; seed < 3; seed++) {
                SplittableRandom r = new SplittableRandom(seed);
                ChainPotentials c = BruteForce.random(r, 4, 9, 1.0, 0);
                c.logTransition().set(0, 3, Double.NEGATIVE_INFINITY);
                c.logTransition().set(2, 1, Double.NEGATIVE_INFINITY);
                ChainEngine e = new ChainEngine(numerics);
                ChainMarginals m = e.marginals(c);
                double[] u = c.logUnary().data();
                for (int i = 0; i < u.length; i++) {
                    assertEquals(diff(e, c, u, i), m.posteriors().data()[i], 1e-8, numerics + " d logZ / d logUnary " + i);
                }
                double[] a = c.logTransition().data();
                for (int i = 0; i < a.length; i++) {
                    if (a[i] == Double.NEGATIVE_INFINITY) {
                        assertEquals(0.0, m.expectedTransitions().data()[i], "impossible transition has no expected count");
                        continue;
                    }
                    assertEquals(diff(e, c, a, i), m.expectedTransitions().data()[i], 1e-8, numerics + " d logZ / d logTransition " + i);
                }
                double[] pi = c.logInitial();
                double[] g0 = m.initialPosterior();
                for (int i = 0; i < pi.length; i++) {
                    assertEquals(diff(e, c, pi, i), g0[i], 1e-8, numerics + " d logZ / d logInitial " + i);
                }
            }
        }
    }

    /** (logZ(x + h) − logZ(x − h)) / 2h for entry i of the array v (which belongs to c). */
    private static double diff(ChainEngine e, ChainPotentials c, double[] v, int i) {
        double x = v[i];
        v[i] = x + H;
        double up = e.logPartition(copy(c));
        v[i] = x - H;
        double down = e.logPartition(copy(c));
        v[i] = x;
        return (up - down) / (2 * H);
    }

    private static ChainPotentials copy(ChainPotentials c) {
        return new ChainPotentials(c.logInitial().clone(), c.logTransition().copy(), new Matrix(c.length(), c.numStates(),
                c.logUnary().data().clone()));
    }
}

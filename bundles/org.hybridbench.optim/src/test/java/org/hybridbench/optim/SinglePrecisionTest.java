package org.hybridbench.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import org.hybridbench.api.model.Minimization;
import org.hybridbench.api.model.Objective;
import org.hybridbench.api.model.ParameterBlock;
import org.junit.jupiter.api.Test;

/**
 * Float parameter blocks (ParameterBlock.ofFloats, what a float network hands over): every method's float rule follows
 * its double rule on the same problem to float rounding, state crosses precisions exactly, clipping and the finiteness
 * check behave the same, and L-BFGS minimises over float blocks through its double working copy.
 */
class SinglePrecisionTest {

    /** A separable quadratic f(x) = ½ Σ a_i (x_i − c_i)², gradient a ⊙ (x − c), with a in [0.5, 4]. */
    private static final int N = 37;
    private static final double[] A = new double[N];
    private static final double[] C = new double[N];
    private static final double[] START = new double[N];

    static {
        SplittableRandom rng = new SplittableRandom(5);
        for (int i = 0; i < N; i++) {
            A[i] = 0.5 + 3.5 * rng.nextDouble();
            C[i] = 2 * rng.nextDouble() - 1;
            START[i] = 4 * rng.nextDouble() - 2;
        }
    }

    private static ParameterBlock doubles(String name) {
        return new ParameterBlock(name, new int[] {N}, START.clone(), new double[N]);
    }

    private static ParameterBlock floats(String name) {
        float[] v = new float[N];
        for (int i = 0; i < N; i++) {
            v[i] = (float) START[i];
        }
        return ParameterBlock.ofFloats(name, new int[] {N}, v, new float[N]);
    }

    /** Writes the quadratic's gradient at the block's current values into its gradient (either precision). */
    private static void gradient(ParameterBlock b) {
        double[] x = b.copyValues();
        if (b.isSinglePrecision()) {
            for (int i = 0; i < N; i++) {
                b.floatGradient()[i] = (float) (A[i] * (x[i] - C[i]));
            }
        } else {
            for (int i = 0; i < N; i++) {
                b.gradient()[i] = A[i] * (x[i] - C[i]);
            }
        }
    }

    private static void run(StochasticOptimizer o, ParameterBlock b, int steps) {
        for (int t = 0; t < steps; t++) {
            gradient(b);
            o.step(List.of(b));
        }
    }

    private static void assertSameTrajectory(Supplier<StochasticOptimizer> method, String what) {
        ParameterBlock d = doubles("w");
        ParameterBlock f = floats("w");
        StochasticOptimizer od = method.get();
        StochasticOptimizer of = method.get();
        for (int t = 1; t <= 60; t++) {
            run(od, d, 1);
            run(of, f, 1);
            double[] xd = d.copyValues();
            double[] xf = f.copyValues();
            for (int i = 0; i < N; i++) {
                // float rounding per step (~6e-8 relative) accumulates over the steps, it does not grow with them
                assertEquals(xd[i], xf[i], 1e-5 * (1 + Math.abs(xd[i])), what + ", step " + t + ", entry " + i);
            }
        }
        double moved = 0;
        for (int i = 0; i < N; i++) {
            moved = Math.max(moved, Math.abs(d.copyValues()[i] - START[i]));
        }
        assertTrue(moved > 0.05, what + " moved the values (by " + moved + ")");
    }

    @Test
    void everyMethodsFloatRuleFollowsItsDoubleRule() {
        assertSameTrajectory(() -> Adam.standard(0.05), "Adam");
        assertSameTrajectory(() -> new Adam(Schedule.constant(0.05), Clipping.NONE, 0.8, 0.99, 1e-6, 0.01), "AdamW");
        assertSameTrajectory(() -> new Sgd(Schedule.constant(0.1), Clipping.NONE, 0, false, 0), "SGD");
        assertSameTrajectory(() -> new Sgd(Schedule.constant(0.05), Clipping.NONE, 0.9, true, 0.01), "SGD Nesterov + decay");
        assertSameTrajectory(() -> new AdaGrad(Schedule.constant(0.3), Clipping.NONE, 1e-8, 0.1), "AdaGrad");
        assertSameTrajectory(() -> new Adam(Schedule.constant(0.05), new Clipping(0.5, 1.0), 0.9, 0.999, 1e-8, 0), "Adam, clipped");
    }

    @Test
    void stateCrossesPrecisionsExactly() {
        Adam first = Adam.standard(0.05);
        ParameterBlock f = floats("w");
        run(first, f, 7);
        Map<String, double[]> saved = first.state();
        for (double m : saved.get("m/w")) {
            assertEquals((float) m, m, 0, "float moments widen exactly");
        }
        // the same state continued on a float block and on a double block holding the same values: same next step
        Adam onFloats = Adam.standard(0.05);
        onFloats.restore(saved);
        Adam onDoubles = Adam.standard(0.05);
        onDoubles.restore(saved);
        ParameterBlock d = new ParameterBlock("w", new int[] {N}, f.copyValues(), new double[N]);
        run(onFloats, f, 1);
        run(onDoubles, d, 1);
        assertArrayEquals(d.copyValues(), f.copyValues(), 1e-6);
        assertEquals(8, onFloats.steps());
        double[] vd = onDoubles.state().get("v/w");
        double[] vf = onFloats.state().get("v/w");
        for (int i = 0; i < N; i++) {
            assertEquals(vd[i], vf[i], 2e-7 * vd[i], "second moment, entry " + i + " (a float carries 6e-8 relative)");
        }
    }

    @Test
    void aNonFiniteFloatGradientIsNamedAndNothingMoves() {
        ParameterBlock good = floats("good");
        ParameterBlock bad = ParameterBlock.ofFloats("bad", new int[] {2, 3}, new float[6], new float[6]);
        gradient(good);
        bad.floatGradient()[4] = Float.NEGATIVE_INFINITY;
        double[] before = good.copyValues();
        Adam adam = Adam.standard(0.1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> adam.step(List.of(good, bad)));
        assertEquals("optimizer.adam: gradient of block 'bad' is -Infinity at index 4 (element [1, 1] of shape [2, 3])", e.getMessage());
        assertArrayEquals(before, good.copyValues(), 0, "a bad block leaves every block untouched");
        bad.floatGradient()[4] = 0;
        bad.floatValues()[1] = Float.NaN;
        e = assertThrows(IllegalArgumentException.class, () -> adam.step(List.of(good, bad)));
        assertEquals("optimizer.adam: value of block 'bad' is NaN at index 1 (element [0, 1] of shape [2, 3])", e.getMessage());
    }

    @Test
    void lbfgsMinimisesOverFloatBlocks() {
        ParameterBlock f = floats("w");
        Objective quadratic = new Objective() {
            @Override
            public List<ParameterBlock> parameters() {
                return List.of(f);
            }

            @Override
            public double evaluate() {
                double[] x = f.copyValues();
                double v = 0;
                for (int i = 0; i < N; i++) {
                    v += 0.5 * A[i] * (x[i] - C[i]) * (x[i] - C[i]);
                }
                gradient(f);
                return v;
            }
        };
        Minimization m = new Lbfgs(10, 1e-4, 0.9, 20).minimize(quadratic, 100, 1e-4);
        assertTrue(m.converged(), m.message());
        double[] x = f.copyValues();
        for (int i = 0; i < N; i++) {
            assertEquals(C[i], x[i], 1e-4, "minimiser, entry " + i);
        }
    }
}

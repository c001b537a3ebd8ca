package org.hybridbench.optim;

import static org.hybridbench.optim.Problems.block;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.hybridbench.api.model.Objective;
import org.hybridbench.api.model.ParameterBlock;
import org.junit.jupiter.api.Test;

/** Bad configuration and bad gradients: clear errors naming the field, or the block and index, nothing changed. */
class BadInputTest {

    static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void badConfigurationNamesTheField() {
        assertEquals("learningRate must be a finite number > 0, got -0.1", message(() -> Schedule.constant(-0.1)));
        assertTrue(message(() -> Schedule.constant(Double.NaN)).startsWith("learningRate"));
        assertTrue(message(() -> new Schedule(1, Schedule.Kind.STEP, 0, 0, 10, 0)).startsWith("decayRate must be in (0, 1]"));
        assertTrue(message(() -> new Schedule(1, Schedule.Kind.COSINE, 0, 1, 10, 2)).startsWith("minLearningRate"));
        assertTrue(message(() -> new Schedule(1, Schedule.Kind.COSINE, -1, 1, 10, 0)).startsWith("warmupSteps"));
        assertTrue(message(() -> new Clipping(-1, 0)).startsWith("clipNorm"));
        assertTrue(message(() -> new Clipping(0, Double.POSITIVE_INFINITY)).startsWith("clipValue"));
        assertTrue(message(() -> new Sgd(Schedule.constant(1), Clipping.NONE, 1, false, 0)).startsWith("momentum must be in [0, 1)"));
        assertEquals("nesterov needs momentum > 0", message(() -> new Sgd(Schedule.constant(1), Clipping.NONE, 0, true, 0)));
        assertTrue(message(() -> new Adam(Schedule.constant(1), Clipping.NONE, 0.9, 1, 1e-8, 0)).startsWith("beta2"));
        assertTrue(message(() -> new Adam(Schedule.constant(1), Clipping.NONE, 0.9, 0.999, 0, 0)).startsWith("epsilon"));
        assertTrue(message(() -> new AdaGrad(Schedule.constant(1), Clipping.NONE, 1e-10, -1)).startsWith("initialAccumulator"));
        assertTrue(message(() -> new Lbfgs(0, 1e-4, 0.9, 10)).startsWith("history"));
        assertTrue(message(() -> new Lbfgs(5, 0.9, 0.1, 10)).contains("0 < c1 < c2 < 1"));
        assertTrue(message(() -> Lbfgs.standard().minimize(Problems.Quadratic.standard(), -1, 0)).contains("maxIterations >= 0"));
    }

    @Test
    void aNaNGradientNamesTheBlockAndIndexAndChangesNothing() {
        Adam adam = Adam.standard(0.1);
        ParameterBlock ok = block("bias", 1.0);
        ParameterBlock bad = new ParameterBlock("transitions", new int[] {2, 3}, new double[6], new double[6]);
        bad.gradient()[4] = Double.NaN;
        ok.gradient()[0] = 1;
        String m = message(() -> adam.step(List.of(ok, bad)));
        assertEquals("optimizer.adam: gradient of block 'transitions' is NaN at index 4 (element [1, 1] of shape [2, 3])", m);
        assertArrayEquals(new double[] {1.0}, ok.values(), 0, "no block is updated");
        assertEquals(0, adam.steps());
        bad.gradient()[4] = Double.NEGATIVE_INFINITY;
        assertTrue(message(() -> new Sgd(Schedule.constant(1), Clipping.NONE, 0, false, 0).step(List.of(bad)))
                .contains("gradient of block 'transitions' is -Infinity at index 4"));
        bad.gradient()[4] = 0;
        bad.values()[5] = Double.NaN;
        assertTrue(message(() -> new AdaGrad(Schedule.constant(1), Clipping.NONE, 1e-10, 0).step(List.of(bad)))
                .contains("value of block 'transitions' is NaN at index 5 (element [1, 2]"));
    }

    @Test
    void lbfgsReportsANaNGradientWithBlockAndIndex() {
        ParameterBlock w = block("crf/transitions", 0.5, 0.5);
        Objective broken = new Objective() {
            @Override
            public List<ParameterBlock> parameters() {
                return List.of(w);
            }

            @Override
            public double evaluate() {
                w.gradient()[0] = 1;
                w.gradient()[1] = Double.NaN;
                return 1;
            }
        };
        String m = message(() -> Lbfgs.standard().minimize(broken, 10, 1e-6));
        assertTrue(m.startsWith("optimizer.lbfgs: gradient of block 'crf/transitions' is NaN at index 1"), m);
        assertTrue(message(() -> Adam.standard(0.1).minimize(broken, 10, 1e-6))
                .contains("gradient of block 'crf/transitions' is NaN at index 1"));
    }

    @Test
    void lbfgsBacksOffFromInfiniteValuesAndStopsCleanlyWhenNoDescentIsPossible() {
        // f = x² for x < 1, +∞ beyond: the line search must stay inside
        ParameterBlock x = block("x", -3.0);
        Objective walled = new Objective() {
            @Override
            public List<ParameterBlock> parameters() {
                return List.of(x);
            }

            @Override
            public double evaluate() {
                double v = x.values()[0];
                x.gradient()[0] = 2 * v;
                return v < -3.5 ? Double.POSITIVE_INFINITY : v * v + 0.0 * v;
            }
        };
        var r = Lbfgs.standard().minimize(walled, 50, 1e-10);
        assertTrue(r.converged(), r.toString());
        assertEquals(0, x.values()[0], 1e-10);
    }

    @Test
    void lbfgsHasNoStep() {
        UnsupportedOperationException ex = assertThrows(UnsupportedOperationException.class,
                () -> Lbfgs.standard().step(List.of(block("x", 1.0))));
        assertTrue(ex.getMessage().contains("call minimize(Objective, ...)"), ex.getMessage());
    }
}

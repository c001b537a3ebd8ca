package org.hybridbench.optim;

import static org.hybridbench.optim.Problems.block;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.hybridbench.api.model.ParameterBlock;
import org.junit.jupiter.api.Test;

/** Learning-rate schedules and gradient clipping against their formulas. */
class ScheduleClippingTest {

    @Test
    void constantAndWarmup() {
        Schedule s = new Schedule(0.4, Schedule.Kind.CONSTANT, 4, 1, 1, 0);
        assertEquals(0.1, s.rate(1), 1e-15);
        assertEquals(0.2, s.rate(2), 1e-15);
        assertEquals(0.4, s.rate(4), 1e-15);
        assertEquals(0.4, s.rate(5), 0);
        assertEquals(0.4, s.rate(1_000_000), 0);
    }

    @Test
    void stepDecay() {
        Schedule s = new Schedule(1, Schedule.Kind.STEP, 0, 0.5, 10, 0);
        for (long t = 1; t <= 45; t++) {
            assertEquals(Math.pow(0.5, (t - 1) / 10), s.rate(t), 0, "t = " + t);
        }
        assertEquals(1, s.rate(10), 0);
        assertEquals(0.5, s.rate(11), 0);
        assertEquals(0.25, s.rate(21), 0);
    }

    @Test
    void exponentialDecayAfterWarmup() {
        Schedule s = new Schedule(0.2, Schedule.Kind.EXPONENTIAL, 3, 0.9, 2, 0);
        assertEquals(0.2 / 3, s.rate(1), 1e-15);
        for (long t = 4; t < 30; t++) {
            assertEquals(0.2 * Math.pow(0.9, (t - 4) / 2.0), s.rate(t), 1e-15, "t = " + t);
        }
    }

    @Test
    void cosine() {
        Schedule s = new Schedule(1, Schedule.Kind.COSINE, 0, 1, 100, 0.1);
        assertEquals(1, s.rate(1), 1e-15);
        assertEquals(0.55, s.rate(51), 1e-15); // halfway: η_min + (η₀ − η_min)/2
        assertEquals(0.1, s.rate(101), 1e-15);
        assertEquals(0.1, s.rate(500), 1e-15);
        for (long t = 1; t <= 101; t++) {
            assertEquals(0.1 + 0.9 * (1 + Math.cos(Math.PI * (t - 1) / 100)) / 2, s.rate(t), 1e-15);
        }
    }

    @Test
    void theScheduleDrivesTheStepSize() {
        Sgd sgd = new Sgd(new Schedule(1, Schedule.Kind.STEP, 2, 0.1, 1, 0), Clipping.NONE, 0, false, 0);
        ParameterBlock x = block("x", 0.0);
        double expected = 0;
        for (int t = 1; t <= 6; t++) {
            x.gradient()[0] = -1;
            sgd.step(List.of(x));
            double rate = t <= 2 ? t / 2.0 : Math.pow(0.1, t - 3);
            expected += rate;
            assertEquals(rate, sgd.lastRate(), 1e-15);
            assertEquals(expected, x.values()[0], 1e-14);
        }
    }

    @Test
    void clipByGlobalNormAcrossBlocks() {
        Sgd sgd = new Sgd(Schedule.constant(1), new Clipping(1, 0), 0, false, 0);
        ParameterBlock a = block("a", 0.0, 0.0);
        ParameterBlock b = block("b", 0.0);
        a.gradient()[0] = 3;
        a.gradient()[1] = 0;
        b.gradient()[0] = 4; // ‖g‖ = 5 → scaled by 1/5
        sgd.step(List.of(a, b));
        assertArrayEquals(new double[] {-0.6, 0}, a.values(), 1e-15);
        assertArrayEquals(new double[] {-0.8}, b.values(), 1e-15);
        assertArrayEquals(new double[] {3, 0}, a.gradient(), 0, "the owner's gradient is not changed");
        // below the threshold nothing changes
        a.gradient()[0] = 0.3;
        b.gradient()[0] = 0.4;
        sgd.step(List.of(a, b));
        assertArrayEquals(new double[] {-0.9, 0}, a.values(), 1e-15);
        assertArrayEquals(new double[] {-1.2}, b.values(), 1e-15);
    }

    @Test
    void clipByValueThenByNorm() {
        Sgd byValue = new Sgd(Schedule.constant(1), new Clipping(0, 0.5), 0, false, 0);
        ParameterBlock x = block("x", 0, 0, 0);
        System.arraycopy(new double[] {2, -0.2, -7}, 0, x.gradient(), 0, 3);
        byValue.step(List.of(x));
        assertArrayEquals(new double[] {-0.5, 0.2, 0.5}, x.values(), 1e-15);

        Sgd both = new Sgd(Schedule.constant(1), new Clipping(0.5, 0.5), 0, false, 0);
        ParameterBlock y = block("y", 0, 0);
        System.arraycopy(new double[] {2, -7}, 0, y.gradient(), 0, 2);
        both.step(List.of(y)); // clamped (0.5, −0.5), norm 0.7071 → scaled to norm 0.5
        double c = 0.5 / Math.sqrt(0.5);
        assertArrayEquals(new double[] {-0.5 * c, 0.5 * c}, y.values(), 1e-15);
    }

    @Test
    void clippingAppliesBeforeAdamMoments() {
        Adam adam = new Adam(Schedule.constant(0.1), new Clipping(0, 1), 0.9, 0.999, 1e-8, 0);
        ParameterBlock x = block("x", 0.0);
        x.gradient()[0] = 50;
        adam.step(List.of(x));
        assertEquals(0.1 * 1, adam.state().get("m/x")[0], 1e-15);
        assertEquals(0.001 * 1, adam.state().get("v/x")[0], 1e-15);
    }

    @Test
    void withoutClippingTheRulesReadTheOwnersGradientAndLeaveIt() {
        // no clipping means no scratch copy: the rule gets the block's own array and must not write to it
        List<StochasticOptimizer> rules = List.of(Adam.standard(0.1), new Adam(Schedule.constant(0.1), Clipping.NONE, 0.9, 0.999, 1e-8, 0.01),
                new Sgd(Schedule.constant(0.1), Clipping.NONE, 0.9, true, 0.01), new AdaGrad(Schedule.constant(0.1), Clipping.NONE, 1e-10, 0.1));
        for (StochasticOptimizer rule : rules) {
            ParameterBlock x = block("x", 1.0, -2.0);
            for (int step = 0; step < 3; step++) {
                x.gradient()[0] = 0.5;
                x.gradient()[1] = -4;
                rule.step(List.of(x));
                assertArrayEquals(new double[] {0.5, -4}, x.gradient(), 0, rule.getClass().getSimpleName() + " step " + step);
            }
        }
    }
}

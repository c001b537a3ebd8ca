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
import org.hybridbench.api.model.Optimizer;
import org.hybridbench.api.model.ParameterBlock;
import org.junit.jupiter.api.Test;

/** state() / restore(): a restored optimizer continues exactly as the saved one. */
class StateTest {

    /** Runs steps [from, to) of a fixed stream of gradients on the blocks. */
    static void run(Optimizer o, List<ParameterBlock> blocks, int from, int to) {
        for (int t = from; t < to; t++) {
            SplittableRandom rng = new SplittableRandom(1000 + t);
            for (ParameterBlock b : blocks) {
                for (int i = 0; i < b.size(); i++) {
                    b.gradient()[i] = rng.nextGaussian() + 0.3 * b.values()[i];
                }
            }
            o.step(blocks);
        }
    }

    static List<ParameterBlock> blocks() {
        return List.of(new ParameterBlock("emission/means", new int[] {2, 2}, new double[] {1, 2, 3, 4}, new double[4]),
                new ParameterBlock("layer0/W", new int[] {3}, new double[] {-1, 0, 1}, new double[3]));
    }

    @Test
    void firstOrderMethodsContinueIdentically() {
        Map<String, Supplier<Optimizer>> methods = Map.of(
                "sgd-nesterov", () -> new Sgd(new Schedule(0.05, Schedule.Kind.COSINE, 3, 1, 20, 0.001), new Clipping(2, 0), 0.9, true, 1e-3),
                "adagrad", () -> new AdaGrad(new Schedule(0.1, Schedule.Kind.STEP, 0, 0.5, 4, 0), new Clipping(0, 1), 1e-10, 0.1),
                "adamw", () -> new Adam(new Schedule(0.01, Schedule.Kind.EXPONENTIAL, 2, 0.9, 3, 0), Clipping.NONE, 0.9, 0.999, 1e-8, 0.01));
        for (Map.Entry<String, Supplier<Optimizer>> e : methods.entrySet()) {
            List<ParameterBlock> straight = blocks();
            Optimizer a = e.getValue().get();
            run(a, straight, 0, 20);

            List<ParameterBlock> resumed = blocks();
            Optimizer b = e.getValue().get();
            run(b, resumed, 0, 7);
            Map<String, double[]> saved = b.state();
            Optimizer c = e.getValue().get();
            c.restore(saved);
            run(c, resumed, 7, 20);
            for (int k = 0; k < straight.size(); k++) {
                assertArrayEquals(straight.get(k).values(), resumed.get(k).values(), 0, e.getKey() + " block " + k);
            }
            Map<String, double[]> sa = a.state();
            Map<String, double[]> sc = c.state();
            assertEquals(sa.keySet(), sc.keySet(), e.getKey());
            for (String key : sa.keySet()) {
                assertArrayEquals(sa.get(key), sc.get(key), 0, e.getKey() + " " + key);
            }
            assertArrayEquals(new double[] {20}, sa.get("step"), 0);
        }
    }

    @Test
    void stateIsACopy() {
        Adam adam = Adam.standard(0.1);
        run(adam, blocks(), 0, 2);
        Map<String, double[]> s = adam.state();
        s.get("m/layer0/W")[0] = 99;
        assertTrue(adam.state().get("m/layer0/W")[0] != 99);
    }

    @Test
    void restoringAnotherMethodsStateFails() {
        Sgd sgd = new Sgd(Schedule.constant(0.1), Clipping.NONE, 0.5, false, 0);
        run(sgd, blocks(), 0, 2);
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Adam.standard(0.1).restore(sgd.state()));
        assertTrue(ex.getMessage().contains("unknown state entry 'velocity/emission/means'"), ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class, () -> Adam.standard(0.1).restore(Map.of("m/x", new double[1])));
        assertTrue(ex.getMessage().contains("missing 'v'"), ex.getMessage());
    }

    @Test
    void aRestoredStateOfTheWrongSizeIsReportedWithTheBlock() {
        Adam adam = Adam.standard(0.1);
        adam.restore(Map.of("step", new double[] {3}, "m/layer0/W", new double[2], "v/layer0/W", new double[2]));
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> run(adam, blocks(), 0, 1));
        assertTrue(ex.getMessage().contains("block 'layer0/W' has 3 values but its state has 2"), ex.getMessage());
    }

    @Test
    void lbfgsContinuesIdenticallyAfterRestore() {
        Problems.Rosenbrock straight = new Problems.Rosenbrock(new double[] {-1.2, 1, -1.2, 1});
        Minimization all = Lbfgs.standard().minimize(straight, 25, 0);

        Problems.Rosenbrock resumed = new Problems.Rosenbrock(new double[] {-1.2, 1, -1.2, 1});
        Lbfgs first = Lbfgs.standard();
        first.minimize(resumed, 11, 0);
        Map<String, double[]> saved = first.state();
        assertEquals(10 * 2 + 2, saved.size(), "m = 10 pairs are full after 11 iterations");
        Lbfgs second = Lbfgs.standard();
        second.restore(saved);
        Minimization rest = second.minimize(resumed, 14, 0);
        assertArrayEquals(straight.x(), resumed.x(), 0);
        assertEquals(all.value(), rest.value(), 0);
        assertEquals(25, second.iterations());
    }

    @Test
    void lbfgsStateForAnotherDimensionIsRefused() {
        Lbfgs l = Lbfgs.standard();
        l.minimize(new Problems.Rosenbrock(new double[] {-1.2, 1}), 3, 0);
        Lbfgs other = Lbfgs.standard();
        other.restore(l.state());
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> other.minimize(new Problems.Rosenbrock(new double[] {-1.2, 1, 1}), 3, 0));
        assertTrue(ex.getMessage().contains("state is for 2 parameters but the objective has 3 (head [1], tail [2])"), ex.getMessage());
    }
}

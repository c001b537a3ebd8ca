package org.hybridbench.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.hybridbench.api.model.Minimization;
import org.hybridbench.api.model.Optimizer;
import org.junit.jupiter.api.Test;

/** Convergence on a convex quadratic, on Rosenbrock's function and on logistic regression. */
class ConvergenceTest {

    @Test
    void everyMethodFindsTheMinimumOfAConvexQuadratic() {
        Map<String, Optimizer> methods = Map.of(
                "sgd", new Sgd(Schedule.constant(0.2), Clipping.NONE, 0, false, 0),
                "momentum", new Sgd(Schedule.constant(0.05), Clipping.NONE, 0.9, false, 0),
                "nesterov", new Sgd(Schedule.constant(0.05), Clipping.NONE, 0.9, true, 0),
                "adagrad", new AdaGrad(Schedule.constant(1), Clipping.NONE, 1e-10, 0),
                "adam", new Adam(new Schedule(0.1, Schedule.Kind.COSINE, 10, 1, 3000, 0), Clipping.NONE, 0.9, 0.999, 1e-8, 0),
                "lbfgs", Lbfgs.standard());
        for (Map.Entry<String, Optimizer> e : methods.entrySet()) {
            Problems.Quadratic q = Problems.Quadratic.standard();
            Minimization r = e.getValue().minimize(q, 5000, 1e-9);
            assertTrue(r.converged(), e.getKey() + ": " + r);
            assertArrayEquals(q.c, q.x.values(), 1e-8, e.getKey() + ": " + r);
            if (e.getKey().equals("lbfgs")) {
                assertTrue(r.iterations() <= 10, "L-BFGS on a 3-D quadratic: " + r);
            }
        }
    }

    @Test
    void lbfgsSolvesRosenbrockTo1e8InUnder100Iterations() {
        Problems.Rosenbrock f = new Problems.Rosenbrock(new double[] {-1.2, 1});
        Lbfgs lbfgs = Lbfgs.standard();
        Minimization r = lbfgs.minimize(f, 100, 1e-10);
        assertTrue(r.converged(), r.toString());
        assertTrue(r.iterations() < 100, r.toString());
        assertArrayEquals(new double[] {1, 1}, f.x(), 1e-8, r.toString());
        assertTrue(r.value() < 1e-16, r.toString());
        assertEquals(r.evaluations(), f.evaluations, "every evaluation is counted");
    }

    @Test
    void lbfgsSolvesTenDimensionalRosenbrock() {
        double[] start = new double[10];
        for (int i = 0; i < 10; i++) {
            start[i] = i % 2 == 0 ? -1.2 : 1;
        }
        Problems.Rosenbrock f = new Problems.Rosenbrock(start);
        Minimization r = Lbfgs.standard().minimize(f, 200, 1e-10);
        assertTrue(r.converged(), r.toString());
        double[] ones = new double[10];
        java.util.Arrays.fill(ones, 1);
        assertArrayEquals(ones, f.x(), 1e-8, r.toString());
    }

    @Test
    void lbfgsMatchesALongGradientDescentOnLogisticRegression() {
        Problems.Logistic gd = new Problems.Logistic(300, 4, 1e-2, 7);
        Sgd descent = new Sgd(Schedule.constant(1 / gd.lipschitz()), Clipping.NONE, 0, false, 0);
        Minimization slow = descent.minimize(gd, 200_000, 1e-11);
        assertTrue(slow.converged(), slow.toString());

        Problems.Logistic lb = new Problems.Logistic(300, 4, 1e-2, 7);
        Minimization fast = Lbfgs.standard().minimize(lb, 100, 1e-11);
        assertTrue(fast.converged(), fast.toString());
        assertTrue(fast.iterations() < 50, fast.toString());
        assertArrayEquals(gd.w.values(), lb.w.values(), 1e-9, fast + " vs " + slow);
        assertArrayEquals(gd.b.values(), lb.b.values(), 1e-9);
        assertEquals(slow.value(), fast.value(), 1e-14);
    }

    @Test
    void stochasticStepsOnAQuadraticWithClippingAndWarmupStillConverge() {
        Problems.Quadratic q = Problems.Quadratic.standard();
        Adam adam = new Adam(new Schedule(0.05, Schedule.Kind.EXPONENTIAL, 20, 0.5, 500, 0), new Clipping(1, 0), 0.9, 0.999, 1e-8, 0);
        for (int t = 0; t < 4000; t++) {
            q.evaluate();
            adam.step(List.of(q.x));
        }
        assertArrayEquals(q.c, q.x.values(), 1e-6);
    }
}

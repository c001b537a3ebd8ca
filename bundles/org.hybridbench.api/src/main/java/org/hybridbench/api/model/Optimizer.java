package org.hybridbench.api.model;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Updates parameter blocks from their gradients (SGD, Adam, L-BFGS …). Blocks are identified by name, so
 * per-block state (moments) survives between steps; the gradient is of a loss to be minimised.
 *
 * <p>Two ways to use an optimizer:
 * <ul>
 * <li><b>Stochastic</b> ({@link #step}): the caller fills every block's gradient (e.g. from a mini-batch) and
 * asks for one update. SGD, AdaGrad and Adam work this way.</li>
 * <li><b>Full batch</b> ({@link #minimize}): the caller hands over an {@link Objective} that the optimizer may
 * evaluate as often as it needs (line searches); the optimizer runs until the gradient is small or the
 * iteration budget is spent. Quasi-Newton methods (L-BFGS) need this; the default implementation runs
 * {@link #step} on the full gradient, so every optimizer can be used both ways.</li>
 * </ul>
 *
 * <p><b>Checkpoints.</b> {@link #state()} returns the whole optimizer state (step count, moments, curvature
 * pairs) as named arrays; {@link #restore} on a fresh optimizer of the same type and configuration makes it
 * continue exactly as the saved one would have. Entry names are the optimizer's own (they usually contain the
 * block name); callers store and return the map unchanged.
 */
@ConsumerType
public interface Optimizer {

    /**
     * Applies one update to every block in place.
     *
     * @throws IllegalArgumentException if a gradient entry is not finite (the message names the block and the
     *             index) or a block changed size since the last step
     * @throws UnsupportedOperationException if the method only works on a full {@link Objective} (L-BFGS)
     */
    void step(List<ParameterBlock> blocks);

    /** Forgets all per-block state (moments, curvature pairs, step count). */
    void reset();

    /**
     * Minimises a full-batch objective, changing the values of {@link Objective#parameters()} in place and
     * leaving them at the best point found. Continues from the optimizer's current state (a second call goes on
     * where the first stopped; {@link #reset()} starts afresh).
     *
     * <p>The default evaluates the objective, stops when the Euclidean norm of the whole gradient is at most
     * {@code gradientTolerance}, and otherwise applies {@link #step}; methods with a line search override it.
     *
     * @param maxIterations the most updates to make (≥ 0)
     * @param gradientTolerance stop when ‖∇f‖₂ ≤ this (≥ 0)
     * @throws IllegalArgumentException for a non-finite value or gradient (naming block and index)
     */
    default Minimization minimize(Objective objective, int maxIterations, double gradientTolerance) {
        if (maxIterations < 0 || !(gradientTolerance >= 0)) {
            throw new IllegalArgumentException("minimize needs maxIterations >= 0 and gradientTolerance >= 0, got "
                    + maxIterations + " and " + gradientTolerance);
        }
        List<ParameterBlock> blocks = objective.parameters();
        int evaluations = 0;
        for (int iteration = 0;; iteration++) {
            double f = objective.evaluate();
            evaluations++;
            if (!Double.isFinite(f)) {
                throw new IllegalArgumentException("objective value is " + f + " after " + iteration + " iterations");
            }
            double norm = Objective.gradientNorm(blocks);
            if (norm <= gradientTolerance) {
                return new Minimization(f, norm, iteration, evaluations, true, "gradient norm " + norm + " <= " + gradientTolerance);
            }
            if (iteration == maxIterations) {
                return new Minimization(f, norm, iteration, evaluations, false, "iteration limit " + maxIterations + " reached");
            }
            step(blocks);
        }
    }

    /**
     * The optimizer's complete state as named arrays (copies), for checkpoints. The default (a stateless
     * optimizer) is empty.
     */
    default Map<String, double[]> state() {
        return Map.of();
    }

    /**
     * Replaces the state by one returned by {@link #state()} of an optimizer of the same type and configuration.
     *
     * @throws IllegalArgumentException if an entry is unknown to this optimizer or has the wrong length
     */
    default void restore(Map<String, double[]> state) {
        if (!state.isEmpty()) {
            throw new IllegalArgumentException(getClass().getName() + " keeps no state but was given " + state.keySet());
        }
    }
}

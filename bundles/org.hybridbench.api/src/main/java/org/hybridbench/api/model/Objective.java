package org.hybridbench.api.model;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A full-batch differentiable objective f(θ) to be minimised over the values of some parameter blocks, for
 * {@link Optimizer#minimize}. The optimizer sets the blocks' values, calls {@link #evaluate()}, and reads f and
 * the gradient; it may evaluate many points per iteration (line searches), so {@link #evaluate()} must depend
 * only on the current values (no hidden state, no sampling).
 */
@ConsumerType
public interface Objective {

    /** The blocks θ is made of; the same list (same arrays) on every call. */
    List<ParameterBlock> parameters();

    /**
     * Computes f at the current values of {@link #parameters()}, writes ∇f into their gradient arrays
     * (overwriting, not accumulating) and returns f.
     */
    double evaluate();

    /** ‖g‖₂ over the gradients of all blocks together. */
    static double gradientNorm(List<ParameterBlock> blocks) {
        double sum = 0;
        for (ParameterBlock b : blocks) {
            if (b.isSinglePrecision()) {
                for (float g : b.floatGradient()) {
                    sum += (double) g * g;
                }
            } else {
                for (double g : b.gradient()) {
                    sum += g * g;
                }
            }
        }
        return Math.sqrt(sum);
    }
}

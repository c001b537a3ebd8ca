package org.hybridbench.api.model;

import java.util.OptionalDouble;

import org.hybridbench.api.data.Matrix;

/**
 * Forward-backward over a {@link ChainBatch}: per-sequence log Z, posteriors aligned with the batch's unaries, and
 * the gradients of Σ_b log Z_b with respect to the shared potentials: ξ summed over sequences (d/d logTransition)
 * and γ_0 summed over non-empty sequences (d/d logInitial) — for Baum-Welch, the expected counts.
 *
 * @param logPartition log Z of every sequence (0 for an empty one)
 * @param posteriors γ, (Σ lengths) × K, same rows as {@link ChainBatch#logUnary()}
 * @param expectedTransitions Σ_b Σ_t p(s_t = i, s_{t+1} = j | y_b), K × K
 * @param expectedInitial Σ_b p(s_0 = k | y_b), length K
 * @param disagreement with {@link ChainNumerics#VERIFY}, the largest disagreement between scaled and log space
 */
public record ChainBatchMarginals(double[] logPartition, Matrix posteriors, Matrix expectedTransitions,
        double[] expectedInitial, OptionalDouble disagreement) {

    /** Σ_b log Z_b (the log-likelihood of the batch for an HMM). */
    public double totalLogPartition() {
        double s = 0;
        for (double v : logPartition) {
            s += v;
        }
        return s;
    }
}

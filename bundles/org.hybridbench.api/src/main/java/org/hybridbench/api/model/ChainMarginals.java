package org.hybridbench.api.model;

import java.util.OptionalDouble;

import org.hybridbench.api.data.Matrix;

/**
 * Result of forward-backward on one chain, and the gradients of log Z:
 * d logZ / d logUnary = γ, d logZ / d logTransition = ξ, d logZ / d logInitial = γ_0 (torch-struct: marginals are
 * the gradient of the log-partition). For an HMM with log b as unaries this is the seed's dJ/db = γ/b.
 * A chain of length 0 has log Z = 0 (the one empty path), no rows of γ and ξ = 0.
 *
 * @param logPartition log Z (log p(y) for an HMM)
 * @param posteriors γ (T × K), γ[t,k] = p(s_t = k | y)
 * @param expectedTransitions ξ (K × K), Σ_t p(s_t = i, s_{t+1} = j | y)
 * @param disagreement with {@link ChainNumerics#VERIFY}: the largest difference between the scaled and the
 *            log-space results (relative for log Z and ξ, absolute for γ); empty otherwise
 */
public record ChainMarginals(double logPartition, Matrix posteriors, Matrix expectedTransitions, OptionalDouble disagreement) {

    /** Marginals without a verification report. */
    public ChainMarginals(double logPartition, Matrix posteriors, Matrix expectedTransitions) {
        this(logPartition, posteriors, expectedTransitions, OptionalDouble.empty());
    }

    /** γ_0 = d logZ / d logInitial (zeros for an empty chain). */
    public double[] initialPosterior() {
        return posteriors.rows() == 0 ? new double[expectedTransitions.rows()] : posteriors.row(0);
    }
}

package org.hybridbench.api.model;

import org.hybridbench.api.data.Matrix;

/**
 * Result of forward-backward: log Z, the posteriors γ (T × K) = d logZ / d logUnary, and the expected
 * transition counts ξ (K × K, summed over positions) = d logZ / d logTransition.
 *
 * @param logPartition log Z (log p(y) for an HMM)
 * @param posteriors γ[t,k] = p(s_t = k | y)
 * @param expectedTransitions Σ_t p(s_t = i, s_{t+1} = j | y)
 */
public record ChainMarginals(double logPartition, Matrix posteriors, Matrix expectedTransitions) {
}

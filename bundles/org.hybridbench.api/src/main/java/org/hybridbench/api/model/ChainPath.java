package org.hybridbench.api.model;

/**
 * One state path through a chain and its log-score (log joint probability for an HMM).
 *
 * @param states the state at each position
 * @param logScore sum of the path's log-potentials
 */
public record ChainPath(int[] states, double logScore) {
}

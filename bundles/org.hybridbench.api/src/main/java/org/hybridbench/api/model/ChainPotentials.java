package org.hybridbench.api.model;

import org.hybridbench.api.data.Matrix;

/**
 * Log-potentials of a linear chain with K states and T positions: initial (K), transition (K × K, row = from)
 * and unary (T × K). For an HMM these are log π, log A and log b; for a CRF, learned scores.
 *
 * @param logInitial log-potential of each state at position 0
 * @param logTransition log-potential of moving from row state to column state
 * @param logUnary log-potential of each state at each position
 */
public record ChainPotentials(double[] logInitial, Matrix logTransition, Matrix logUnary) {
    public ChainPotentials {
        int k = logInitial.length;
        if (logTransition.rows() != k || logTransition.cols() != k || logUnary.cols() != k) {
            throw new IllegalArgumentException("chain with " + k + " states needs a " + k + "x" + k
                    + " transition matrix and T x " + k + " unaries, got " + logTransition + " and " + logUnary);
        }
    }

    public int numStates() {
        return logInitial.length;
    }

    public int length() {
        return logUnary.rows();
    }
}

package org.hybridbench.api.model;

/**
 * How forward-backward is evaluated. Viterbi and n-best always work on log-potentials (max-plus needs no
 * rescaling); these choices concern sums over paths (log Z, marginals, sampling).
 */
public enum ChainNumerics {
    /**
     * Probability space with per-position rescaling (Rabiner 1989, eq. 91–92): the fast path for HMMs.
     * Potentials are exponentiated after subtracting each row's maximum, so only differences of more than
     * about 700 nats within one position (possible with CRF scores) lose precision; a position whose scaled
     * messages vanish is recomputed in log space, never returned as NaN.
     */
    SCALED,
    /** Log space with log-sum-exp at every position: slower, exact for scores of any magnitude; the reference. */
    LOG,
    /**
     * Runs both, returns the log-space result and reports the largest disagreement
     * ({@link ChainMarginals#disagreement()}).
     */
    VERIFY;

    /** The numerics named {@code scaled}, {@code log} or {@code verify} (case-insensitive), as in stage configuration. */
    public static ChainNumerics fromName(String name) {
        for (ChainNumerics n : values()) {
            if (n.name().equalsIgnoreCase(name)) {
                return n;
            }
        }
        throw new IllegalArgumentException("unknown chain numerics '" + name + "' (known: scaled, log, verify)");
    }
}

package org.hybridbench.api.model;

import java.util.List;
import java.util.random.RandomGenerator;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Exact inference over a linear chain of log-potentials, shared by HMMs and linear-chain CRFs.
 */
@ConsumerType
public interface ChainInference {

    /** log Z, the log-sum over all paths of their summed log-potentials. */
    double logPartition(ChainPotentials potentials);

    /** Forward-backward: log Z, posteriors and expected transition counts. */
    ChainMarginals marginals(ChainPotentials potentials);

    /** The highest-scoring path (Viterbi). */
    ChainPath viterbi(ChainPotentials potentials);

    /** The {@code n} highest-scoring paths, best first (fewer if the chain has fewer paths). */
    List<ChainPath> nBest(ChainPotentials potentials, int n);

    /** A path drawn from the chain's distribution (forward filter, backward sample). */
    ChainPath sample(ChainPotentials potentials, RandomGenerator rng);
}

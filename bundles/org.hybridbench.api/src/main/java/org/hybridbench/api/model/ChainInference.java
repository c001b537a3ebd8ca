package org.hybridbench.api.model;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Exact inference over a linear chain of log-potentials, shared by HMMs and linear-chain CRFs: one dynamic
 * program evaluated in different semirings (log-sum-exp → log Z and marginals, max → Viterbi, k-max → n-best,
 * forward filter + backward sample). Scores of a path: logInitial[s_0] + Σ_t logUnary[t, s_t] +
 * Σ_t logTransition[s_t, s_{t+1}]. −Infinity marks impossible states and transitions (left-to-right and other
 * sparse topologies cost only their allowed transitions); NaN and +Infinity are rejected with a
 * {@link ChainInputException} naming sequence, position and value, and so is a chain with no possible path.
 * Chains of length 0 are allowed: one empty path of score 0.
 *
 * <p>Implementations are thread-safe. The batch methods have per-sequence defaults; implementations override
 * them with batched kernels.
 */
@ConsumerType
public interface ChainInference {

    /** The numerics used for sums over paths. */
    ChainNumerics numerics();

    /** This inference with other numerics (the same object if they are already in use). */
    ChainInference withNumerics(ChainNumerics numerics);

    /** log Z, the log-sum over all paths of their scores. */
    double logPartition(ChainPotentials potentials);

    /** Forward-backward: log Z, posteriors γ and expected transition counts ξ (also the gradients of log Z). */
    ChainMarginals marginals(ChainPotentials potentials);

    /** The highest-scoring path (Viterbi); ties go to the lowest state index. */
    ChainPath viterbi(ChainPotentials potentials);

    /** The {@code n} highest-scoring possible paths, best first (fewer if the chain has fewer possible paths). */
    List<ChainPath> nBest(ChainPotentials potentials, int n);

    /** A path drawn from p(path) ∝ exp(score) (forward filter, backward sample), with its score. */
    ChainPath sample(ChainPotentials potentials, RandomGenerator rng);

    /** log Z of every sequence of the batch. */
    default double[] logPartition(ChainBatch batch) {
        double[] out = new double[batch.size()];
        for (int b = 0; b < out.length; b++) {
            out[b] = logPartition(batch.chain(b));
        }
        return out;
    }

    /** Forward-backward over every sequence of the batch; ξ and γ_0 summed over sequences. */
    ChainBatchMarginals marginals(ChainBatch batch);

    /** The Viterbi path of every sequence of the batch. */
    default List<ChainPath> viterbi(ChainBatch batch) {
        List<ChainPath> out = new ArrayList<>(batch.size());
        for (int b = 0; b < batch.size(); b++) {
            out.add(viterbi(batch.chain(b)));
        }
        return out;
    }
}

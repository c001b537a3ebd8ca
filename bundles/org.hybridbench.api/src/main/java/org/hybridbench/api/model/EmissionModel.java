package org.hybridbench.api.model;

import java.util.List;
import java.util.random.RandomGenerator;

import org.hybridbench.api.data.Matrix;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * An emission model p(y | state = k) for K states: batched log-densities, EM sufficient statistics and
 * M-step, parameters for gradient training, the gradient with respect to the observations (∂ log b / ∂y,
 * needed when a network produces y), and sampling.
 *
 * <p><b>Threads.</b> {@link #logDensity}, {@link #observationGradient} and {@link #sample} only read the
 * parameters, so callers (e.g. an HMM trainer working on many sequences at once) may call them from several
 * threads as long as nothing changes the parameters meanwhile. {@link #accumulate}, {@link #maximize} and
 * {@link #parameterGradient} change state and are called from one thread at a time.
 *
 * <p><b>Bad input.</b> An observation that is NaN or infinite, has the wrong number of columns, or is not a
 * valid value for the model (e.g. a negative or fractional count for a Poisson or categorical model) is
 * rejected with an {@link IllegalArgumentException} whose message names the row (position), column and value;
 * callers that know which sequence it came from prefix the sequence.
 */
@ConsumerType
public interface EmissionModel {

    /** Number of states K. */
    int numStates();

    /** Dimension of one observation. */
    int dimension();

    /** Fills {@code out} (T × K) with log b_k(y_t) for the T rows of {@code observations} (T × d). */
    void logDensity(Matrix observations, Matrix out);

    /**
     * Adds weighted sufficient statistics: {@code weights} (T × K) are state posteriors γ (or one-hot labels for
     * supervised fitting); a row may sum to anything non-negative.
     */
    void accumulate(Matrix observations, Matrix weights);

    /**
     * Re-estimates the parameters from the accumulated statistics and clears them: the weighted maximum-likelihood
     * estimate (the EM M-step), subject to the model's documented floors. A state that received (almost) no weight
     * keeps its parameters and is reported by {@link #lastMaximizeReport()}.
     */
    void maximize();

    /**
     * What the last {@link #maximize} had to handle specially (empty states or components kept, floors applied,
     * jitter added), one line each, for the trainer's log; empty when nothing happened.
     */
    default List<String> lastMaximizeReport() {
        return List.of();
    }

    /** The trainable parameters, as views of the model's storage (see {@link #parameterGradient}). */
    List<ParameterBlock> parameters();

    /**
     * Accumulates (adds, does not overwrite) into the {@link ParameterBlock#gradient()} arrays of
     * {@link #parameters()} the gradient of a loss whose gradient with respect to log b is {@code dLogB}:
     * grad[θ] += Σ_t Σ_k dLogB[t,k] ∂ log b_k(y_t) / ∂θ. For the negative log-likelihood of an HMM,
     * dLogB = −γ. Callers zero the gradient arrays between steps.
     */
    void parameterGradient(Matrix observations, Matrix dLogB);

    /**
     * Back-propagates {@code dLogB} (T × K, the gradient of a loss with respect to log b) to the observations:
     * {@code out}[t] = Σ_k dLogB[t,k] ∂ log b_k(y_t) / ∂ y_t (T × d), overwriting {@code out}.
     */
    void observationGradient(Matrix observations, Matrix dLogB, Matrix out);

    /** Draws one observation per entry of {@code states}: a (states.length × d) matrix. */
    Matrix sample(int[] states, RandomGenerator rng);

    /**
     * The number of free (independently adjustable) parameters, for AIC and BIC; e.g. K·d means and K·d variances
     * for a diagonal Gaussian, K·(V − 1) for a categorical model over V symbols.
     */
    long freeParameters();
}

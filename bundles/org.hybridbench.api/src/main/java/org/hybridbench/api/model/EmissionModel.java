package org.hybridbench.api.model;

import java.util.List;
import java.util.random.RandomGenerator;

import org.hybridbench.api.data.Matrix;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * An emission model p(y | state = k) for K states: batched log-densities, EM sufficient statistics and
 * M-step, parameters for gradient training, the gradient with respect to the observations (∂ log b / ∂y,
 * needed when a network produces y), and sampling.
 */
@ConsumerType
public interface EmissionModel {

    /** Number of states K. */
    int numStates();

    /** Dimension of one observation. */
    int dimension();

    /** Fills {@code out} (T × K) with log b_k(y_t) for the T rows of {@code observations} (T × d). */
    void logDensity(Matrix observations, Matrix out);

    /** Adds weighted sufficient statistics: {@code weights} (T × K) are state posteriors γ. */
    void accumulate(Matrix observations, Matrix weights);

    /** Re-estimates the parameters from the accumulated statistics and clears them. */
    void maximize();

    /** The trainable parameters, as views. */
    List<ParameterBlock> parameters();

    /**
     * Back-propagates {@code dLogB} (T × K, the gradient of a loss with respect to log b) to the observations:
     * {@code out}[t] = Σ_k dLogB[t,k] ∂ log b_k(y_t) / ∂ y_t (T × d).
     */
    void observationGradient(Matrix observations, Matrix dLogB, Matrix out);

    /** Draws one observation per entry of {@code states}: a (states.length × d) matrix. */
    Matrix sample(int[] states, RandomGenerator rng);
}

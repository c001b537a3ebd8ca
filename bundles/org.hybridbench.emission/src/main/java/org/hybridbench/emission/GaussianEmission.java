package org.hybridbench.emission;

/**
 * One Gaussian per state, b_i(y) = N(y; μ_i, Σ_i) (Rabiner 1989 eq. 49 with M = 1; PRML §13.2.1), with spherical,
 * diagonal, full or tied (one Σ for all states) covariance. Parameter blocks: {@code means} [K, d] and
 * {@code precisionCholesky} (U with Σ⁻¹ = U Uᵀ): [K] spherical, [K, d] diagonal, [K, d, d] full, [d, d] tied.
 */
public final class GaussianEmission extends GaussianEmissionBase {

    /** All means 0, unit covariances; set them, {@link #initialize} from data, or fit by EM. */
    public GaussianEmission(int states, int dimension, CovarianceType type, double covarianceFloor) {
        super(states, 1, dimension, type, covarianceFloor);
    }

    @Override
    String modelName() {
        return "Gaussian emission";
    }

    /** A copy of μ_i. */
    public double[] mean(int state) {
        return mean(state, 0);
    }

    /** Σ_i as a dense d × d array. */
    public double[] covariance(int state) {
        return covariance(state, 0);
    }
}

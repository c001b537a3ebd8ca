package org.hybridbench.emission;

/**
 * A mixture of M Gaussians per state, b_i(y) = Σ_m Z_im N(y; μ_im, Σ_im) (Rabiner 1989 eq. 49; the seed lecture's
 * p(Y_t | S_t = i) = Σ_k Z_ik N(Y_t; μ_ik, Σ_ik)), with spherical, diagonal, full or tied (one Σ for every
 * component of every state) covariance. Parameter blocks: {@code mixtureLogits} [K, M] (Z_i = softmax),
 * {@code means} [K, M, d], {@code precisionCholesky}: [K, M] spherical, [K, M, d] diagonal, [K, M, d, d] full,
 * [d, d] tied. The M-step is Rabiner eqs. 52–54 with the covariance floor described in
 * {@link GaussianEmissionBase}.
 */
public final class GaussianMixtureEmission extends GaussianEmissionBase {

    /** Equal weights, all means 0, unit covariances; set them, {@link #initialize} from data, or fit by EM. */
    public GaussianMixtureEmission(int states, int components, int dimension, CovarianceType type, double covarianceFloor) {
        super(states, components, dimension, type, covarianceFloor);
    }

    @Override
    String modelName() {
        return "Gaussian-mixture emission";
    }
}

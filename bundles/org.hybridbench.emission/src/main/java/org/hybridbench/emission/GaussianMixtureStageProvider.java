package org.hybridbench.emission;

import org.hybridbench.api.ConfigParam;
import org.hybridbench.api.Stage;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageDescriptor;
import org.hybridbench.api.StageProvider;
import org.hybridbench.api.StageType;
import org.osgi.service.component.annotations.Component;

/** Stage type {@code emission.gmm}: a Gaussian mixture per state ({@link GaussianMixtureEmission}). */
@Component(service = StageProvider.class)
@StageType(GaussianMixtureStageProvider.TYPE)
public class GaussianMixtureStageProvider implements StageProvider {
    static final String TYPE = "emission.gmm";
    private static final StageDescriptor DESCRIPTOR = EmissionStages.descriptor(TYPE,
            "Gaussian-mixture emissions b_i(y) = sum_m Z_im N(y; mu_im, Sigma_im) with spherical, diagonal, full or tied "
                    + "covariance; initialised per state by k-means on its labelled positions (init = labels, the default for labelled "
                    + "data), by k-means with K*M centres on all positions (init = data), or at random.")
            .config(ConfigParam.integer("components", 2L, 1, 10_000, "Mixture components M per state."))
            .config(ConfigParam.integer("dimension", 0L, 0, 1_000_000, "Observation dimension d; 0 = the data's."))
            .config(ConfigParam.choice("covariance", "diagonal", GaussianStageProvider.COVARIANCES,
                    "spherical, diagonal, full, or tied (one full covariance shared by every component of every state)."))
            .config(ConfigParam.number("covarianceFloor", 1e-3, 1e-12, Double.MAX_VALUE,
                    "Smallest variance (eigenvalue for full/tied) the M-step may produce."))
            .build();

    @Override
    public StageDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Stage create(StageConfig c) {
        int k = c.getInt("states");
        int comps = c.getInt("components");
        CovarianceType type = CovarianceType.fromConfig(c.getString("covariance"));
        double floor = c.getDouble("covarianceFloor");
        return EmissionStages.stage(TYPE, c.getString("init"), c.getInt("dimension"),
                d -> new GaussianMixtureEmission(k, comps, d, type, floor),
                (m, data, rng) -> ((GaussianMixtureEmission) m).initialize(data, rng),
                (m, data, labels, names, rng) -> ((GaussianEmissionBase) m).initializeFromLabels(data, labels, names, rng),
                (m, data, rng) -> GaussianStageProvider.randomMeans((GaussianEmissionBase) m, rng));
    }
}

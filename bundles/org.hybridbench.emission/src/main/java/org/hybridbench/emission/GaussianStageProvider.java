package org.hybridbench.emission;

import java.util.List;

import org.hybridbench.api.ConfigParam;
import org.hybridbench.api.Stage;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageDescriptor;
import org.hybridbench.api.StageProvider;
import org.hybridbench.api.StageType;
import org.osgi.service.component.annotations.Component;

/** Stage type {@code emission.gaussian}: one Gaussian per state ({@link GaussianEmission}). */
@Component(service = StageProvider.class)
@StageType(GaussianStageProvider.TYPE)
public class GaussianStageProvider implements StageProvider {
    static final String TYPE = "emission.gaussian";
    static final List<String> COVARIANCES = List.of("diagonal", "full", "spherical", "tied");
    private static final StageDescriptor DESCRIPTOR = EmissionStages.descriptor(TYPE,
            "Gaussian emissions b_i(y) = N(y; mu_i, Sigma_i) with spherical, diagonal, full or tied covariance; "
                    + "initialised from each state's labelled positions (init = labels, the default for labelled data), by "
                    + "k-means on all positions (init = data; states ordered by their first mean coordinate) or at random.")
            .config(ConfigParam.integer("dimension", 0L, 0, 1_000_000, "Observation dimension d; 0 = the data's."))
            .config(ConfigParam.choice("covariance", "diagonal", COVARIANCES,
                    "spherical (one variance), diagonal, full, or tied (one full covariance shared by all states)."))
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
        CovarianceType type = CovarianceType.fromConfig(c.getString("covariance"));
        double floor = c.getDouble("covarianceFloor");
        return EmissionStages.stage(TYPE, c.getString("init"), c.getInt("dimension"),
                d -> new GaussianEmission(k, d, type, floor),
                (m, data, rng) -> ((GaussianEmission) m).initialize(data, rng),
                (m, data, labels, names, rng) -> ((GaussianEmissionBase) m).initializeFromLabels(data, labels, names, rng),
                (m, data, rng) -> randomMeans((GaussianEmissionBase) m, rng));
    }

    /** Means drawn from N(0, I), unit covariances: the only asymmetry EM needs to separate states. */
    static void randomMeans(GaussianEmissionBase m, java.util.random.RandomGenerator rng) {
        for (int i = 0; i < m.numStates(); i++) {
            for (int j = 0; j < m.componentsPerState(); j++) {
                double[] mu = new double[m.dimension()];
                for (int a = 0; a < mu.length; a++) {
                    mu[a] = rng.nextGaussian();
                }
                m.setMean(i, j, mu);
            }
        }
    }
}

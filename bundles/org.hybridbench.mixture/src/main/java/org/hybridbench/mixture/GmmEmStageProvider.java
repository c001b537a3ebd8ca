package org.hybridbench.mixture;

import java.util.List;

import org.hybridbench.api.ConfigParam;
import org.hybridbench.api.PortSpec;
import org.hybridbench.api.PortTypes;
import org.hybridbench.api.Stage;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageDescriptor;
import org.hybridbench.api.StageProvider;
import org.hybridbench.api.StageRole;
import org.hybridbench.api.StageType;
import org.osgi.service.component.annotations.Component;

/** Stage type {@code model.gmm.em}: a Gaussian mixture fitted by EM. */
@Component(service = StageProvider.class)
@StageType("model.gmm.em")
public class GmmEmStageProvider implements StageProvider {
    private static final StageDescriptor DESCRIPTOR = StageDescriptor.builder("model.gmm.em", StageRole.EMISSION)
            .description("Fits a Gaussian mixture to the data set by EM (Dempster, Laird & Rubin 1977; Bishop PRML 9.2.2). "
                    + "At most training.epochs iterations; checkpoints every training.checkpointEvery iterations and "
                    + "resumes from the last one. Outputs the cluster of every row and the mixture as an emission model "
                    + "(one state per component); writes model-gmm.json.")
            .config(ConfigParam.integer("components", 10L, 1, 10_000, "Number of mixture components K."))
            .config(ConfigParam.choice("covariance", "diagonal", List.of("diagonal", "full", "spherical"),
                    "Covariance of each component: diagonal, full, or spherical (one variance)."))
            .config(ConfigParam.number("tolerance", 1e-4, 0, Double.MAX_VALUE,
                    "Stop when the mean per-row log-likelihood changes by less than this; 0 runs all iterations."))
            .config(ConfigParam.choice("init", "kmeans++", List.of("kmeans++", "random"),
                    "Initial centres: k-means++ seeding or distinct random rows; then one hard-assignment M-step."))
            .config(ConfigParam.number("covarianceFloor", 1e-3, 1e-12, Double.MAX_VALUE,
                    "Smallest variance (eigenvalue, for full covariances) a component may have."))
            .input(PortSpec.required("dataset", PortTypes.DATASET, "The rows to cluster."))
            .output(PortSpec.output("predictions", PortTypes.PREDICTIONS,
                    "The most probable component of every row, with the data set's labels as reference."))
            .output(PortSpec.output("model", PortTypes.EMISSION_MODEL, "The fitted mixture; each component is a state."))
            .build();

    @Override
    public StageDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Stage create(StageConfig config) {
        return new GmmEmStage(config.getInt("components"), CovarianceType.fromConfig(config.getString("covariance")),
                config.getDouble("tolerance"), config.getString("init"), config.getDouble("covarianceFloor"));
    }
}

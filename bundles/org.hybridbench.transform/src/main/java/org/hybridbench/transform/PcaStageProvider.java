package org.hybridbench.transform;

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

/** Stage type {@code transform.pca}: principal component analysis by eigendecomposition of the covariance. */
@Component(service = StageProvider.class)
@StageType("transform.pca")
public class PcaStageProvider implements StageProvider {
    private static final StageDescriptor DESCRIPTOR = StageDescriptor.builder("transform.pca", StageRole.TRANSFORM)
            .description("Projects the data set onto its leading principal components (eigenvectors of the sample "
                    + "covariance, Commons Math), optionally whitened. Reports the explained variance per component.")
            .config(ConfigParam.integer("components", 30L, 1, 100_000, "Number of principal components kept."))
            .config(ConfigParam.bool("whiten", false, "Divide each component by its standard deviation (unit variance)."))
            .input(PortSpec.required("dataset", PortTypes.DATASET, "The data to project."))
            .output(PortSpec.output("dataset", PortTypes.DATASET, "The projected data (same rows, labels, provenance)."))
            .build();

    @Override
    public StageDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Stage create(StageConfig config) {
        return new PcaStage(config.getInt("components"), config.getBoolean("whiten"));
    }
}

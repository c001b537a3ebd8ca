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

/** Stage type {@code transform.standardize}: zero mean and unit variance per column. */
@Component(service = StageProvider.class)
@StageType("transform.standardize")
public class StandardizeStageProvider implements StageProvider {
    private static final StageDescriptor DESCRIPTOR = StageDescriptor.builder("transform.standardize", StageRole.TRANSFORM)
            .description("Centres every column and divides it by its standard deviation (population, divisor n), "
                    + "or by stdFloor when that is smaller, so constant columns become 0 instead of NaN.")
            .config(ConfigParam.number("stdFloor", 1e-8, 0, Double.MAX_VALUE,
                    "Smallest standard deviation divided by; columns below it are only centred (scaled by 1/stdFloor)."))
            .input(PortSpec.required("dataset", PortTypes.DATASET, "The data to standardise."))
            .output(PortSpec.output("dataset", PortTypes.DATASET, "The standardised data (same rows, labels, provenance)."))
            .build();

    @Override
    public StageDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Stage create(StageConfig config) {
        return new StandardizeStage(config.getDouble("stdFloor"));
    }
}

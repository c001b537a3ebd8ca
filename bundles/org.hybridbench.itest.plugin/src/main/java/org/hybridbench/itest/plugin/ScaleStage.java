package org.hybridbench.itest.plugin;

import org.hybridbench.api.ConfigParam;
import org.hybridbench.api.PortSpec;
import org.hybridbench.api.PortTypes;
import org.hybridbench.api.Stage;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageDescriptor;
import org.hybridbench.api.StageProvider;
import org.hybridbench.api.StageRole;
import org.hybridbench.api.StageType;
import org.hybridbench.api.data.Dataset;
import org.hybridbench.api.data.Matrix;
import org.osgi.service.component.annotations.Component;

/** {@code test.scale}: multiplies every feature by {@code factor}; proves a plugin's stage joins a pipeline. */
@Component(service = StageProvider.class)
@StageType("test.scale")
public final class ScaleStage implements StageProvider {
    private static final StageDescriptor DESCRIPTOR = StageDescriptor.builder("test.scale", StageRole.TRANSFORM)
            .description("Multiplies every feature by a factor.")
            .config(ConfigParam.number("factor", 2.0, -1e6, 1e6, "the factor"))
            .input(PortSpec.required("dataset", PortTypes.DATASET, "input rows"))
            .output(PortSpec.output("dataset", PortTypes.DATASET, "scaled rows")).build();

    @Override
    public StageDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Stage create(StageConfig config) {
        double factor = config.getDouble("factor");
        return (io, ctx) -> {
            Dataset in = io.input("dataset", PortTypes.DATASET);
            double[] x = in.features().data().clone();
            for (int i = 0; i < x.length; i++) {
                x[i] *= factor;
            }
            ctx.metrics(0, java.util.Map.of("factor", factor, "rows", in.size()));
            io.output("dataset", PortTypes.DATASET, in.withFeatures(in.name() + "*" + factor,
                    new Matrix(in.features().rows(), in.features().cols(), x)));
        };
    }

}

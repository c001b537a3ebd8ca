package org.hybridbench.itest.plugin;

import org.hybridbench.api.ConfigParam;
import org.hybridbench.api.PortSpec;
import org.hybridbench.api.PortTypes;
import org.hybridbench.api.Stage;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageDescriptor;
import org.hybridbench.api.StageException;
import org.hybridbench.api.StageProvider;
import org.hybridbench.api.StageRole;
import org.hybridbench.api.StageType;
import org.hybridbench.api.data.Dataset;
import org.osgi.service.component.annotations.Component;

/** {@code test.fail}: throws after writing an artifact, to prove a failing stage leaves no partial run. */
@Component(service = StageProvider.class)
@StageType("test.fail")
public final class FailStage implements StageProvider {
    private static final StageDescriptor DESCRIPTOR = StageDescriptor.builder("test.fail", StageRole.TRANSFORM)
            .description("Fails on purpose at a given row.")
            .config(ConfigParam.integer("row", 3L, 0, Integer.MAX_VALUE, "row index named in the error"))
            .config(ConfigParam.bool("unchecked", false, "throw an IllegalStateException instead of a StageException"))
            .input(PortSpec.required("dataset", PortTypes.DATASET, "input rows"))
            .output(PortSpec.output("dataset", PortTypes.DATASET, "never produced")).build();

    @Override
    public StageDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Stage create(StageConfig config) {
        long row = config.getLong("row");
        boolean unchecked = config.getBoolean("unchecked");
        return (io, ctx) -> {
            Dataset in = io.input("dataset", PortTypes.DATASET);
            ctx.saveArtifact("half-done.txt", out -> out.write("partial".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            if (unchecked) {
                throw new IllegalStateException("unexpected state at row " + row);
            }
            throw new StageException("value at row " + row + " of " + in.name() + " is not usable (deliberate test failure)");
        };
    }
}

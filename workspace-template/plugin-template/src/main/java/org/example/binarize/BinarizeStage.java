package org.example.binarize;

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
import org.hybridbench.api.data.Matrix;
import org.osgi.service.component.annotations.Component;

import java.util.Map;

/**
 * Stage type {@code example.binarize}: turns grey-level features into 0/1 by a threshold, as binarised MNIST
 * is made. A whole plugin is this: a {@link StageProvider} component with a {@link StageType}, a descriptor
 * (config fields with defaults and bounds, typed ports), and a {@link Stage} per run.
 */
@Component(service = StageProvider.class)
@StageType("example.binarize")
public final class BinarizeStage implements StageProvider {

    private static final StageDescriptor DESCRIPTOR = StageDescriptor.builder("example.binarize", StageRole.TRANSFORM)
            .description("Sets every feature to 1 if it is above the threshold, else 0.")
            .config(ConfigParam.number("threshold", 0.5, 0.0, 1.0, "values above it become 1"))
            .input(PortSpec.required("dataset", PortTypes.DATASET, "grey-level rows in [0, 1]"))
            .output(PortSpec.output("dataset", PortTypes.DATASET, "the same rows with 0/1 features"))
            .build();

    @Override
    public StageDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Stage create(StageConfig config) {
        double threshold = config.getDouble("threshold");
        return (io, context) -> {
            Dataset in = io.input("dataset", PortTypes.DATASET);
            io.output("dataset", PortTypes.DATASET, binarize(in, threshold));
            context.log("binarized " + in.size() + " rows at threshold " + threshold);
            context.metrics(0, Map.of("onesFraction", onesFraction(binarize(in, threshold))));
        };
    }

    static Dataset binarize(Dataset in, double threshold) throws StageException {
        Matrix x = in.features();
        int[] bad = x.firstNonFinite();
        if (bad != null) {
            throw new StageException(in.name() + ": row " + bad[0] + ", column " + bad[1] + " is " + x.get(bad[0], bad[1])
                    + "; expected a finite value");
        }
        double[] out = new double[x.data().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = x.data()[i] > threshold ? 1.0 : 0.0;
        }
        return in.withFeatures(in.name() + " binarized", new Matrix(x.rows(), x.cols(), out));
    }

    static double onesFraction(Dataset d) {
        double s = 0;
        for (double v : d.features().data()) {
            s += v;
        }
        return d.features().data().length == 0 ? 0 : s / d.features().data().length;
    }
}

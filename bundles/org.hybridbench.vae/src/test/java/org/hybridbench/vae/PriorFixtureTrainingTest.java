package org.hybridbench.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.hybridbench.api.TrainingRegime;
import org.hybridbench.api.data.Dataset;
import org.hybridbench.testing.FakeRunContext;
import org.hybridbench.testing.FakeStageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture recipe of {@link FixtureTrainingTest} with the Laplace prior and the Monte-Carlo KL, through the stage
 * provider's config (so {@code prior} and {@code kl} reach the objective): the model learns.
 */
class PriorFixtureTrainingTest {
    @TempDir
    Path dir;

    @Test
    void laplacePriorWithMonteCarloKlLearnsTheFixture() throws Exception {
        Dataset train = Wiring.fixtureImages(dir, "train", "dynamic");
        Dataset test = Wiring.fixtureImages(dir, "test", "fixed");
        FakeStageIO io = new FakeStageIO().with("train", train).with("test", test)
                .with("encoder", Wiring.mlp(dir.resolve("e"), 5, "64", "relu", 40, "float"))
                .with("decoder", Wiring.mlp(dir.resolve("d"), 6, "64", "relu", 784, "float"))
                .with("optimizer", Wiring.adam(dir.resolve("a"), 1e-3));
        VaeStageProvider p = new VaeStageProvider(null);
        FakeRunContext ctx = new FakeRunContext(dir.resolve("run"), new TrainingRegime(30, 32, 1, 0));
        p.create(Wiring.config(p, Map.of("prior", "laplace", "kl", "mc", "evalIwaeK", 0L))).run(io, ctx);
        List<Double> trainCurve = ctx.series("trainNegElbo");
        List<Double> testCurve = ctx.series("testNegElbo");
        List<Double> kl = ctx.series("trainKl");
        System.out.println("Laplace prior, MC KL: -ELBO train " + trainCurve + "\ntest " + testCurve + "\nKL " + kl);
        assertEquals(30, trainCurve.size());
        // as with the normal prior: ≈ 784·log 2 nats untrained, well below 70 % of that after 30 epochs on 200 images
        assertTrue(trainCurve.get(0) > 400, "first epoch " + trainCurve.get(0));
        assertTrue(trainCurve.get(29) < 0.7 * trainCurve.get(0), "train -ELBO " + trainCurve);
        assertTrue(testCurve.get(29) < 0.7 * testCurve.get(0), "test -ELBO " + testCurve);
        // the sampled KL is a real, finite and positive average once the posterior moves away from the prior
        assertTrue(kl.get(29) > 0 && Double.isFinite(kl.get(29)), "KL " + kl);
    }
}

package org.hybridbench.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.hybridbench.api.PortTypes;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageException;
import org.hybridbench.api.TrainingRegime;
import org.hybridbench.api.data.Dataset;
import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.DifferentiableNetwork;
import org.hybridbench.api.model.ParameterBlock;
import org.hybridbench.testing.FakeRunContext;
import org.hybridbench.testing.FakeStageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recipe of {@code vae-fashion-mlp-fixture} through the stage providers: dataset.images (Fashion-MNIST fixture,
 * dynamic binarisation) → two encoder.mlp → optimizer.adam → model.vae; learning, pictures, resume and bad input.
 */
class FixtureTrainingTest {
    @TempDir
    Path dir;

    private VaeStageRun train(Path where, Dataset train, Dataset test, TrainingRegime regime, Map<String, Object> vae,
            Map<String, byte[]> checkpoints, boolean resuming) throws Exception {
        int latent = ((Number) vae.getOrDefault("latent", 20L)).intValue();
        String lik = (String) vae.getOrDefault("likelihood", "bernoulli");
        FakeStageIO io = new FakeStageIO().with("train", train).with("encoder", Wiring.mlp(where.resolve("e"), 5, "64", "relu", 2 * latent, "float"))
                .with("decoder", Wiring.mlp(where.resolve("d"), 6, "64", "relu", lik.equals("gaussian-learned") ? 1568 : 784, "float"))
                .with("optimizer", Wiring.adam(where.resolve("a"), 1e-3));
        if (test != null) {
            io = io.with("test", test);
        }
        VaeStageProvider p = new VaeStageProvider(null);
        FakeRunContext ctx = new FakeRunContext(where, regime, checkpoints);
        ctx.resuming = resuming;
        Map<String, Object> cfg = new HashMap<>(Map.of("evalIwaeK", 50L));
        cfg.putAll(vae);
        VaeStage stage = new VaeStage(configOf(p, cfg));
        stage.run(io, ctx);
        return new VaeStageRun(stage, ctx, io);
    }

    record VaeStageRun(VaeStage stage, FakeRunContext ctx, FakeStageIO io) {
    }

    private static VaeStage.Config configOf(VaeStageProvider p, Map<String, Object> overrides) {
        StageConfig c = Wiring.config(p, overrides);
        VaeObjective.Settings s = new VaeObjective.Settings(c.getInt("latent"), VaeObjective.Likelihood.of(c.getString("likelihood")),
                c.getDouble("variance"), c.getInt("samples"), c.getInt("iwaeK"), VaeObjective.Prior.of(c.getString("prior")),
                VaeObjective.KlEstimator.of(c.getString("kl")));
        return new VaeStage.Config(s, c.getDouble("beta"), c.getInt("klWarmupEpochs"), c.getInt("evalIwaeK"), c.getInt("evalRows"));
    }

    @Test
    void fixtureLearnsAndDrawsPictures() throws Exception {
        Dataset train = Wiring.fixtureImages(dir, "train", "dynamic");
        Dataset test = Wiring.fixtureImages(dir, "test", "fixed");
        VaeStageRun r = train(dir.resolve("run"), train, test, new TrainingRegime(30, 32, 1, 10), Map.of(), new HashMap<>(), false);
        List<Double> trainCurve = r.ctx().series("trainNegElbo");
        List<Double> testCurve = r.ctx().series("testNegElbo");
        System.out.println("fixture -ELBO train " + trainCurve + "\ntest " + testCurve + "\nseconds " + r.ctx().series("secondsPerEpoch"));
        System.out.printf("final test ELBO %.2f, IWAE-50 %.2f%n", r.stage().result.finalTestElbo(), r.stage().result.iwaeLogPx());
        assertEquals(30, trainCurve.size());
        // an untrained decoder gives about 784·log 2 = 543 nats; 200 images suffice to learn the mean image and more
        assertTrue(trainCurve.get(0) > 400, "first epoch " + trainCurve.get(0));
        assertTrue(trainCurve.get(29) < 0.7 * trainCurve.get(0), "train -ELBO " + trainCurve);
        assertTrue(testCurve.get(29) < 0.7 * testCurve.get(0), "test -ELBO " + testCurve);
        // the importance-weighted estimate of log p(x) is a tighter bound than the ELBO
        assertTrue(r.stage().result.iwaeLogPx() > r.stage().result.finalTestElbo(), "IWAE vs ELBO");
        Matrix mu = r.io().output("latents", PortTypes.MATRIX);
        assertEquals(100, mu.rows());
        assertEquals(20, mu.cols());
        for (String png : new String[] {"samples-stage.png", "recon-stage.png", "latent-stage.png", "model-stage.bin"}) {
            assertTrue(Files.size(r.ctx().runDir.resolve(png)) > 1000, png);
        }
        BufferedImage recon = ImageIO.read(r.ctx().runDir.resolve("recon-stage.png").toFile());
        assertEquals(2 + 16 * (56 + 2), recon.getWidth(), "16 tiles of 56 pixels per row");
        assertTrue(Files.notExists(r.ctx().runDir.resolve("manifold-stage.png")), "the manifold is drawn for latent 2 only");
    }

    /**
     * evaluate.vae loads a trained model into fresh networks: its ELBO with the trainer's fixed ε equals the trainer's final
     * test ELBO (so every weight arrived), its IWAE estimate lies above it; wrong files and architectures are named.
     */
    @Test
    void theEvaluationStageReloadsTheTrainedModel() throws Exception {
        Dataset train = Wiring.fixtureImages(dir, "train", "dynamic");
        Dataset test = Wiring.fixtureImages(dir, "test", "fixed");
        VaeStageRun r = train(dir.resolve("trained"), train, test, new TrainingRegime(3, 32, 1, 0), Map.of(), new HashMap<>(), false);
        double trainedElbo = r.ctx().series("testElbo").get(0);

        VaeEvalStageProvider p = new VaeEvalStageProvider(null);
        FakeStageIO io = new FakeStageIO().with("test", test).with("encoder", Wiring.mlp(dir.resolve("e2"), 77, "64", "relu", 40, "float"))
                .with("decoder", Wiring.mlp(dir.resolve("d2"), 78, "64", "relu", 784, "float"));
        FakeRunContext ctx = new FakeRunContext(dir.resolve("trained"), new TrainingRegime(1, 0, 1, 0));
        p.create(Wiring.config(p, Map.of("model", r.ctx().runDir.toString(), "modelStage", "stage", "iwaeK", 200L))).run(io, ctx);
        assertEquals(trainedElbo, ctx.series("testElbo").get(0), 1e-9 * Math.abs(trainedElbo), "the loaded model's ELBO");
        double iwae = ctx.series("testIwaeLogPx").get(0);
        assertTrue(iwae > trainedElbo, "IWAE-200 " + iwae + " vs ELBO " + trainedElbo);
        assertTrue(ctx.series("testIwaeLogPxStdErr").get(0) > 0);
        assertEquals(101, Files.readAllLines(ctx.runDir.resolve("iwae-stage.csv")).size(), "header + 100 test images");

        StageException missing = assertThrows(StageException.class, () -> p.create(Wiring.config(p, Map.of("model", "no-such-run")))
                .run(new FakeStageIO().with("test", test).with("encoder", Wiring.mlp(dir.resolve("e3"), 1, "64", "relu", 40, "float"))
                        .with("decoder", Wiring.mlp(dir.resolve("d3"), 1, "64", "relu", 784, "float")), ctx));
        assertTrue(missing.getMessage().contains("no model file for model 'no-such-run'"), missing.getMessage());
        StageException shape = assertThrows(StageException.class, () -> p.create(Wiring.config(p, Map.of("model", r.ctx().runDir.toString(),
                "modelStage", "stage"))).run(new FakeStageIO().with("test", test).with("encoder", Wiring.mlp(dir.resolve("e4"), 1, "32", "relu", 40,
                        "float")).with("decoder", Wiring.mlp(dir.resolve("d4"), 1, "64", "relu", 784, "float")), ctx));
        assertTrue(shape.getMessage().contains("encoder/"), shape.getMessage());
    }

    @Test
    void resumedRunEndsWhereAnUninterruptedOneDoes() throws Exception {
        Dataset train = Wiring.fixtureImages(dir, "train", "dynamic");
        Map<String, Object> cfg = Map.of("latent", 2L, "evalIwaeK", 5L, "klWarmupEpochs", 2L);
        VaeStageRun whole = train(dir.resolve("whole"), train, null, new TrainingRegime(4, 50, 2, 2), cfg, new HashMap<>(), false);
        Map<String, byte[]> saved = new HashMap<>();
        train(dir.resolve("first"), train, null, new TrainingRegime(2, 50, 2, 2), cfg, saved, false);
        VaeStageRun resumed = train(dir.resolve("second"), train, null, new TrainingRegime(4, 50, 2, 2), cfg, saved, true);
        assertEquals(2, resumed.ctx().series("trainNegElbo").size(), "only epochs 3 and 4 run after the resume");
        assertEquals(whole.ctx().series("trainNegElbo").get(3), resumed.ctx().series("trainNegElbo").get(1), 1e-9);
        List<ParameterBlock> a = whole.stage().blocks;
        List<ParameterBlock> b = resumed.stage().blocks;
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).values(), b.get(i).values(), 1e-12, a.get(i).name());
        }
        assertTrue(Files.size(resumed.ctx().runDir.resolve("manifold-stage.png")) > 1000, "latent 2 draws the decoded manifold");
    }

    @Test
    void nonFiniteLossStopsNamingEpochAndBatch() throws Exception {
        Dataset clean = Wiring.fixtureImages(dir, "train", "none");
        double[] v = clean.features().data().clone();
        v[5 * 784 + 300] = Double.NaN; // row 5: the Gaussian likelihood takes any value, so nothing rejects it earlier
        Dataset broken = clean.withFeatures("broken", new Matrix(clean.size(), 784, v));
        StageException e = assertThrows(StageException.class, () -> train(dir.resolve("nan"), broken, null, new TrainingRegime(2, 200, 1, 1),
                Map.of("likelihood", "gaussian-fixed"), new HashMap<>(), false));
        assertTrue(e.getMessage().contains("epoch 1 at mini-batch 0"), e.getMessage());
        assertTrue(e.getMessage().contains("none was written yet"), e.getMessage());
    }

    @Test
    void badInputIsNamed() throws Exception {
        Dataset train = Wiring.fixtureImages(dir, "train", "none");
        Dataset small = train.withFeatures("small", new Matrix(train.size(), 100, new double[train.size() * 100]));
        StageException e = assertThrows(StageException.class, () -> train(dir.resolve("a"), train, small, new TrainingRegime(1, 50, 1, 0),
                Map.of(), new HashMap<>(), false));
        assertTrue(e.getMessage().contains("'small' have 100 pixels") && e.getMessage().contains("784"), e.getMessage());

        // an encoder sized for another latent dimension
        FakeStageIO io = new FakeStageIO().with("train", train).with("encoder", Wiring.mlp(dir.resolve("e"), 5, "8", "relu", 10, "float"))
                .with("decoder", Wiring.mlp(dir.resolve("d"), 6, "8", "relu", 784, "float")).with("optimizer", Wiring.adam(dir.resolve("o"), 1e-3));
        StageException wrong = assertThrows(StageException.class,
                () -> new VaeStage(configOf(new VaeStageProvider(null), Map.of())).run(io, new FakeRunContext(dir.resolve("w"),
                        new TrainingRegime(1, 50, 1, 0))));
        assertTrue(wrong.getMessage().contains("set the encoder's outputs to 40"), wrong.getMessage());

        double[] v = train.features().data().clone();
        v[3] = 1.5;
        Dataset outOfRange = train.withFeatures("bright", new Matrix(train.size(), 784, v));
        StageException range = assertThrows(StageException.class, () -> train(dir.resolve("b"), outOfRange, null, new TrainingRegime(1, 50, 1, 0),
                Map.of(), new HashMap<>(), false));
        assertTrue(range.getMessage().contains("'bright' row 0, pixel 3 is 1.5"), range.getMessage());

        assertThrows(IllegalArgumentException.class, () -> configOf(new VaeStageProvider(null), Map.of("iwaeK", 5L, "beta", 0.5)));
    }

    /** An encoder whose gradient turns NaN at one backward call: a finite bound with a diverging gradient. */
    private static final class PoisonedNetwork implements DifferentiableNetwork {
        final DifferentiableNetwork inner;
        final int poisonAt;
        int calls;

        PoisonedNetwork(DifferentiableNetwork inner, int poisonAt) {
            this.inner = inner;
            this.poisonAt = poisonAt;
        }

        @Override
        public Matrix forward(Matrix input, boolean training) {
            return inner.forward(input, training);
        }

        @Override
        public Matrix backward(Matrix outputGradient) {
            Matrix dx = inner.backward(outputGradient);
            if (++calls == poisonAt) {
                inner.parameters().get(0).gradient()[7] = Double.NaN;
            }
            return dx;
        }

        @Override
        public List<ParameterBlock> parameters() {
            return inner.parameters();
        }
    }

    @Test
    void nonFiniteGradientStopsAndKeepsTheLastCheckpoint() throws Exception {
        Dataset train = Wiring.fixtureImages(dir, "train", "none");
        // 200 images in batches of 50: backward call 9 is epoch 3, mini-batch 0
        PoisonedNetwork encoder = new PoisonedNetwork(Wiring.mlp(dir.resolve("pe"), 5, "8", "relu", 4, "float"), 9);
        FakeStageIO io = new FakeStageIO().with("train", train).with("encoder", encoder)
                .with("decoder", Wiring.mlp(dir.resolve("pd"), 6, "8", "relu", 784, "float")).with("optimizer", Wiring.adam(dir.resolve("po"), 1e-3));
        FakeRunContext ctx = new FakeRunContext(dir.resolve("p"), new TrainingRegime(5, 50, 1, 1));
        StageException e = assertThrows(StageException.class,
                () -> new VaeStage(configOf(new VaeStageProvider(null), Map.of("latent", 2L))).run(io, ctx));
        assertTrue(e.getMessage().contains("gradient is not finite") && e.getMessage().contains("epoch 3 at mini-batch 0 (of 4)")
                && e.getMessage().contains("last checkpoint is kept (lower"), e.getMessage());
        assertTrue(e.getMessage().contains("encoder/0_W"), "names the block: " + e.getMessage());
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(ctx.checkpoints.get(VaeStage.CHECKPOINT)))) {
            assertEquals(VaeStage.CHECKPOINT_MAGIC, in.readUTF());
            assertEquals(2, in.readInt(), "the checkpoint after epoch 2 is the last one");
        }
    }
}

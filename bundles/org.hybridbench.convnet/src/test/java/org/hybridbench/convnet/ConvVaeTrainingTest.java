package org.hybridbench.convnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.hybridbench.api.PortTypes;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.TrainingRegime;
import org.hybridbench.api.data.Dataset;
import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.DifferentiableNetwork;
import org.hybridbench.api.model.Optimizer;
import org.hybridbench.images.internal.ImagesStageProvider;
import org.hybridbench.optim.AdamStageProvider;
import org.hybridbench.testing.FakeRunContext;
import org.hybridbench.testing.FakeStageIO;
import org.hybridbench.vae.VaeStageProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A convolutional VAE through the stage providers, as a pipeline wires it: dataset.images (Fashion-MNIST fixture,
 * dynamic binarisation) → encoder.conv and decoder.deconv → optimizer.adam → the real model.vae, unchanged.
 */
class ConvVaeTrainingTest {
    @TempDir
    Path dir;

    private Dataset images(String split, String binarize) throws Exception {
        FakeStageIO io = new FakeStageIO();
        new ImagesStageProvider().create(new StageConfig("images", Map.of("source", "fashion-mnist-fixture", "split", split, "limit", 0L,
                "binarize", binarize, "seed", 1L))).run(io, new FakeRunContext(dir.resolve("img-" + split), new TrainingRegime(1, 0, 1, 0)));
        return io.output("dataset", PortTypes.DATASET);
    }

    @Test
    void convolutionalVaeLearnsTheFixture() throws Exception {
        Dataset train = images("train", "dynamic");
        Dataset test = images("test", "fixed");
        DifferentiableNetwork encoder = NetworkBehaviourTest.network(new ConvEncoderStageProvider(), dir.resolve("e"), 5,
                Map.of("filters", "16,32", "outputs", 20L));
        DifferentiableNetwork decoder = NetworkBehaviourTest.network(new DeconvDecoderStageProvider(), dir.resolve("d"), 6,
                Map.of("filters", "32,16"));
        FakeStageIO adamIo = new FakeStageIO();
        AdamStageProvider adam = new AdamStageProvider();
        adam.create(NetworkBehaviourTest.config(adam, Map.of("learningRate", 2e-3))).run(adamIo,
                new FakeRunContext(dir.resolve("a"), new TrainingRegime(1, 1, 1, 0)));
        Optimizer optimizer = adamIo.output("optimizer", PortTypes.OPTIMIZER);

        FakeStageIO io = new FakeStageIO().with("train", train).with("test", test).with("encoder", encoder).with("decoder", decoder)
                .with("optimizer", optimizer);
        VaeStageProvider vae = new VaeStageProvider(null);
        FakeRunContext ctx = new FakeRunContext(dir.resolve("run"), new TrainingRegime(12, 32, 1, 0));
        vae.create(NetworkBehaviourTest.config(vae, Map.of("latent", 10L, "evalIwaeK", 20L))).run(io, ctx);

        List<Double> trainCurve = ctx.series("trainNegElbo");
        List<Double> testCurve = ctx.series("testNegElbo");
        System.out.println("conv VAE fixture -ELBO train " + trainCurve + "\ntest " + testCurve + "\nseconds " + ctx.series("secondsPerEpoch"));
        assertEquals(12, trainCurve.size());
        // an untrained decoder gives about 784·log 2 = 543 nats per image
        assertTrue(trainCurve.get(0) > 400, "first epoch " + trainCurve.get(0));
        assertTrue(trainCurve.get(11) < 0.7 * trainCurve.get(0), "train -ELBO " + trainCurve);
        assertTrue(testCurve.get(11) < 0.7 * testCurve.get(0), "test -ELBO " + testCurve);
        Matrix mu = io.output("latents", PortTypes.MATRIX);
        assertEquals(test.size(), mu.rows());
        assertEquals(10, mu.cols());
        assertTrue(Files.size(ctx.runDir.resolve("samples-stage.png")) > 1000, "samples drawn through the decoder");
    }
}

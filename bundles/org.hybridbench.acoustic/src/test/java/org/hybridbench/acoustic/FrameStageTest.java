package org.hybridbench.acoustic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.hybridbench.api.PortTypes;
import org.hybridbench.api.StageException;
import org.hybridbench.api.TrainingRegime;
import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.data.SequenceBatch;
import org.hybridbench.api.model.DifferentiableNetwork;
import org.hybridbench.api.model.LabelledSequences;
import org.hybridbench.api.model.Optimizer;
import org.hybridbench.api.model.ParameterBlock;
import org.hybridbench.api.model.Predictions;
import org.hybridbench.api.model.StructuredLoss;
import org.hybridbench.api.model.Transcriptions;
import org.hybridbench.crf.SoftmaxLoss;
import org.hybridbench.optim.Adam;
import org.hybridbench.testing.FakeRunContext;
import org.hybridbench.testing.FakeStageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** model.frame.classifier with encoder.mlp: learning, outputs, resume, model file, bad input. */
class FrameStageTest {
    @TempDir
    Path tmp;

    private static MlpNetwork network(String activation, double dropout) {
        return new MlpNetwork(new MlpNetwork.Architecture(new int[] {16}, activation, 0, dropout, true), 5);
    }

    private static FakeStageIO io(LabelledSequences train, LabelledSequences dev, LabelledSequences test, Object net, StructuredLoss loss,
            Optimizer opt) {
        FakeStageIO io = new FakeStageIO().with("sequences", train).with("network", net).with("loss", loss).with("optimizer", opt);
        if (dev != null) {
            io.with("dev", dev);
        }
        if (test != null) {
            io.with("test", test);
        }
        return io;
    }

    private FrameClassifierStage run(FakeStageIO io, FakeRunContext ctx, int context) throws Exception {
        FrameClassifierStage stage = new FrameClassifierStage(context, 1, 50);
        stage.run(io, ctx);
        return stage;
    }

    /** Separable blobs: the loss falls, dev and test frame accuracy end high; the outputs agree with each other. */
    @Test
    void learnsSeparableFramesAndReportsConsistentOutputs() throws Exception {
        LabelledSequences train = Synthetic.data("train", 40, 5, 6, 2.5, 1);
        LabelledSequences dev = Synthetic.data("dev", 10, 5, 6, 2.5, 2);
        LabelledSequences test = Synthetic.data("test", 15, 5, 6, 2.5, 3);
        FakeStageIO io = io(train, dev, test, network("sigmoid", 0), new SoftmaxLoss(5), Adam.standard(0.01));
        FakeRunContext ctx = new FakeRunContext(tmp, new TrainingRegime(12, 32, 1, 0));
        FrameClassifierStage stage = run(io, ctx, 1);
        List<Double> loss = ctx.series("lossPerFrame");
        List<Double> devAcc = ctx.series("devFrameAccuracy");
        assertEquals(12, loss.size());
        assertTrue(loss.get(11) < 0.5 * loss.get(0), "loss per frame " + loss);
        assertTrue(devAcc.get(11) > 0.9, "dev frame accuracy " + devAcc);

        Predictions p = io.output("predictions", PortTypes.PREDICTIONS);
        assertArrayEquals(test.states(), p.reference());
        int right = 0;
        for (int i = 0; i < p.predicted().length; i++) {
            right += p.predicted()[i] == p.reference()[i] ? 1 : 0;
        }
        double acc = right / (double) p.predicted().length;
        assertTrue(acc > 0.9, "test frame accuracy " + acc);
        assertEquals(acc, ctx.series("testFrameAccuracy").get(0), 1e-12);

        // posteriors: K log probabilities per test frame that sum to 1 and whose argmax is the predicted label
        LabelledSequences post = io.output("posteriors", PortTypes.SEQUENCES);
        assertEquals(5, post.observations().dimension());
        assertEquals(test.observations().totalLength(), post.observations().totalLength());
        double[] lp = post.observations().data();
        for (int t = 0; t < p.predicted().length; t++) {
            double sum = 0;
            int best = 0;
            for (int j = 0; j < 5; j++) {
                sum += Math.exp(lp[t * 5 + j]);
                best = lp[t * 5 + j] > lp[t * 5 + best] ? j : best;
            }
            assertEquals(1, sum, 1e-9, "frame " + t);
            assertEquals(p.predicted()[t], best, "frame " + t);
        }

        // transcriptions: per test utterance, the predicted and the reference labels with runs collapsed
        Transcriptions tr = io.output("transcriptions", PortTypes.TRANSCRIPTIONS);
        assertEquals(test.size(), tr.hypotheses().size());
        for (int u = 0; u < test.size(); u++) {
            int a = test.observations().offset(u);
            int b = a + test.observations().length(u);
            assertArrayEquals(runs(java.util.Arrays.copyOfRange(p.predicted(), a, b)), tr.hypotheses().get(u), "utterance " + u);
            assertArrayEquals(runs(java.util.Arrays.copyOfRange(test.states(), a, b)), tr.references().get(u), "utterance " + u);
        }
        assertEquals("test/0", tr.ids().get(0));

        // priors: relative frequencies of the training labels
        Matrix priors = io.output("priors", PortTypes.MATRIX);
        double[] expected = new double[5];
        for (int s : train.states()) {
            expected[s] += 1.0 / train.states().length;
        }
        assertArrayEquals(expected, priors.data(), 1e-12);
        String json = Files.readString(ctx.runDir.resolve("priors-stage.json"));
        assertTrue(json.contains("\"name\": \"s0\""), json);
        assertTrue(Files.size(ctx.runDir.resolve("model-stage.bin")) > 0);
        assertEquals(stage.result.evalAccuracy(), acc, 1e-12);

        // the trained network is passed on: the wired object, whose log softmax on a test frame is that frame's posterior
        DifferentiableNetwork trained = io.output("network", PortTypes.NETWORK);
        assertSame(io.input("network", PortTypes.NETWORK), trained);
        SplicedFrames frames = new SplicedFrames(test.observations(), stage.standardization, 1);
        double[] scores = trained.forward(frames.rows(0, 1), false).data();
        double max = java.util.Arrays.stream(scores).max().orElseThrow();
        double lse = max + Math.log(java.util.Arrays.stream(scores).map(v -> Math.exp(v - max)).sum());
        for (int j = 0; j < 5; j++) {
            assertEquals(lp[j], scores[j] - lse, 1e-5, "posterior of frame 0, state " + j);
        }
    }

    /** Runs collapsed, written independently of the stage's helper. */
    private static int[] runs(int[] labels) {
        return java.util.stream.IntStream.range(0, labels.length).filter(i -> i == 0 || labels[i] != labels[i - 1]).map(i -> labels[i])
                .toArray();
    }

    /** Stopped after epoch 2 and resumed: the same parameters and loss as an uninterrupted run (batches and dropout masks). */
    @Test
    void resumedRunEqualsUninterruptedRun() throws Exception {
        LabelledSequences train = Synthetic.data("train", 20, 4, 3, 0.7, 4);
        FrameClassifierStage whole = run(io(train, null, null, network("tanh", 0.3), new SoftmaxLoss(4), Adam.standard(0.01)),
                new FakeRunContext(tmp.resolve("a"), new TrainingRegime(5, 16, 3, 2)), 2);
        Map<String, byte[]> checkpoints = new HashMap<>();
        run(io(train, null, null, network("tanh", 0.3), new SoftmaxLoss(4), Adam.standard(0.01)),
                new FakeRunContext(tmp.resolve("b"), new TrainingRegime(2, 16, 3, 2), checkpoints), 2);
        assertEquals(List.of(FrameClassifierStage.CHECKPOINT), List.copyOf(checkpoints.keySet()));
        FakeRunContext resumedContext = new FakeRunContext(tmp.resolve("b"), new TrainingRegime(5, 16, 3, 2), checkpoints);
        resumedContext.resuming = true;
        FrameClassifierStage resumed = run(io(train, null, null, network("tanh", 0.3), new SoftmaxLoss(4), Adam.standard(0.01)),
                resumedContext, 2);
        assertTrue(resumedContext.logs.stream().anyMatch(l -> l.contains("resuming from the checkpoint after epoch 2")),
                resumedContext.logs.toString());
        assertEquals(List.of(3.0, 4.0, 5.0), resumedContext.metrics.stream().filter(m -> m.values().containsKey("loss"))
                .map(m -> (double) m.step()).toList());
        assertEquals(whole.result.lastLossPerFrame(), resumed.result.lastLossPerFrame(), 1e-12);
        for (int i = 0; i < whole.blocks.size(); i++) {
            ParameterBlock a = whole.blocks.get(i);
            assertArrayEquals(a.values(), resumed.blocks.get(i).values(), 1e-12, a.name());
        }
    }

    /** The model file holds context, standardisation, states, counts and every parameter; read back it predicts the same. */
    @Test
    void modelFileRoundTrips() throws Exception {
        LabelledSequences train = Synthetic.data("train", 20, 4, 3, 1.0, 6);
        FakeStageIO io = io(train, null, null, new MlpNetwork(new MlpNetwork.Architecture(new int[] {8, 6}, "relu", 0, 0, false), 2),
                new SoftmaxLoss(4), Adam.standard(0.01));
        FakeRunContext ctx = new FakeRunContext(tmp, new TrainingRegime(3, 16, 1, 0));
        FrameClassifierStage stage = run(io, ctx, 3);
        byte[] bytes = Files.readAllBytes(ctx.runDir.resolve("model-stage.bin"));
        ModelFile.Loaded m = ModelFile.read(new ByteArrayInputStream(bytes), "model-stage.bin");
        assertEquals(3, m.context());
        assertEquals(train.stateNames(), m.stateNames());
        assertArrayEquals(stage.standardization.mean(), m.standardization().mean());
        assertArrayEquals(stage.standardization.sd(), m.standardization().sd());
        long[] counts = new long[4];
        for (int s : train.states()) {
            counts[s]++;
        }
        assertArrayEquals(counts, m.counts());
        assertTrue(m.summary().contains("trainFrameAccuracy"), m.summary());
        SplicedFrames frames = new SplicedFrames(train.observations(), m.standardization(), m.context());
        FrameClassifierStage.Scored again = new FrameClassifierStage(m.context(), 1, 64).score(m.network(), frames);
        assertArrayEquals(io.output("predictions", PortTypes.PREDICTIONS).predicted(), again.labels());
        IOException e = assertThrows(IOException.class, () -> ModelFile.read(new ByteArrayInputStream(new byte[] {0, 2, 'h', 'i'}), "x.bin"));
        assertTrue(e.getMessage().contains("x.bin: not a frame classifier model"), e.getMessage());
    }

    private StageException fails(FakeStageIO io) {
        return assertThrows(StageException.class, () -> run(io, new FakeRunContext(tmp, new TrainingRegime(1, 8, 1, 0)), 1));
    }

    @Test
    void badInputIsNamed() {
        LabelledSequences train = Synthetic.data("train", 5, 3, 2, 1.0, 1);
        LabelledSequences wide = Synthetic.data("wide-test", 3, 3, 4, 1.0, 2);
        StageException e = fails(io(train, null, wide, network("tanh", 0), new SoftmaxLoss(3), Adam.standard(0.01)));
        assertTrue(e.getMessage().contains("'wide-test' have 4 features per frame, the training sequences 'train' 2"), e.getMessage());

        LabelledSequences renamed = new LabelledSequences("dev-other", Synthetic.data("d", 3, 3, 2, 1.0, 2).observations(),
                Synthetic.data("d", 3, 3, 2, 1.0, 2).states(), List.of("a", "b", "c"), Map.of());
        e = fails(io(train, renamed, null, network("tanh", 0), new SoftmaxLoss(3), Adam.standard(0.01)));
        assertTrue(e.getMessage().contains("'dev-other' are labelled with states [a, b, c], the training sequences 'train' with [s0, s1, s2]"),
                e.getMessage());

        e = fails(io(train, null, null, network("tanh", 0), new SoftmaxLoss(41), Adam.standard(0.01)));
        assertTrue(e.getMessage().contains("the wired loss does not take 3 scores per frame"), e.getMessage());
        assertTrue(e.getMessage().contains("set its tags to 3"), e.getMessage());

        int[] states = train.states().clone();
        int u1 = train.observations().offset(1);
        states[u1 + 2] = LabelledSequences.UNLABELLED;
        LabelledSequences holes = new LabelledSequences("holes", train.observations(), states, train.stateNames(), Map.of());
        e = fails(io(holes, null, null, network("tanh", 0), new SoftmaxLoss(3), Adam.standard(0.01)));
        assertTrue(e.getMessage().contains("the training sequences 'holes': utterance 1, frame 2 has no state label"), e.getMessage());

        LabelledSequences none = new LabelledSequences("none", train.observations(), null, List.of(), Map.of());
        e = fails(io(none, null, null, network("tanh", 0), new SoftmaxLoss(3), Adam.standard(0.01)));
        assertTrue(e.getMessage().contains("the training sequences 'none' carry no state labels"), e.getMessage());

        MlpNetwork fixedOutputs = new MlpNetwork(new MlpNetwork.Architecture(new int[] {4}, "tanh", 41, 0, false), 1);
        e = fails(io(train, null, null, fixedOutputs, new SoftmaxLoss(3), Adam.standard(0.01)));
        assertTrue(e.getMessage().contains("configured with outputs = 41 but the trainer needs 3"), e.getMessage());
        assertTrue(e.getMessage().contains("3 frames x 2 features = 6"), e.getMessage());

        LabelledSequences empty = new LabelledSequences("empty", new SequenceBatch(2, new int[0], new double[0]), new int[0],
                train.stateNames(), Map.of());
        e = fails(io(empty, null, null, network("tanh", 0), new SoftmaxLoss(3), Adam.standard(0.01)));
        assertTrue(e.getMessage().contains("'empty' have no frames"), e.getMessage());
    }

    /** A test set without labels is scored: predictions and transcriptions without references. */
    @Test
    void unlabelledTestSetIsScored() throws Exception {
        LabelledSequences train = Synthetic.data("train", 8, 3, 2, 1.0, 1);
        LabelledSequences test = Synthetic.data("t", 3, 3, 2, 1.0, 2);
        LabelledSequences bare = new LabelledSequences("bare", test.observations(), null, List.of(), Map.of());
        FakeStageIO io = io(train, null, bare, network("sigmoid", 0), new SoftmaxLoss(3), Adam.standard(0.01));
        run(io, new FakeRunContext(tmp, new TrainingRegime(1, 8, 1, 0)), 1);
        assertEquals(null, io.output("predictions", PortTypes.PREDICTIONS).reference());
        assertEquals(null, io.output("transcriptions", PortTypes.TRANSCRIPTIONS).references());
        assertEquals(3, io.output("transcriptions", PortTypes.TRANSCRIPTIONS).hypotheses().size());
    }
}

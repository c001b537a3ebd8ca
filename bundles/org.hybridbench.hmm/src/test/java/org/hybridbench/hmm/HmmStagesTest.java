package org.hybridbench.hmm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.hybridbench.api.ConfigParam;
import org.hybridbench.api.PortTypes;
import org.hybridbench.api.StageCancelledException;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageException;
import org.hybridbench.api.StageProvider;
import org.hybridbench.api.TrainingRegime;
import org.hybridbench.api.model.LabelledSequences;
import org.hybridbench.api.model.Optimizer;
import org.hybridbench.api.model.Predictions;
import org.hybridbench.emission.CovarianceType;
import org.hybridbench.emission.GaussianEmission;
import org.hybridbench.optim.AdamStageProvider;
import org.hybridbench.optim.LbfgsStageProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.hybridbench.testing.FakeRunContext;
import org.hybridbench.testing.FakeStageIO;

class HmmStagesTest {
    @TempDir
    Path dir;

    static StageConfig config(StageProvider p, Map<String, Object> overrides) {
        Map<String, Object> v = new HashMap<>();
        for (ConfigParam c : p.descriptor().config()) {
            if (c.defaultValue() != null) {
                v.put(c.name(), c.defaultValue());
            }
        }
        v.putAll(overrides);
        return new StageConfig("fit", v);
    }

    @Test
    void sequenceFilesReadCommentsSeparatorsBlankLinesAndStates() throws Exception {
        Path data = dir.resolve("cache");
        Files.createDirectories(data);
        Files.writeString(data.resolve("s.txt"), "# two sequences\n1.5 2 0\n3,4, 1\n\n\n  # comment\n5\t6 ?\n7 8 -\n9 10 2\n");
        FakeStageIO io = new FakeStageIO();
        new SequencesStageProvider().create(config(new SequencesStageProvider(), Map.of("path", "s.txt", "states", "last")))
                .run(io, new FakeRunContext(dir, new TrainingRegime(1, 0, 1, 0)));
        LabelledSequences s = io.output("sequences", PortTypes.SEQUENCES);
        assertEquals(2, s.size());
        assertEquals(2, s.observations().length(0));
        assertEquals(3, s.observations().length(1));
        assertEquals(2, s.observations().dimension());
        assertArrayEquals(new double[] {1.5, 2, 3, 4, 5, 6, 7, 8, 9, 10}, s.observations().data());
        assertArrayEquals(new int[] {0, 1, -1, -1, 2}, s.states());
        assertEquals(List.of("0", "1", "2"), s.stateNames());
        assertEquals(64, s.provenance().get("sha256").length());

        Files.writeString(data.resolve("n.txt"), "1 2\n3\n");
        StageException e = assertThrows(StageException.class, () -> new SequencesStageProvider()
                .create(config(new SequencesStageProvider(), Map.of("path", "n.txt"))).run(new FakeStageIO(),
                        new FakeRunContext(dir, new TrainingRegime(1, 0, 1, 0))));
        assertTrue(e.getMessage().endsWith("n.txt:2: expected 2 fields like the first observation, found 1"), e.getMessage());
        Files.writeString(data.resolve("x.txt"), "1\nabc\n");
        e = assertThrows(StageException.class, () -> new SequencesStageProvider()
                .create(config(new SequencesStageProvider(), Map.of("path", "x.txt"))).run(new FakeStageIO(),
                        new FakeRunContext(dir, new TrainingRegime(1, 0, 1, 0))));
        assertTrue(e.getMessage().endsWith("x.txt:2: field 1 'abc' is not a number"), e.getMessage());
        e = assertThrows(StageException.class, () -> new SequencesStageProvider()
                .create(config(new SequencesStageProvider(), Map.of("path", "missing.txt"))).run(new FakeStageIO(),
                        new FakeRunContext(dir, new TrainingRegime(1, 0, 1, 0))));
        assertTrue(e.getMessage().contains("no file"), e.getMessage());
    }

    static LabelledSequences data() {
        return HmmTrainerTest.sample(HmmTrainerTest.truth(), 10, 21);
    }

    static GaussianEmission emission(LabelledSequences d) {
        GaussianEmission e = new GaussianEmission(3, 2, CovarianceType.DIAGONAL, 1e-6);
        e.initialize(HiddenMarkovModel.rows(d.observations()), new SplittableRandom(5));
        return e;
    }

    private String fit(FakeRunContext ctx) throws Exception {
        return fit(ctx, Map.of(), null);
    }

    /** Runs model.hmm.fit (tolerance 0 plus {@code overrides}) with {@code optimizer} on its port when not null. */
    private String fit(FakeRunContext ctx, Map<String, Object> overrides, Optimizer optimizer) throws Exception {
        LabelledSequences d = data();
        HmmFitStageProvider p = new HmmFitStageProvider(HmmTrainerTest.CHAIN);
        FakeStageIO io = new FakeStageIO().with("sequences", d).with("emission", emission(d));
        if (optimizer != null) {
            io.with("optimizer", optimizer);
        }
        Map<String, Object> c = new HashMap<>(overrides);
        c.putIfAbsent("tolerance", 0.0);
        p.create(config(p, c)).run(io, ctx);
        HiddenMarkovModel hmm = io.output("hmm", HmmPorts.HMM);
        hmm.validate();
        return Files.readString(ctx.runDir.resolve("model-stage.json"));
    }

    @Test
    void fitReportsEveryIterationCheckpointsAndResumesToTheSameModel() throws Exception {
        FakeRunContext whole = new FakeRunContext(dir.resolve("a"), new TrainingRegime(12, 0, 1, 4));
        String expected = fit(whole);
        List<Double> ll = whole.series("objective");
        assertEquals(13, ll.size(), "iterations 0..12, each evaluated once");
        for (int i = 1; i < ll.size(); i++) {
            assertTrue(ll.get(i) >= ll.get(i - 1) - 1e-9 * Math.abs(ll.get(i - 1)));
        }
        assertEquals(13, whole.series("bic").size());
        assertTrue(expected.startsWith("{\"format\":\"hybridbench.hmm\",\"version\":1,"), expected);

        Map<String, byte[]> checkpoints = new HashMap<>();
        FakeRunContext killed = new FakeRunContext(dir.resolve("b"), new TrainingRegime(12, 0, 1, 4), checkpoints);
        killed.cancelAtCall = 7; // during iteration 6: the checkpoint after 4 updates exists
        assertThrows(StageCancelledException.class, () -> fit(killed));
        assertTrue(checkpoints.containsKey(HmmFitStage.CHECKPOINT));
        FakeRunContext resumed = new FakeRunContext(dir.resolve("c"), new TrainingRegime(12, 0, 1, 4), checkpoints);
        resumed.resuming = true;
        String after = fit(resumed);
        assertTrue(resumed.logs.stream().anyMatch(l -> l.contains("resuming from the checkpoint after iteration 4")), resumed.logs.toString());
        assertEquals(expected, after, "a resumed run ends with the same model file");
    }

    /** A fresh optimizer.adam from its stage type, as a pipeline wires it. */
    static Optimizer adam(Path dir, double rate) throws Exception {
        AdamStageProvider p = new AdamStageProvider();
        FakeStageIO io = new FakeStageIO();
        p.create(config(p, Map.of("learningRate", rate))).run(io, new FakeRunContext(dir, new TrainingRegime(1, 0, 1, 0)));
        return io.output("optimizer", PortTypes.OPTIMIZER);
    }

    @Test
    void gradientFitCheckpointsTheOptimizerAndResumesToTheSameModel() throws Exception {
        Map<String, Object> gradient = Map.of("training", "gradient");
        TrainingRegime regime = new TrainingRegime(12, 0, 1, 4);
        FakeRunContext whole = new FakeRunContext(dir.resolve("a"), regime);
        String expected = fit(whole, gradient, adam(dir.resolve("oa"), 0.05));
        List<Double> ll = whole.series("objective");
        assertEquals(13, ll.size());
        assertTrue(ll.get(12) > ll.get(0), "gradient training raised log p: " + ll);

        Map<String, byte[]> checkpoints = new HashMap<>();
        FakeRunContext killed = new FakeRunContext(dir.resolve("b"), regime, checkpoints);
        killed.cancelAtCall = 7; // during iteration 6: the checkpoint after 4 updates exists
        assertThrows(StageCancelledException.class, () -> fit(killed, gradient, adam(dir.resolve("ob"), 0.05)));
        HmmFiles.Checkpoint cp = HmmFiles.readCheckpoint(new ByteArrayInputStream(checkpoints.get(HmmFitStage.CHECKPOINT)));
        assertEquals(4, cp.iteration());
        assertEquals("gradient", cp.method());
        assertEquals(java.util.Set.of("initialLogits", "transitionLogits"), cp.trainerState().keySet());
        assertArrayEquals(new double[] {4}, cp.optimizerState().get("step"), "optimizer.adam's step count after 4 updates");

        FakeRunContext resumed = new FakeRunContext(dir.resolve("c"), regime, new HashMap<>(checkpoints));
        resumed.resuming = true;
        String after = fit(resumed, gradient, adam(dir.resolve("oc"), 0.05));
        assertTrue(resumed.logs.stream().anyMatch(l -> l.contains("resuming from the checkpoint after iteration 4")), resumed.logs.toString());
        assertEquals(expected, after, "a resumed gradient run ends with the same model file");

        // The same checkpoint with the optimizer's state replaced by a fresh one (moments and step count lost): the
        // resumed run then ends elsewhere, so the equality above depends on the restored optimizer state.
        ByteArrayOutputStream lost = new ByteArrayOutputStream();
        HiddenMarkovModel at4 = HiddenMarkovModel.initial(emission(data()), false, 0.9);
        assertTrue(HmmFiles.restore(cp, at4));
        HmmFiles.writeCheckpoint(lost, at4, cp.iteration(), cp.previousObjective(), cp.method(), cp.trainerState(),
                adam(dir.resolve("od"), 0.05).state());
        FakeRunContext forgetful = new FakeRunContext(dir.resolve("d"), regime, new HashMap<>(Map.of(HmmFitStage.CHECKPOINT,
                lost.toByteArray())));
        forgetful.resuming = true;
        assertNotEquals(expected, fit(forgetful, gradient, adam(dir.resolve("oe"), 0.05)));
    }

    @Test
    void gradientFitNeedsAStochasticOptimizer() throws Exception {
        StageException e = assertThrows(StageException.class,
                () -> fit(new FakeRunContext(dir.resolve("a"), new TrainingRegime(3, 0, 1, 0)), Map.of("training", "gradient"), null));
        assertEquals("model.hmm.fit: training = gradient needs an optimizer on the 'optimizer' input (wire optimizer.adam, "
                + "optimizer.adagrad or optimizer.sgd); the other training methods need none", e.getMessage());

        LbfgsStageProvider lp = new LbfgsStageProvider();
        FakeStageIO lio = new FakeStageIO();
        lp.create(config(lp, Map.of())).run(lio, new FakeRunContext(dir.resolve("l"), new TrainingRegime(1, 0, 1, 0)));
        e = assertThrows(StageException.class, () -> fit(new FakeRunContext(dir.resolve("b"), new TrainingRegime(3, 0, 1, 0)),
                Map.of("training", "gradient"), lio.output("optimizer", PortTypes.OPTIMIZER)));
        assertTrue(e.getMessage().startsWith("model.hmm.fit: the optimizer does not take stochastic steps ("), e.getMessage());

        FakeRunContext bw = new FakeRunContext(dir.resolve("c"), new TrainingRegime(2, 0, 1, 0));
        fit(bw, Map.of(), adam(dir.resolve("o"), 0.05));
        assertTrue(bw.logs.contains("model.hmm.fit: the wired optimizer is not used: training = baum-welch has closed-form updates"),
                bw.logs.toString());
    }

    @Test
    void decodeScoresLabelledSequencesAndWritesTheStates() throws Exception {
        LabelledSequences d = data();
        HiddenMarkovModel truth = HmmTrainerTest.truth();
        for (String method : List.of("viterbi", "posterior")) {
            HmmDecodeStageProvider p = new HmmDecodeStageProvider(HmmTrainerTest.CHAIN);
            FakeStageIO io = new FakeStageIO().with("hmm", truth).with("sequences", d);
            FakeRunContext ctx = new FakeRunContext(dir.resolve(method), new TrainingRegime(1, 0, 1, 0));
            p.create(config(p, Map.of("method", method))).run(io, ctx);
            Predictions pr = io.output("predictions", PortTypes.PREDICTIONS);
            int ok = 0;
            for (int t = 0; t < pr.predicted().length; t++) {
                ok += pr.predicted()[t] == d.states()[t] ? 1 : 0;
            }
            double acc = ok / (double) pr.predicted().length;
            assertEquals(acc, ctx.series("accuracy").get(0), 0);
            assertTrue(acc > 0.9, method + " accuracy " + acc);
            assertEquals(d.observations().totalLength() + d.size() - 1, // a blank line between sequences (the empty one too)
                    Files.readAllLines(ctx.runDir.resolve("decode-stage.txt")).size());
        }
    }

    @Test
    void fitRejectsAnEmissionOfAnotherDimension() {
        LabelledSequences d = data();
        HmmFitStageProvider p = new HmmFitStageProvider(HmmTrainerTest.CHAIN);
        FakeStageIO io = new FakeStageIO().with("sequences", d).with("emission", new GaussianEmission(3, 5, CovarianceType.DIAGONAL, 1e-6));
        StageException e = assertThrows(StageException.class,
                () -> p.create(config(p, Map.of())).run(io, new FakeRunContext(dir, new TrainingRegime(3, 0, 1, 0))));
        assertTrue(e.getMessage().contains("have dimension 2, the emission model 5"), e.getMessage());
        assertNull(io.outputs.get("hmm"));
    }
}

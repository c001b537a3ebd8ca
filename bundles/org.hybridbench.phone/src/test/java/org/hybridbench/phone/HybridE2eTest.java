package org.hybridbench.phone;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.hybridbench.api.PortTypes;
import org.hybridbench.api.StageCancelledException;
import org.hybridbench.api.StageException;
import org.hybridbench.api.TrainingRegime;
import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.LabelledSequences;
import org.hybridbench.api.model.ParameterBlock;
import org.hybridbench.emission.CovarianceType;
import org.hybridbench.emission.GaussianMixtureEmission;
import org.hybridbench.optim.Adam;
import org.hybridbench.testing.FakeRunContext;
import org.hybridbench.testing.FakeStageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The end-to-end hybrid (model.hybrid.e2e): dJ/d log b = γ against enumeration of every alignment; the whole chain
 * (network weights → Y → normalisation → GMM log b → forward-backward J, and the GMM's own parameters) against
 * central finite differences in double precision; the stage: repeatable for a seed, learns separable synthetic phones.
 */
class HybridE2eTest {
    @TempDir
    Path dir;

    /** J and the per-emission-state occupancy by enumeration of every segmentation of the transcript's composite states. */
    private static double enumerate(PhoneModelSet m, int[] transcript, Matrix logB, double[][] gamma) {
        int[] e = CompositeHmm.emissionStates(m, transcript);
        int frames = logB.rows();
        List<Double> scores = new ArrayList<>();
        List<int[]> paths = new ArrayList<>();
        for (int[] d : Tiny.durations(e.length, frames)) {
            double score = 0;
            int[] path = new int[frames];
            int t = 0;
            for (int j = 0; j < e.length; j++) {
                double a = m.selfLoop(e[j] / m.statesPerPhone(), e[j] % m.statesPerPhone());
                score += (d[j] - 1) * Math.log(a) + Math.log(1 - a);
                for (int r = 0; r < d[j]; r++, t++) {
                    score += logB.get(t, e[j]);
                    path[t] = e[j];
                }
            }
            scores.add(score);
            paths.add(path);
        }
        double logZ = Tiny.logSumExp(scores);
        for (int p = 0; p < paths.size(); p++) {
            double w = Math.exp(scores.get(p) - logZ);
            for (int t = 0; t < frames; t++) {
                gamma[t][paths.get(p)[t]] += w;
            }
        }
        return logZ;
    }

    @Test
    void theGradientOfJWithRespectToLogBIsTheStateOccupancy() {
        Random rng = new Random(17);
        int cases = 0;
        for (int[] transcript : List.of(new int[] {0, 1}, new int[] {1, 0, 1}, new int[] {0, 2, 1})) {
            for (int frames = transcript.length * 2; frames <= 8; frames++) {
                PhoneModelSet m = Tiny.random(3, 2, rng);
                Matrix logB = Tiny.logB(m, Tiny.observations(frames, rng));
                double[][] gamma = new double[frames][m.numStates()];
                double logZ = enumerate(m, transcript, logB, gamma);
                for (var chain : List.of(Tiny.CHAIN, Tiny.CHAIN_LOG)) {
                    HybridObjective.Scored s = HybridObjective.score(m, chain, HybridObjective.Criterion.TRANSCRIPT, transcript, null, logB, null);
                    assertEquals(logZ, s.logLikelihood(), 1e-10);
                    for (int t = 0; t < frames; t++) {
                        assertArrayEquals(gamma[t], s.dLogB().row(t), 1e-10, "frame " + t);
                    }
                }
                // and J really changes by γ: central differences in log b
                for (int t = 0; t < frames; t++) {
                    for (int i = 0; i < m.numStates(); i++) {
                        double h = 1e-5;
                        Matrix plus = logB.copy();
                        plus.set(t, i, plus.get(t, i) + h);
                        Matrix minus = logB.copy();
                        minus.set(t, i, minus.get(t, i) - h);
                        double fd = (enumerate(m, transcript, plus, new double[frames][m.numStates()])
                                - enumerate(m, transcript, minus, new double[frames][m.numStates()])) / (2 * h);
                        assertEquals(gamma[t][i], fd, 1e-7, "frame " + t + ", state " + i);
                    }
                }
                cases++;
            }
        }
        assertEquals(11, cases);
    }

    @Test
    void theLabelledCriterionIsTheJointLogLikelihoodOfTheAlignment() {
        Random rng = new Random(3);
        PhoneModelSet m = Tiny.random(2, 2, rng);
        Matrix logB = Tiny.logB(m, Tiny.observations(6, rng));
        int[] alignment = {0, 0, 1, 2, 3, 3};
        double a0 = m.selfLoop(0, 0);
        double a1 = m.selfLoop(0, 1);
        double a2 = m.selfLoop(1, 0);
        double a3 = m.selfLoop(1, 1);
        double expected = logB.get(0, 0) + logB.get(1, 0) + logB.get(2, 1) + logB.get(3, 2) + logB.get(4, 3) + logB.get(5, 3) + Math.log(a0)
                + Math.log(1 - a0) + Math.log(1 - a1) + Math.log(1 - a2) + Math.log(a3) + Math.log(1 - a3);
        HybridObjective.Scored s = HybridObjective.score(m, Tiny.CHAIN, HybridObjective.Criterion.LABELS, null, alignment, logB, null);
        assertEquals(expected, s.logLikelihood(), 1e-12);
        for (int t = 0; t < 6; t++) {
            for (int i = 0; i < 4; i++) {
                assertEquals(alignment[t] == i ? 1.0 : 0.0, s.dLogB().get(t, i));
            }
        }
    }

    /** 2 phones × 2 states, 2 components per state on 2-D features, random parameters. */
    private static PhoneModelSet gmmModels(Random rng) {
        GaussianMixtureEmission e = new GaussianMixtureEmission(4, 2, 2, CovarianceType.DIAGONAL, 1e-6);
        for (int i = 0; i < 4; i++) {
            for (int c = 0; c < 2; c++) {
                e.setMean(i, c, new double[] {rng.nextGaussian(), rng.nextGaussian()});
                double v0 = 0.5 + rng.nextDouble();
                double v1 = 0.5 + rng.nextDouble();
                e.setCovariance(i, c, new double[] {v0, 0, 0, v1});
            }
            double w = 0.2 + 0.6 * rng.nextDouble();
            e.setMixtureWeights(i, new double[] {w, 1 - w});
        }
        return new PhoneModelSet(Tiny.names(2), 2, new double[] {0.6, 0.3, 0.7, 0.5}, e, List.of());
    }

    private static double loss(HybridObjective o, List<Matrix> inputs, List<int[]> transcripts, List<int[]> alignments) {
        double j = 0;
        for (int u = 0; u < inputs.size(); u++) {
            j += o.evaluate(inputs.get(u), transcripts.get(u), alignments.get(u), false, 0, false).logLikelihood();
        }
        return -j;
    }

    @Test
    void theWholeChainMatchesFiniteDifferences() {
        for (HybridObjective.Criterion criterion : HybridObjective.Criterion.values()) {
            for (boolean normalize : new boolean[] {true, false}) {
                Random rng = new Random(5);
                TanhNetwork net = new TanhNetwork(3, 4, 2, 11);
                PhoneModelSet m = gmmModels(rng);
                HybridObjective o = new HybridObjective(net, m, Tiny.CHAIN, criterion, normalize);
                List<Matrix> inputs = new ArrayList<>();
                List<int[]> transcripts = List.of(new int[] {0, 1}, new int[] {1, 0, 1});
                o.denominator(new PhoneLoop(m, new BigramLm(2, transcripts, 1.0), 1.5, -0.5));
                List<int[]> alignments = List.of(new int[] {0, 0, 1, 2, 3, 3, 3}, new int[] {2, 3, 0, 1, 1, 2, 3, 3});
                for (int[] a : alignments) {
                    double[] x = new double[a.length * 3];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = rng.nextGaussian();
                    }
                    inputs.add(new Matrix(a.length, 3, x));
                }
                List<ParameterBlock> blocks = new ArrayList<>(net.parameters());
                blocks.addAll(m.emission().parameters());
                for (ParameterBlock b : blocks) {
                    Arrays.fill(b.gradient(), 0);
                }
                for (int u = 0; u < inputs.size(); u++) {
                    o.evaluate(inputs.get(u), transcripts.get(u), alignments.get(u), true, 1.0, true);
                }
                double worst = 0;
                int checked = 0;
                for (ParameterBlock b : blocks) {
                    double[] v = b.values();
                    for (int i = 0; i < v.length; i++) {
                        double keep = v[i];
                        double h = 1e-5 * Math.max(1, Math.abs(keep));
                        v[i] = keep + h;
                        double up = loss(o, inputs, transcripts, alignments);
                        v[i] = keep - h;
                        double down = loss(o, inputs, transcripts, alignments);
                        v[i] = keep;
                        double fd = (up - down) / (2 * h);
                        double g = b.gradient()[i];
                        double err = Math.abs(fd - g) / Math.max(1e-3, Math.abs(fd) + Math.abs(g));
                        worst = Math.max(worst, err);
                        assertTrue(err < 1e-6, criterion + ", normalize " + normalize + ", " + b.name() + "[" + i + "]: analytic " + g
                                + ", finite differences " + fd);
                        checked++;
                    }
                }
                // 12 + 4 + 8 + 2 network values; 4 states x 2 components: 8 logits, 16 means, 16 precision diagonals
                assertEquals(26 + 40, checked);
                System.out.printf("whole chain, %s, normalize %s: worst relative error %.2e over %d parameters%n", criterion, normalize, worst,
                        checked);
            }
        }
    }

    private FakeRunContext train(LabelledSequences trainSet, LabelledSequences devSet, Map<String, Object> config, long seed, FakeStageIO io)
            throws Exception {
        HybridE2eStageProvider p = new HybridE2eStageProvider(Tiny.CHAIN);
        io.with("sequences", trainSet).with("dev", devSet).with("test", devSet).with("network", new TanhNetwork(3 * 2, 8, 2, seed))
                .with("emission", new GaussianMixtureEmission(6, 1, 2, CovarianceType.DIAGONAL, 1e-3))
                .with("optimizer", Adam.standard(0.01));
        Map<String, Object> c = new HashMap<>(Map.of("statesPerPhone", 2L, "context", 1L, "utterancesPerStep", 2L));
        c.putAll(config);
        FakeRunContext ctx = new FakeRunContext(dir.resolve("run" + System.nanoTime()), new TrainingRegime(6, 0, seed, 0));
        p.create(FixtureSpeechTest.config(p, c)).run(io, ctx);
        return ctx;
    }

    @Test
    void theStageLearnsRepeatablyAndWritesItsOutputs() throws Exception {
        LabelledSequences trainSet = EmbeddedTrainerTest.sample(EmbeddedTrainerTest.truth(), 24, 1);
        LabelledSequences devSet = EmbeddedTrainerTest.sample(EmbeddedTrainerTest.truth(), 8, 2);
        for (Map<String, Object> config : List.<Map<String, Object>>of(Map.of(), Map.of("criterion", "labels"),
                Map.of("emissionUpdate", "gradient"), Map.of("criterion", "mmi"))) {
            FakeStageIO a = new FakeStageIO();
            FakeRunContext ra = train(trainSet, devSet, config, 4, a);
            FakeStageIO b = new FakeStageIO();
            FakeRunContext rb = train(trainSet, devSet, config, 4, b);
            List<Double> ll = ra.series("logLikelihoodPerFrame");
            assertEquals(7, ll.size(), "epochs 0..6");
            assertEquals(ll, rb.series("logLikelihoodPerFrame"), "same seed, same run: " + config);
            assertEquals(ra.series("devPhoneErrorRate"), rb.series("devPhoneErrorRate"));
            // test metrics at the start and the end only (test is wired to the dev set here, so they must agree)
            List<Double> dper = ra.series("devPhoneErrorRate");
            assertEquals(List.of(dper.get(0), dper.get(6)), ra.series("testPhoneErrorRate"));
            List<Double> dacc = ra.series("devFrameAccuracy");
            assertEquals(List.of(dacc.get(0), dacc.get(6)), ra.series("testFrameAccuracy"));
            LabelledSequences fa = a.output("train", PortTypes.SEQUENCES);
            LabelledSequences fb = b.output("train", PortTypes.SEQUENCES);
            assertArrayEquals(fa.observations().data(), fb.observations().data(), 0.0);
            double devAcc = ra.series("devFrameAccuracy").get(6);
            System.out.printf("synthetic %s: J/frame %s, dev PER %s, dev frame accuracy %s%n", config, ll, ra.series("devPhoneErrorRate"),
                    ra.series("devFrameAccuracy"));
            assertTrue(ll.get(6) > ll.get(0), config + ": training raises J per frame: " + ll);
            if (config.containsValue("mmi")) {
                // the discriminative criterion must improve recognition itself, not only its objective (the likelihood
                // criteria raise J here while dev frame accuracy falls: see the README)
                List<Double> acc = ra.series("devFrameAccuracy");
                List<Double> per = ra.series("devPhoneErrorRate");
                assertTrue(devAcc > acc.get(0) + 0.05, "MMI dev frame accuracy " + acc);
                assertTrue(per.get(6) < per.get(0), "MMI dev PER " + per);
            }
            // the outputs plug into decode.phone-loop
            PhoneModelSet models = a.output("models", PhonePorts.PHONE_MODELS);
            PhoneLoopStageProvider decode = new PhoneLoopStageProvider(Tiny.CHAIN);
            FakeStageIO d = new FakeStageIO().with("models", models).with("sequences", a.output("dev", PortTypes.SEQUENCES));
            FakeRunContext dc = new FakeRunContext(dir.resolve("decode" + System.nanoTime()), new TrainingRegime(1, 0, 1, 0));
            decode.create(FixtureSpeechTest.config(decode, Map.of())).run(d, dc);
            assertEquals(ra.series("devPhoneErrorRate").get(6), dc.series("phoneErrorRate").get(0), 1e-12);
            assertTrue(Files.readString(ra.runDir.resolve("model-stage.json")).startsWith("{\"format\":\"hybridbench.phone-hmm\""));
        }
        // another seed gives another network, so another run
        FakeRunContext other = train(trainSet, devSet, Map.of(), 5, new FakeStageIO());
        assertTrue(!other.series("logLikelihoodPerFrame").equals(train(trainSet, devSet, Map.of(), 4, new FakeStageIO()).series("logLikelihoodPerFrame")));
    }

    /** Killed during epoch 4 (checkpoint after epoch 2) and resumed: the same network, emission and metrics as uninterrupted. */
    @Test
    void aKilledRunResumesToTheUninterruptedResult() throws Exception {
        LabelledSequences trainSet = EmbeddedTrainerTest.sample(EmbeddedTrainerTest.truth(), 24, 1);
        LabelledSequences devSet = EmbeddedTrainerTest.sample(EmbeddedTrainerTest.truth(), 8, 2);
        TrainingRegime regime = new TrainingRegime(6, 0, 4, 2);
        Map<String, Object> config = Map.of("criterion", "mmi");
        FakeStageIO whole = new FakeStageIO();
        FakeRunContext uninterrupted = resumable(trainSet, devSet, config, regime, new HashMap<>(), 0, false, whole);

        Map<String, byte[]> checkpoints = new HashMap<>();
        // 24 utterances, 2 per step: 12 cancellation checks per epoch; call 41 is in epoch 4
        assertThrows(StageCancelledException.class,
                () -> resumable(trainSet, devSet, config, regime, checkpoints, 41, false, new FakeStageIO()));
        FakeStageIO again = new FakeStageIO();
        FakeRunContext resumed = resumable(trainSet, devSet, config, regime, checkpoints, 0, true, again);
        assertTrue(resumed.logs.stream().anyMatch(l -> l.contains("resuming from the checkpoint after epoch 2")), resumed.logs.toString());

        assertArrayEquals(Files.readAllBytes(uninterrupted.runDir.resolve("network-stage.bin")),
                Files.readAllBytes(resumed.runDir.resolve("network-stage.bin")), "network parameters");
        List<Double> ll = uninterrupted.series("logLikelihoodPerFrame");
        assertEquals(ll.subList(3, 7), resumed.series("logLikelihoodPerFrame"), "epochs 3..6");
        assertEquals(uninterrupted.series("testPhoneErrorRate").get(1), resumed.series("testPhoneErrorRate").get(0));
        PhoneModelSet a = whole.output("models", PhonePorts.PHONE_MODELS);
        PhoneModelSet b = again.output("models", PhonePorts.PHONE_MODELS);
        assertArrayEquals(a.selfLoops(), b.selfLoops(), 0.0);
        for (int i = 0; i < a.emission().parameters().size(); i++) {
            assertArrayEquals(a.emission().parameters().get(i).values(), b.emission().parameters().get(i).values(), 0.0);
        }
    }

    private FakeRunContext resumable(LabelledSequences trainSet, LabelledSequences devSet, Map<String, Object> config, TrainingRegime regime,
            Map<String, byte[]> checkpoints, int cancelAt, boolean resuming, FakeStageIO io) throws Exception {
        HybridE2eStageProvider p = new HybridE2eStageProvider(Tiny.CHAIN);
        io.with("sequences", trainSet).with("dev", devSet).with("test", devSet).with("network", new TanhNetwork(3 * 2, 8, 2, regime.seed()))
                .with("emission", new GaussianMixtureEmission(6, 1, 2, CovarianceType.DIAGONAL, 1e-3))
                .with("optimizer", Adam.standard(0.01));
        Map<String, Object> c = new HashMap<>(Map.of("statesPerPhone", 2L, "context", 1L, "utterancesPerStep", 2L));
        c.putAll(config);
        FakeRunContext ctx = new FakeRunContext(dir.resolve("run" + System.nanoTime()), regime, checkpoints);
        ctx.cancelAtCall = cancelAt;
        ctx.resuming = resuming;
        p.create(FixtureSpeechTest.config(p, c)).run(io, ctx);
        return ctx;
    }

    @Test
    void mismatchedSizesAreNamed() {
        LabelledSequences trainSet = EmbeddedTrainerTest.sample(EmbeddedTrainerTest.truth(), 4, 1);
        HybridE2eStageProvider p = new HybridE2eStageProvider(Tiny.CHAIN);
        FakeStageIO io = new FakeStageIO().with("sequences", trainSet).with("network", new TanhNetwork(6, 4, 3, 1))
                .with("emission", new GaussianMixtureEmission(6, 1, 2, CovarianceType.DIAGONAL, 1e-3))
                .with("optimizer", Adam.standard(0.01));
        StageException dim = assertThrows(StageException.class, () -> p
                .create(FixtureSpeechTest.config(p, Map.of("statesPerPhone", 2L, "context", 1L)))
                .run(io, new FakeRunContext(dir.resolve("x"), new TrainingRegime(1, 0, 1, 0))));
        assertTrue(dim.getMessage().contains("the network gives 3 features per frame, the emission model has dimension 2"), dim.getMessage());
        StageException states = assertThrows(StageException.class, () -> p
                .create(FixtureSpeechTest.config(p, Map.of("statesPerPhone", 3L, "context", 1L)))
                .run(io, new FakeRunContext(dir.resolve("y"), new TrainingRegime(1, 0, 1, 0))));
        assertTrue(states.getMessage().contains("3 phones x 3 states need an emission with 9 states, the wired one has 6"), states.getMessage());
    }
}

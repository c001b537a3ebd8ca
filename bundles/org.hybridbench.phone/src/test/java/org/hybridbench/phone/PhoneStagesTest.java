package org.hybridbench.phone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.hybridbench.api.PortTypes;
import org.hybridbench.api.StageCancelledException;
import org.hybridbench.api.StageException;
import org.hybridbench.api.TrainingRegime;
import org.hybridbench.api.data.SequenceBatch;
import org.hybridbench.api.model.LabelledSequences;
import org.hybridbench.api.model.Transcriptions;
import org.hybridbench.emission.CovarianceType;
import org.hybridbench.emission.GaussianEmission;
import org.hybridbench.testing.FakeRunContext;
import org.hybridbench.testing.FakeStageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two stage types: metrics, model file, kill and resume, decoding outputs and errors that name what is wrong. */
class PhoneStagesTest {
    @TempDir
    Path dir;

    private static final LabelledSequences DATA = EmbeddedTrainerTest.sample(EmbeddedTrainerTest.truth(), 30, 4);

    private static GaussianEmission emission(int states) {
        return new GaussianEmission(states, 2, CovarianceType.DIAGONAL, 1e-3);
    }

    private FakeStageIO fit(FakeRunContext context, Map<String, Object> config) throws Exception {
        PhoneHmmStageProvider p = new PhoneHmmStageProvider(Tiny.CHAIN);
        FakeStageIO io = new FakeStageIO().with("sequences", DATA).with("emission", emission(6));
        Map<String, Object> c = new HashMap<>(Map.of("statesPerPhone", 2L, "tolerance", 0.0));
        c.putAll(config);
        p.create(FixtureSpeechTest.config(p, c)).run(io, context);
        return io;
    }

    @Test
    void trainingReportsEveryIterationWritesTheModelAndResumesToTheSameModel() throws Exception {
        FakeRunContext whole = new FakeRunContext(dir.resolve("a"), new TrainingRegime(6, 0, 1, 2));
        fit(whole, Map.of());
        List<Double> ll = whole.series("logLikelihood");
        assertEquals(7, ll.size(), "evaluations 0..6");
        for (int i = 1; i < ll.size(); i++) {
            assertTrue(ll.get(i) >= ll.get(i - 1), "iteration " + i + ": " + ll);
        }
        assertEquals(List.of(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0), whole.series("decreased"));
        String model = Files.readString(whole.runDir.resolve("model-stage.json"));
        assertTrue(model.startsWith("{\"format\":\"hybridbench.phone-hmm\",\"version\":1,\"phones\":[\"ph0\",\"ph1\",\"ph2\"],"
                + "\"statesPerPhone\":2,\"selfLoops\":[["), model);

        Map<String, byte[]> checkpoints = new HashMap<>();
        FakeRunContext killed = new FakeRunContext(dir.resolve("b"), new TrainingRegime(6, 0, 1, 2), checkpoints);
        killed.cancelAtCall = 6; // during the evaluation after update 5: the checkpoint after update 4 exists
        assertThrows(StageCancelledException.class, () -> fit(killed, Map.of()));
        assertTrue(checkpoints.containsKey(PhoneHmmStage.CHECKPOINT));
        FakeRunContext resumed = new FakeRunContext(dir.resolve("c"), new TrainingRegime(6, 0, 1, 2), checkpoints);
        resumed.resuming = true;
        fit(resumed, Map.of());
        assertTrue(resumed.logs.stream().anyMatch(l -> l.contains("resuming from the checkpoint after update 4")), resumed.logs.toString());
        assertEquals(model, Files.readString(resumed.runDir.resolve("model-stage.json")));
    }

    @Test
    void decodingOutputsTranscriptionsAndFramePhonesAgainstTheLabels() throws Exception {
        FakeStageIO trained = fit(new FakeRunContext(dir.resolve("fit"), new TrainingRegime(5, 0, 1, 0)), Map.of());
        LabelledSequences test = EmbeddedTrainerTest.sample(EmbeddedTrainerTest.truth(), 10, 99);
        PhoneLoopStageProvider p = new PhoneLoopStageProvider(Tiny.CHAIN);
        FakeStageIO io = new FakeStageIO().with("models", trained.output("models", PhonePorts.PHONE_MODELS)).with("sequences", test);
        FakeRunContext context = new FakeRunContext(dir.resolve("decode"), new TrainingRegime(1, 0, 1, 0));
        p.create(FixtureSpeechTest.config(p, Map.of())).run(io, context);
        Transcriptions t = io.output("transcriptions", PortTypes.TRANSCRIPTIONS);
        assertEquals(10, t.hypotheses().size());
        for (int u = 0; u < 10; u++) {
            assertEquals(List.of(Transcripts.of(test, u)).get(0).length, t.references().get(u).length);
        }
        // separable synthetic phones: the recogniser is nearly perfect
        double per = FixtureSpeechTest.per(t);
        double acc = FixtureSpeechTest.frameAccuracy(io.output("predictions", PortTypes.PREDICTIONS));
        assertTrue(per < 0.1, "PER " + per);
        assertTrue(acc > 0.9, "frame accuracy " + acc);
        assertTrue(Files.readString(context.runDir.resolve("decode-stage.txt")).startsWith("synthetic/0\thyp: "));
    }

    @Test
    void badInputIsNamed() throws Exception {
        PhoneHmmStageProvider p = new PhoneHmmStageProvider(Tiny.CHAIN);
        FakeRunContext ctx = new FakeRunContext(dir, new TrainingRegime(2, 0, 1, 0));
        StageException e = assertThrows(StageException.class, () -> p.create(FixtureSpeechTest.config(p, Map.of()))
                .run(new FakeStageIO().with("sequences", DATA).with("emission", emission(6)), ctx));
        assertEquals("model.phone.hmm: 3 phones x 3 states per phone need an emission model with 9 states; the wired one has 6 "
                + "(set its 'states' to 9)", e.getMessage());

        int[] labels = DATA.states().clone();
        labels[DATA.observations().offset(2) + 3] = LabelledSequences.UNLABELLED;
        LabelledSequences holey = new LabelledSequences("holey", DATA.observations(), labels, DATA.stateNames(), Map.of());
        e = assertThrows(StageException.class, () -> p.create(FixtureSpeechTest.config(p, Map.of("statesPerPhone", 2L)))
                .run(new FakeStageIO().with("sequences", holey).with("emission", emission(6)), ctx));
        assertEquals("model.phone.hmm: holey: utterance 2, frame 3 has no phone label, so the utterance has no transcript", e.getMessage());

        double[] y = DATA.observations().data().clone();
        y[DATA.observations().offset(1) * 2 + 1] = Double.NaN;
        LabelledSequences nan = new LabelledSequences("nan", new SequenceBatch(2, lengths(DATA), y), DATA.states(), DATA.stateNames(),
                Map.of());
        e = assertThrows(StageException.class, () -> p.create(FixtureSpeechTest.config(p, Map.of("statesPerPhone", 2L)))
                .run(new FakeStageIO().with("sequences", nan).with("emission", emission(6)), ctx));
        assertTrue(e.getMessage().startsWith("model.phone.hmm: nan: utterance 1: "), e.getMessage());

        FakeStageIO trained = fit(new FakeRunContext(dir.resolve("fit"), new TrainingRegime(1, 0, 1, 0)), Map.of());
        LabelledSequences otherPhones = new LabelledSequences("other", DATA.observations(), DATA.states(), List.of("a", "b", "c"), Map.of());
        PhoneLoopStageProvider d = new PhoneLoopStageProvider(Tiny.CHAIN);
        e = assertThrows(StageException.class, () -> d.create(FixtureSpeechTest.config(d, Map.of())).run(new FakeStageIO()
                .with("models", trained.output("models", PhonePorts.PHONE_MODELS)).with("sequences", otherPhones), ctx));
        assertEquals("decode.phone-loop: the sequences 'other' are labelled with 3 phones [a, b, c], the models know 3 [ph0, ph1, ph2]",
                e.getMessage());
    }

    /** An utterance shorter than its transcript's HMM is named: in the log and left out (skip), or as the error. */
    @Test
    void anUtteranceTooShortForItsTranscriptIsNamed() throws Exception {
        // DATA with a 4-frame utterance labelled ph0 ph1 ph2 ph0 in front: 4 phones x 2 states need 8 frames
        int[] lengths = lengths(DATA);
        int[] withShort = new int[lengths.length + 1];
        withShort[0] = 4;
        System.arraycopy(lengths, 0, withShort, 1, lengths.length);
        double[] y = new double[DATA.observations().data().length + 8];
        System.arraycopy(DATA.observations().data(), 0, y, 0, 8);
        System.arraycopy(DATA.observations().data(), 0, y, 8, DATA.observations().data().length);
        int[] states = new int[DATA.states().length + 4];
        System.arraycopy(new int[] {0, 1, 2, 0}, 0, states, 0, 4);
        System.arraycopy(DATA.states(), 0, states, 4, DATA.states().length);
        LabelledSequences data = new LabelledSequences("short", new SequenceBatch(2, withShort, y), states, DATA.stateNames(), Map.of());
        PhoneHmmStageProvider p = new PhoneHmmStageProvider(Tiny.CHAIN);
        String expected = "short: utterance 0 has 4 frames, fewer than the 8 states of its transcript's HMM (4 phones x 2 states)";

        FakeRunContext ctx = new FakeRunContext(dir.resolve("skip"), new TrainingRegime(2, 0, 1, 0));
        p.create(FixtureSpeechTest.config(p, Map.of("statesPerPhone", 2L))).run(new FakeStageIO().with("sequences", data)
                .with("emission", emission(6)), ctx);
        assertTrue(ctx.logs.contains("model.phone.hmm: skipped: " + expected), ctx.logs.toString());
        assertTrue(ctx.logs.contains("model.phone.hmm: 1 utterance(s) skipped: fewer frames than their transcript has states"),
                ctx.logs.toString());

        StageException e = assertThrows(StageException.class, () -> p.create(FixtureSpeechTest.config(p, Map.of("statesPerPhone", 2L,
                "shortUtterances", "error"))).run(new FakeStageIO().with("sequences", data).with("emission", emission(6)),
                        new FakeRunContext(dir.resolve("error"), new TrainingRegime(2, 0, 1, 0))));
        assertEquals("model.phone.hmm: " + expected + "; drop such utterances, use fewer states per phone, or set shortUtterances = skip",
                e.getMessage());
    }

    private static int[] lengths(LabelledSequences s) {
        int[] l = new int[s.size()];
        for (int i = 0; i < l.length; i++) {
            l[i] = s.observations().length(i);
        }
        return l;
    }
}

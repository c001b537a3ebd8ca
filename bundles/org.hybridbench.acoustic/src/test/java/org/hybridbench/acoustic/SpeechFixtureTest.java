package org.hybridbench.acoustic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.hybridbench.api.PortTypes;
import org.hybridbench.api.TrainingRegime;
import org.hybridbench.api.model.DifferentiableNetwork;
import org.hybridbench.api.model.LabelledSequences;
import org.hybridbench.api.model.Predictions;
import org.hybridbench.api.model.Transcriptions;
import org.hybridbench.crf.SoftmaxLossStageProvider;
import org.hybridbench.optim.AdamStageProvider;
import org.hybridbench.speech.SpeechStageProvider;
import org.hybridbench.testing.FakeRunContext;
import org.hybridbench.testing.FakeStageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recipe of {@code speech-frame-mlp-fixture} through the stage providers on the committed flite utterances:
 * dataset.speech (fixture, test voice slt) → encoder.mlp → model.frame.classifier with loss.softmax (41 phones) and
 * Adam. Frame accuracy and PER are computed here from the outputs by this test's own code.
 */
class SpeechFixtureTest {
    @TempDir
    Path dir;

    /** Substitutions + deletions + insertions, by the textbook full-table recurrence. */
    static int editDistance(int[] ref, int[] hyp) {
        int[][] d = new int[ref.length + 1][hyp.length + 1];
        for (int i = 0; i <= ref.length; i++) {
            for (int j = 0; j <= hyp.length; j++) {
                if (i == 0 || j == 0) {
                    d[i][j] = i + j;
                } else {
                    d[i][j] = Math.min(d[i - 1][j - 1] + (ref[i - 1] == hyp[j - 1] ? 0 : 1), Math.min(d[i - 1][j], d[i][j - 1]) + 1);
                }
            }
        }
        return d[ref.length][hyp.length];
    }

    static double per(Transcriptions t) {
        long errors = 0;
        long n = 0;
        for (int u = 0; u < t.hypotheses().size(); u++) {
            errors += editDistance(t.references().get(u), t.hypotheses().get(u));
            n += t.references().get(u).length;
        }
        return errors / (double) n;
    }

    static double frameAccuracy(Predictions p) {
        int ok = 0;
        for (int t = 0; t < p.predicted().length; t++) {
            ok += p.predicted()[t] == p.reference()[t] ? 1 : 0;
        }
        return ok / (double) p.predicted().length;
    }

    /** The share of the most frequent frame label: what always answering one phone would score. */
    static double majority(LabelledSequences s) {
        int[] count = new int[s.stateNames().size()];
        for (int v : s.states()) {
            count[v]++;
        }
        return java.util.Arrays.stream(count).max().getAsInt() / (double) s.states().length;
    }

    @Test
    void fixtureTrainsAndScoresEndToEnd() throws Exception {
        TrainingRegime regime = new TrainingRegime(15, 128, 1, 5);
        FakeStageIO speech = new FakeStageIO();
        SpeechStageProvider sp = new SpeechStageProvider();
        sp.create(Synthetic.config(sp, Map.of("source", "fixture", "testVoice", "slt"))).run(speech, new FakeRunContext(dir.resolve("s"), regime));
        LabelledSequences train = speech.output("train", PortTypes.SEQUENCES);
        LabelledSequences dev = speech.output("dev", PortTypes.SEQUENCES);
        LabelledSequences test = speech.output("test", PortTypes.SEQUENCES);
        assertEquals(41, train.stateNames().size());
        assertEquals(39, train.observations().dimension());

        FakeStageIO mlpIo = new FakeStageIO();
        MlpStageProvider mp = new MlpStageProvider();
        mp.create(Synthetic.config(mp, Map.of("hidden", "256,256"))).run(mlpIo, new FakeRunContext(dir.resolve("m"), regime));
        FakeStageIO lossIo = new FakeStageIO();
        SoftmaxLossStageProvider lp = new SoftmaxLossStageProvider();
        lp.create(Synthetic.config(lp, Map.of("tags", 41L))).run(lossIo, new FakeRunContext(dir.resolve("l"), regime));
        FakeStageIO adamIo = new FakeStageIO();
        AdamStageProvider ap = new AdamStageProvider();
        ap.create(Synthetic.config(ap, Map.of("learningRate", 0.001))).run(adamIo, new FakeRunContext(dir.resolve("a"), regime));

        DifferentiableNetwork net = mlpIo.output("network", PortTypes.NETWORK);
        FakeStageIO io = new FakeStageIO().with("sequences", train).with("dev", dev).with("test", test).with("network", net)
                .with("loss", lossIo.output("loss", PortTypes.STRUCTURED_LOSS))
                .with("optimizer", adamIo.output("optimizer", PortTypes.OPTIMIZER));
        FrameClassifierStageProvider fp = new FrameClassifierStageProvider(null);
        FakeRunContext ctx = new FakeRunContext(dir.resolve("f"), regime);
        long t0 = System.nanoTime();
        fp.create(Synthetic.config(fp, Map.of())).run(io, ctx);
        double seconds = (System.nanoTime() - t0) / 1e9;

        Predictions p = io.output("predictions", PortTypes.PREDICTIONS);
        Transcriptions t = io.output("transcriptions", PortTypes.TRANSCRIPTIONS);
        double acc = frameAccuracy(p);
        double per = per(t);
        List<Double> dev1 = ctx.series("devFrameAccuracy");
        List<Double> loss = ctx.series("lossPerFrame");
        assertEquals(acc, ctx.series("testFrameAccuracy").get(0), 1e-12, "the stage's accuracy = this test's count");
        assertEquals(per, ctx.series("testPhoneErrorRate").get(0), 1e-12, "the stage's PER = this test's edit distance");
        long refPhones = t.references().stream().mapToLong(r -> r.length).sum();
        long hypPhones = t.hypotheses().stream().mapToLong(h -> h.length).sum();
        System.out.printf("speech fixture, MLP 429-256-256-41 sigmoid, 15 epochs in %.1f s: train %d frames, loss/frame %s%n", seconds,
                train.observations().totalLength(), loss);
        System.out.printf("dev (training voices) frame accuracy per epoch %s (majority phone %.4f)%n", dev1, majority(dev));
        System.out.printf("test (slt) frame accuracy %.4f (majority phone %.4f), PER %.4f (%d reference phones, %d recognised) on %d "
                + "utterances%n", acc, majority(test), per, refPhones, hypPhones, test.size());
        // for the README: what dropping short argmax runs (config minRun) does to the PER of the same labels
        for (int minRun : new int[] {2, 3, 5}) {
            List<int[]> hyps = new java.util.ArrayList<>();
            for (int u = 0; u < test.size(); u++) {
                int a = test.observations().offset(u);
                hyps.add(Transcription.collapse(Transcription.smooth(java.util.Arrays.copyOfRange(p.predicted(), a,
                        a + test.observations().length(u)), minRun)));
            }
            System.out.printf("test PER with minRun %d: %.4f%n", minRun, per(new Transcriptions(t.ids(), hyps, t.references(),
                    t.symbols())));
        }

        // the training voices' unseen sentences: far better than always answering the commonest phone
        assertTrue(dev1.get(dev1.size() - 1) > 3 * majority(dev), "dev frame accuracy " + dev1);
        assertTrue(loss.get(loss.size() - 1) < loss.get(0), "loss per frame " + loss);
        // the held-out (female) speaker is much harder (see the speech README), but must still beat chance
        assertTrue(acc > majority(test), "test frame accuracy " + acc);
    }
}

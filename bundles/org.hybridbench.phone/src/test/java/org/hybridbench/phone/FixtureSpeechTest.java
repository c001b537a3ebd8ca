package org.hybridbench.phone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.hybridbench.api.ConfigParam;
import org.hybridbench.api.PortTypes;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageProvider;
import org.hybridbench.api.TrainingRegime;
import org.hybridbench.api.model.EmissionModel;
import org.hybridbench.api.model.LabelledSequences;
import org.hybridbench.api.model.Predictions;
import org.hybridbench.api.model.Transcriptions;
import org.hybridbench.emission.GaussianMixtureStageProvider;
import org.hybridbench.speech.SpeechStageProvider;
import org.hybridbench.testing.FakeRunContext;
import org.hybridbench.testing.FakeStageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recipe of {@code speech-phone-gmm-hmm-fixture} on the committed flite utterances: dataset.speech (fixture) →
 * emission.gmm (41 × 3 states) → model.phone.hmm (embedded Baum-Welch) → decode.phone-loop on the training voices'
 * dev utterances and on the held-out voice. PER is computed here by its own edit distance.
 */
class FixtureSpeechTest {
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
        return new StageConfig("stage", v);
    }

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
    void fixtureTrainsAndDecodesEndToEnd() throws Exception {
        TrainingRegime regime = new TrainingRegime(8, 0, 1, 0);
        FakeStageIO speech = new FakeStageIO();
        new SpeechStageProvider().create(config(new SpeechStageProvider(), Map.of("source", "fixture", "testVoice", "slt")))
                .run(speech, new FakeRunContext(dir.resolve("speech"), regime));
        LabelledSequences train = speech.output("train", PortTypes.SEQUENCES);
        LabelledSequences dev = speech.output("dev", PortTypes.SEQUENCES);
        LabelledSequences test = speech.output("test", PortTypes.SEQUENCES);
        assertEquals(41, train.stateNames().size());

        FakeStageIO emission = new FakeStageIO().with("data", train);
        GaussianMixtureStageProvider gmm = new GaussianMixtureStageProvider();
        gmm.create(config(gmm, Map.of("states", 123L, "components", 2L, "init", "data")))
                .run(emission, new FakeRunContext(dir.resolve("gmm"), regime));

        PhoneHmmStageProvider fit = new PhoneHmmStageProvider(Tiny.CHAIN);
        FakeStageIO fitIo = new FakeStageIO().with("sequences", train).with("emission", emission.output("model", PortTypes.EMISSION_MODEL));
        FakeRunContext fitContext = new FakeRunContext(dir.resolve("fit"), regime);
        long start = System.nanoTime();
        fit.create(config(fit, Map.of("tolerance", 0.0))).run(fitIo, fitContext);
        double fitSeconds = (System.nanoTime() - start) / 1e9;
        List<Double> ll = fitContext.series("logLikelihoodPerFrame");
        assertEquals(9, ll.size(), "iterations 0..8");
        assertTrue(ll.get(8) > ll.get(0), "training must raise the likelihood: " + ll);
        PhoneModelSet models = fitIo.output("models", PhonePorts.PHONE_MODELS);
        EmissionModel trained = fitIo.output("model", PortTypes.EMISSION_MODEL);
        assertEquals(123, trained.numStates());

        Map<String, double[]> results = new HashMap<>();
        for (LabelledSequences split : List.of(dev, test)) {
            PhoneLoopStageProvider decode = new PhoneLoopStageProvider(Tiny.CHAIN);
            FakeStageIO io = new FakeStageIO().with("models", models).with("sequences", split);
            FakeRunContext context = new FakeRunContext(dir.resolve("decode-" + split.name()), regime);
            decode.create(config(decode, Map.of())).run(io, context);
            Transcriptions t = io.output("transcriptions", PortTypes.TRANSCRIPTIONS);
            Predictions p = io.output("predictions", PortTypes.PREDICTIONS);
            assertEquals(split.size(), t.hypotheses().size());
            double per = per(t);
            double acc = frameAccuracy(p);
            assertEquals(per, context.series("phoneErrorRate").get(0), 1e-12, "the stage's PER = this test's edit distance");
            assertEquals(acc, context.series("frameAccuracy").get(0), 1e-12);
            results.put(split.name(), new double[] {per, acc, majority(split)});
            System.out.printf("%s: %d utterances, PER %.4f, frame accuracy %.4f (majority phone %.4f)%n", split.name(), split.size(), per,
                    acc, majority(split));
        }
        System.out.printf("fit %.1f s, log-likelihood per frame %s%n", fitSeconds, ll);
        double[] devResult = results.get(dev.name());
        double[] testResult = results.get(test.name());
        // the training voices' unseen sentences: far better than chance (always-pau), fewer errors than phones
        assertTrue(devResult[0] < 0.7, "dev PER " + devResult[0]);
        assertTrue(devResult[1] > 2 * devResult[2], "dev frame accuracy " + devResult[1]);
        // the held-out speaker is harder (see the speech README), but the recogniser must still beat chance
        assertTrue(testResult[1] > devResult[2], "test frame accuracy " + testResult[1]);
    }
}

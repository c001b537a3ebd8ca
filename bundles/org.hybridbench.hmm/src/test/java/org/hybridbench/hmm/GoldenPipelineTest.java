package org.hybridbench.hmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.hybridbench.api.PortTypes;
import org.hybridbench.api.TrainingRegime;
import org.hybridbench.api.model.ChainNumerics;
import org.hybridbench.api.model.EmissionModel;
import org.hybridbench.api.model.LabelledSequences;
import org.hybridbench.api.model.Predictions;
import org.hybridbench.chain.ChainEngine;
import org.hybridbench.emission.GaussianStageProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.hybridbench.testing.FakeRunContext;
import org.hybridbench.testing.FakeStageIO;

/**
 * The stages of workspace pipeline {@code hmm-golden} called in order without OSGi (emission.gaussian from the data
 * → model.hmm.fit by Baum-Welch → model.hmm.decode by Viterbi) on the golden sequence, plus timings of the kernels.
 */
class GoldenPipelineTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void load() throws Exception {
        GoldenTest.load();
    }

    @Test
    void fitFromDataThenViterbiFindsTheTrueStates() throws Exception {
        LabelledSequences data = GoldenTest.data();
        ChainEngine chain = new ChainEngine(ChainNumerics.SCALED, 2);
        FakeRunContext ctx = new FakeRunContext(dir, new TrainingRegime(200, 0, 1, 10));

        GaussianStageProvider ep = new GaussianStageProvider();
        FakeStageIO eio = new FakeStageIO().with("data", data);
        ep.create(HmmStagesTest.config(ep, Map.of("states", 3L, "init", "data"))).run(eio, ctx); // as hmm-golden.json: labels ignored
        EmissionModel emission = eio.output("model", PortTypes.EMISSION_MODEL);

        HmmFitStageProvider fp = new HmmFitStageProvider(chain);
        FakeStageIO fio = new FakeStageIO().with("sequences", data).with("emission", emission);
        long t0 = System.nanoTime();
        fp.create(HmmStagesTest.config(fp, Map.of("tolerance", 1e-9))).run(fio, ctx);
        double fitSeconds = (System.nanoTime() - t0) / 1e9;
        List<Double> ll = ctx.series("objective");
        for (int i = 1; i < ll.size(); i++) {
            assertTrue(ll.get(i) >= ll.get(i - 1) - 1e-9 * Math.abs(ll.get(i - 1)), "EM decreased at " + i);
        }
        // the fitted model is at least as likely as the generating one (stated log p(x) = -153907.50579)
        assertTrue(ll.get(ll.size() - 1) >= -153907.50579, "final log-likelihood " + ll.get(ll.size() - 1));

        HmmDecodeStageProvider dp = new HmmDecodeStageProvider(chain);
        FakeStageIO dio = new FakeStageIO().with("hmm", fio.output("hmm", HmmPorts.HMM)).with("sequences", data);
        dp.create(HmmStagesTest.config(dp, Map.of())).run(dio, ctx);
        Predictions p = dio.output("predictions", PortTypes.PREDICTIONS);
        double acc = GoldenTest.accuracy(p.predicted());
        // the generating model's Viterbi path scores 0.9815; a fitted model decodes as well within 0.2 %
        assertEquals(0.9815, acc, 0.002);
        System.out.printf("hmm-golden: %d Baum-Welch iterations in %.2f s, final log p(x) %.5f, Viterbi accuracy %.5f%n",
                ll.size() - 1, fitSeconds, ll.get(ll.size() - 1), acc);
    }

    @Test
    void timings() throws Exception {
        // reported, not asserted (machine-dependent); the targets: FB <= 10 ms, Viterbi <= 8 ms, BW <= 20 ms
        LabelledSequences data = GoldenTest.data();
        ChainEngine chain = new ChainEngine(ChainNumerics.SCALED, 1);
        HiddenMarkovModel m = GoldenTest.statedModel();
        double fb = best(() -> m.posteriors(data.observations(), chain, 1));
        double vit = best(() -> m.viterbi(data.observations(), chain, 1));
        double logb = best(() -> m.logEmissions(data.observations(), 1));
        HmmTrainer t = new HmmTrainer(chain, new HmmTrainer.Options(HmmTrainer.Method.BAUM_WELCH, 1, 0, 0, 0, 1), null);
        double bw = best(() -> {
            HiddenMarkovModel fresh = GoldenTest.statedModel();
            t.fit(fresh, data, it -> { });
        }) / 2; // fit(…, 1 iteration) = 2 E-steps + 1 M-step: count half as one iteration
        System.out.printf("golden T=100k K=3, 1 thread, best of 7: log b %.1f ms, log b + forward-backward %.1f ms, "
                + "log b + Viterbi %.1f ms, Baum-Welch iteration ~%.1f ms%n", logb, fb, vit, bw);
        assertTrue(Arrays.stream(new double[] {fb, vit, bw}).allMatch(v -> v > 0));
    }

    interface Work {
        void run() throws Exception;
    }

    static double best(Work w) throws Exception {
        for (int r = 0; r < 3; r++) {
            w.run(); // warm-up (JIT)
        }
        double best = Double.MAX_VALUE;
        for (int r = 0; r < 7; r++) {
            long t0 = System.nanoTime();
            w.run();
            best = Math.min(best, (System.nanoTime() - t0) / 1e6);
        }
        return best;
    }
}

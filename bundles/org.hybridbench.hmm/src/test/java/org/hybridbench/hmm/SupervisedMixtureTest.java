package org.hybridbench.hmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import org.hybridbench.api.PortTypes;
import org.hybridbench.api.TrainingRegime;
import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.ChainNumerics;
import org.hybridbench.api.model.EmissionModel;
import org.hybridbench.api.model.LabelledSequences;
import org.hybridbench.api.model.ParameterBlock;
import org.hybridbench.chain.ChainEngine;
import org.hybridbench.emission.CovarianceType;
import org.hybridbench.emission.GaussianEmission;
import org.hybridbench.emission.GaussianMixtureEmission;
import org.hybridbench.emission.GaussianMixtureStageProvider;
import org.hybridbench.testing.FakeRunContext;
import org.hybridbench.testing.FakeStageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The speech pipeline's recipe (emission.gmm initialised from the data → model.hmm.fit supervised) on sequences drawn
 * from a known GMM-HMM, and how the trainer treats an update that re-seeded emission components.
 */
class SupervisedMixtureTest {
    static final ChainEngine CHAIN = new ChainEngine(ChainNumerics.SCALED, 2);

    @TempDir
    Path dir;

    /**
     * Two states of three components on parallel lines, interleaved in x (state 0 at x = −10, 0, 10, state 1 at −9, 1,
     * 11): pooled k-means centres sorted by x give state 0 the centres at −10, −9, 0 and none near its component at
     * 10, and state 1 none near −9.
     */
    static HiddenMarkovModel truth() {
        GaussianMixtureEmission e = new GaussianMixtureEmission(2, 3, 2, CovarianceType.DIAGONAL, 1e-3);
        double[][] xs = {{-10, 0, 10}, {-9, 1, 11}};
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                e.setMean(i, j, new double[] {xs[i][j], 2 * i});
                e.setCovariance(i, j, new double[] {0.3 + 0.05 * j, 0, 0, 0.2});
            }
            e.setMixtureWeights(i, i == 0 ? new double[] {0.2, 0.3, 0.5} : new double[] {0.5, 0.3, 0.2});
        }
        return new HiddenMarkovModel(new double[] {0.6, 0.4}, new double[][] {{0.85, 0.15}, {0.2, 0.8}}, e);
    }

    record Fit(GaussianMixtureEmission emission, List<Double> objectives, FakeRunContext context) {
    }

    Fit fit(LabelledSequences data, String init) throws Exception {
        FakeRunContext ctx = new FakeRunContext(dir, new TrainingRegime(30, 0, 1, 0));
        GaussianMixtureStageProvider ep = new GaussianMixtureStageProvider();
        FakeStageIO eio = new FakeStageIO().with("data", data);
        ep.create(HmmStagesTest.config(ep, Map.of("states", 2L, "components", 3L, "init", init))).run(eio, ctx);
        EmissionModel emission = eio.output("model", PortTypes.EMISSION_MODEL);
        HmmFitStageProvider fp = new HmmFitStageProvider(CHAIN);
        FakeStageIO fio = new FakeStageIO().with("sequences", data).with("emission", emission);
        fp.create(HmmStagesTest.config(fp, Map.of("training", "supervised", "tolerance", 0.0))).run(fio, ctx);
        for (double flag : ctx.series("decreased")) {
            assertEquals(0, flag, "supervised EM never decreases its objective");
        }
        return new Fit((GaussianMixtureEmission) emission, ctx.series("objective"), ctx);
    }

    static double nearest(GaussianMixtureEmission e, int state, double[] mu) {
        double best = Double.POSITIVE_INFINITY;
        for (int j = 0; j < e.componentsPerState(); j++) {
            double[] f = e.mean(state, j);
            best = Math.min(best, Math.hypot(f[0] - mu[0], f[1] - mu[1]));
        }
        return best;
    }

    @Test
    void labelInitialisedSupervisedFitRecoversEveryStatesMixtureAndLabelBlindDoesNot() throws Exception {
        HiddenMarkovModel truth = truth();
        int[] lengths = new int[20];
        Arrays.fill(lengths, 300);
        LabelledSequences data = truth.sample(lengths, new SplittableRandom(1));
        GaussianMixtureEmission te = (GaussianMixtureEmission) truth.emission();
        int n = 20 * 300;

        Fit aware = fit(data, "auto"); // labelled data: auto = labels
        assertTrue(aware.context().logs.get(0).contains("initialised per state from 6000 labelled of 6000 positions (init = auto)"),
                aware.context().logs.toString());
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                double[] mu = te.mean(i, j);
                assertTrue(nearest(aware.emission(), i, mu) < 0.05, "state " + i + "'s component at " + Arrays.toString(mu)
                        + ": nearest fitted mean " + nearest(aware.emission(), i, mu) + " away");
            }
        }
        Fit blind = fit(data, "data");
        double a = aware.objectives().get(aware.objectives().size() - 1);
        double b = blind.objectives().get(blind.objectives().size() - 1);
        assertTrue((a - b) / n > 0.2, "label-blind k-means start ends " + (a - b) / n + " nats per position lower");
        int missed = 0;
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                missed += nearest(blind.emission(), i, te.mean(i, j)) > 2 ? 1 : 0;
            }
        }
        assertTrue(missed >= 2, "label-blind start leaves " + missed + " true components without a fitted one");
    }

    /**
     * A Gaussian emission whose third M-step moves state 0's mean by 3 (lowering the likelihood) and reports it,
     * with the word {@value HmmTrainer#RESEEDED} or without it.
     */
    static final class Perturbing implements EmissionModel {
        final GaussianEmission inner;
        final boolean sayReseeded;
        int steps;

        Perturbing(GaussianEmission inner, boolean sayReseeded) {
            this.inner = inner;
            this.sayReseeded = sayReseeded;
        }

        @Override
        public int numStates() {
            return inner.numStates();
        }

        @Override
        public int dimension() {
            return inner.dimension();
        }

        @Override
        public void logDensity(Matrix observations, Matrix out) {
            inner.logDensity(observations, out);
        }

        @Override
        public void accumulate(Matrix observations, Matrix weights) {
            inner.accumulate(observations, weights);
        }

        @Override
        public void maximize() {
            inner.maximize();
            steps++;
        }

        @Override
        public List<String> lastMaximizeReport() {
            if (steps != 3) {
                return inner.lastMaximizeReport();
            }
            double[] mu = inner.mean(0);
            mu[0] += 3;
            inner.setMean(0, 0, mu);
            return List.of(sayReseeded ? "state 0: " + HmmTrainer.RESEEDED + " (moved by 3)" : "state 0: moved by 3");
        }

        @Override
        public List<ParameterBlock> parameters() {
            return inner.parameters();
        }

        @Override
        public void parameterGradient(Matrix observations, Matrix dLogB) {
            inner.parameterGradient(observations, dLogB);
        }

        @Override
        public void observationGradient(Matrix observations, Matrix dLogB, Matrix out) {
            inner.observationGradient(observations, dLogB, out);
        }

        @Override
        public Matrix sample(int[] states, RandomGenerator rng) {
            return inner.sample(states, rng);
        }

        @Override
        public long freeParameters() {
            return inner.freeParameters();
        }
    }

    @Test
    void aFallAfterAReseedIsNotedButNotFlaggedAndAnyOtherFallIs() throws Exception {
        LabelledSequences data = HmmTrainerTest.sample(HmmTrainerTest.truth(), 10, 7);
        for (boolean say : new boolean[] {true, false}) {
            GaussianEmission g = new GaussianEmission(3, 2, CovarianceType.DIAGONAL, 1e-6);
            g.initialize(HiddenMarkovModel.rows(data.observations()), new SplittableRandom(8));
            HiddenMarkovModel m = HiddenMarkovModel.initial(new Perturbing(g, say), false, 0.8);
            List<HmmTrainer.Iteration> seen = new ArrayList<>();
            new HmmTrainer(CHAIN, new HmmTrainer.Options(HmmTrainer.Method.BAUM_WELCH, 8, 0, 0, 0, 1), null).fit(m, data, seen::add);
            List<HmmTrainer.Iteration> evaluated = seen.stream().filter(it -> !Double.isNaN(it.objective())).toList();
            HmmTrainer.Iteration third = evaluated.get(3); // evaluated after the third update, the perturbed one
            assertTrue(third.delta() < 0, "moving a mean by 3 lowers the likelihood: " + third.delta());
            if (say) {
                assertFalse(third.decreased());
                assertTrue(third.notes().get(0).contains("after the previous update re-seeded emission components"), third.notes().toString());
            } else {
                assertTrue(third.decreased());
                assertTrue(third.notes().get(0).startsWith("the objective decreased at iteration 3"), third.notes().toString());
            }
            for (HmmTrainer.Iteration it : evaluated) {
                if (it != third) {
                    assertFalse(it.decreased(), "iteration " + it.iteration());
                }
            }
        }
    }
}

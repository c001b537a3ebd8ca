package org.hybridbench.mixture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.hybridbench.api.PortTypes;
import org.hybridbench.api.StageCancelledException;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageException;
import org.hybridbench.api.TrainingRegime;
import org.hybridbench.api.data.Dataset;
import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.EmissionModel;
import org.hybridbench.api.model.Predictions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.hybridbench.testing.FakeRunContext;
import org.hybridbench.testing.FakeStageIO;

class GmmEmStageTest {
    @TempDir
    Path tmp;

    /** The known 3-component 2-D mixture the data are drawn from. */
    static GaussianMixture truth() {
        GaussianMixture m = new GaussianMixture(3, 2, CovarianceType.FULL, 1e-6);
        m.setComponent(0, 0.5, new double[] {0, 0}, new double[] {1.0, 0.5, 0.5, 1.0});
        m.setComponent(1, 0.3, new double[] {6, 1}, new double[] {0.5, -0.2, -0.2, 0.3});
        m.setComponent(2, 0.2, new double[] {2, 7}, new double[] {2.0, 0.0, 0.0, 0.2});
        return m;
    }

    static Dataset sample(GaussianMixture m, int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] states = m.sampleComponents(n, rng);
        Matrix x = m.sample(states, rng);
        return new Dataset("mixture", x, states, List.of("a", "b", "c"), Map.of("source", "test"));
    }

    static Map<String, Object> config(int k, String covariance, double tolerance, String init) {
        return Map.of("components", (long) k, "covariance", covariance, "tolerance", tolerance, "init", init,
                "covarianceFloor", 1e-3);
    }

    private FakeStageIO run(Dataset data, Map<String, Object> config, FakeRunContext ctx) throws Exception {
        FakeStageIO io = new FakeStageIO().with("dataset", data);
        new GmmEmStageProvider().create(new StageConfig("gmm", config)).run(io, ctx);
        return io;
    }

    @Test
    void logLikelihoodNeverDecreases() throws Exception {
        int checked = 0;
        for (String cov : List.of("diagonal", "full", "spherical")) {
            for (long seed = 1; seed <= 4; seed++) {
                Dataset data = sample(truth(), 400, seed);
                FakeRunContext ctx = new FakeRunContext(tmp.resolve(cov + seed), new TrainingRegime(60, 0, seed, 0));
                run(data, config(4, cov, 0, seed % 2 == 0 ? "random" : "kmeans++"), ctx);
                List<Double> ll = ctx.series("logLikelihood");
                List<Double> reseeded = ctx.series("reseeded");
                assertEquals(61, ll.size(), "tolerance 0 runs every iteration");
                for (int i = 1; i < ll.size(); i++) {
                    if (reseeded.get(i) == 0) {
                        assertTrue(ll.get(i) >= ll.get(i - 1) - 1e-12 * Math.abs(ll.get(i - 1)),
                                cov + " seed " + seed + " iteration " + i + ": " + ll.get(i - 1) + " -> " + ll.get(i));
                        checked++;
                    }
                }
                assertTrue(ll.get(ll.size() - 1) > ll.get(0), "EM improved the fit");
            }
        }
        assertTrue(checked > 600, "most steps had no re-seed: " + checked);
    }

    @Test
    void recoversAKnownThreeComponentMixture() throws Exception {
        GaussianMixture truth = truth();
        Dataset data = sample(truth, 6000, 11);
        FakeRunContext ctx = new FakeRunContext(tmp, new TrainingRegime(300, 0, 3, 0));
        FakeStageIO io = run(data, config(3, "full", 1e-8, "kmeans++"), ctx);
        GaussianMixture fit = (GaussianMixture) io.output("model", PortTypes.EMISSION_MODEL);
        for (int c = 0; c < 3; c++) {
            // match each true component with the fitted one whose mean is nearest
            int best = -1;
            double bestDist = Double.POSITIVE_INFINITY;
            for (int f = 0; f < 3; f++) {
                double dx = fit.mean(f)[0] - truth.mean(c)[0];
                double dy = fit.mean(f)[1] - truth.mean(c)[1];
                if (dx * dx + dy * dy < bestDist) {
                    bestDist = dx * dx + dy * dy;
                    best = f;
                }
            }
            assertEquals(truth.weight(c), fit.weight(best), 0.02, "weight of component " + c);
            assertArrayEquals(truth.mean(c), fit.mean(best), 0.08, "mean of component " + c);
            assertArrayEquals(truth.covarianceMatrix(c), fit.covarianceMatrix(best), 0.12, "covariance of component " + c);
        }
        // the clusters are well separated: the fit's clusters are the true components
        Predictions p = io.output("predictions", PortTypes.PREDICTIONS);
        int[][] table = new int[3][3];
        for (int t = 0; t < p.predicted().length; t++) {
            table[p.predicted()[t]][p.reference()[t]]++;
        }
        int agree = 0;
        for (int[] row : table) {
            agree += Math.max(row[0], Math.max(row[1], row[2]));
        }
        assertTrue(agree > 0.98 * data.size(), "purity " + agree / (double) data.size());
        assertFalse(ctx.series("bic").isEmpty());
    }

    @Test
    void degenerateDataGiveNoNaN() throws Exception {
        // 2 distinct points, each 4 times, and 5 components
        double[] x = new double[8 * 2];
        for (int t = 0; t < 8; t++) {
            x[2 * t] = t % 2 == 0 ? 1 : 3;
            x[2 * t + 1] = t % 2 == 0 ? 2 : 2;
        }
        Dataset data = new Dataset("dup", new Matrix(8, 2, x), null, List.of(), Map.of());
        for (String cov : List.of("diagonal", "full", "spherical")) {
            for (String init : List.of("kmeans++", "random")) {
                FakeRunContext ctx = new FakeRunContext(tmp.resolve(cov + init), new TrainingRegime(30, 0, 7, 0));
                FakeStageIO io = run(data, config(5, cov, 1e-6, init), ctx);
                GaussianMixture m = (GaussianMixture) io.output("model", PortTypes.EMISSION_MODEL);
                for (double[] a : new double[][] {m.weights, m.means, m.covariances}) {
                    for (double v : a) {
                        assertTrue(Double.isFinite(v), cov + "/" + init + ": parameter " + v);
                    }
                }
                for (double ll : ctx.series("logLikelihood")) {
                    assertTrue(Double.isFinite(ll), cov + "/" + init + ": log-likelihood " + ll);
                }
                Predictions p = io.output("predictions", PortTypes.PREDICTIONS);
                assertEquals(8, p.predicted().length);
                assertEquals(null, p.reference());
                // duplicates of one point always land in the same component
                for (int t = 2; t < 8; t++) {
                    assertEquals(p.predicted()[t % 2], p.predicted()[t]);
                }
            }
        }
    }

    @Test
    void emptyComponentIsReseededAtTheWorstExplainedRow() {
        Dataset data = sample(truth(), 300, 4);
        GaussianMixture m = new GaussianMixture(2, 2, CovarianceType.DIAGONAL, 1e-3);
        m.setComponent(0, 0.5, new double[] {2, 2}, new double[] {10, 0, 0, 10});
        m.setComponent(1, 0.5, new double[] {1e4, 1e4}, new double[] {1, 0, 0, 1}); // far from every row
        Matrix resp = new Matrix(300, 2);
        double[] rowLl = new double[300];
        m.eStep(data.features(), resp, rowLl);
        m.accumulate(data.features(), resp);
        m.maximize();
        assertTrue(m.weight(1) * 300 <= GaussianMixture.EMPTY_WEIGHT);
        int worst = 0;
        for (int t = 1; t < 300; t++) {
            worst = rowLl[t] < rowLl[worst] ? t : worst;
        }
        assertEquals(List.of(1), GmmEmStage.reseedEmpty(m, data.features(), rowLl));
        assertArrayEquals(data.features().row(worst), m.mean(1), 0.0);
        assertEquals(1, m.weight(0) + m.weight(1), 1e-12);
        double ll = m.eStep(data.features(), resp, null);
        assertTrue(Double.isFinite(ll));
        double n1 = 0;
        for (int t = 0; t < 300; t++) {
            n1 += resp.get(t, 1);
        }
        assertTrue(n1 > GaussianMixture.EMPTY_WEIGHT, "the re-seeded component explains some rows again");
    }

    @Test
    void killedRunResumesFromItsCheckpointToTheSameResult() throws Exception {
        Dataset data = sample(truth(), 500, 21);
        Map<String, Object> cfg = config(3, "full", 0, "kmeans++");
        TrainingRegime regime = new TrainingRegime(25, 0, 5, 4);

        FakeRunContext whole = new FakeRunContext(tmp.resolve("whole"), regime);
        FakeStageIO a = run(data, cfg, whole);
        GaussianMixture ma = (GaussianMixture) a.output("model", PortTypes.EMISSION_MODEL);

        Map<String, byte[]> store = new HashMap<>();
        FakeRunContext killed = new FakeRunContext(tmp.resolve("killed"), regime, store);
        killed.cancelAtCall = 15; // during iteration 14, after the checkpoint of iteration 12
        assertThrows(StageCancelledException.class, () -> run(data, cfg, killed));
        assertTrue(store.containsKey("gmm"));

        FakeRunContext resumed = new FakeRunContext(tmp.resolve("resumed"), regime, store);
        resumed.resuming = true;
        FakeStageIO b = run(data, cfg, resumed);
        GaussianMixture mb = (GaussianMixture) b.output("model", PortTypes.EMISSION_MODEL);
        assertTrue(resumed.logs.stream().anyMatch(l -> l.contains("resuming from the checkpoint after iteration 12")), resumed.logs.toString());
        assertEquals(12, resumed.metrics.get(0).step());
        assertArrayEquals(ma.weights, mb.weights, 0.0);
        assertArrayEquals(ma.means, mb.means, 0.0);
        assertArrayEquals(ma.covariances, mb.covariances, 0.0);
        assertArrayEquals(a.output("predictions", PortTypes.PREDICTIONS).predicted(),
                b.output("predictions", PortTypes.PREDICTIONS).predicted());
        List<Double> llWhole = whole.series("logLikelihood");
        List<Double> llResumed = resumed.series("logLikelihood");
        assertEquals(llWhole.subList(12, llWhole.size()), llResumed);
        assertEquals(25, resumed.progressDone);
    }

    @Test
    void checkpointOfAnotherFitIsRefused() throws Exception {
        Dataset data = sample(truth(), 200, 2);
        Map<String, byte[]> store = new HashMap<>();
        run(data, config(3, "diagonal", 0, "kmeans++"), new FakeRunContext(tmp.resolve("a"), new TrainingRegime(4, 0, 1, 2), store));
        FakeRunContext other = new FakeRunContext(tmp.resolve("b"), new TrainingRegime(4, 0, 1, 2), store);
        other.resuming = true;
        StageException e = assertThrows(StageException.class, () -> run(data, config(4, "diagonal", 0, "kmeans++"), other));
        assertTrue(e.getMessage().contains("different fit"), e.getMessage());
    }

    @Test
    void writesAVersionedModelFileMatchingTheModel() throws Exception {
        Dataset data = sample(truth(), 300, 8);
        FakeRunContext ctx = new FakeRunContext(tmp, new TrainingRegime(50, 0, 1, 0));
        FakeStageIO io = run(data, config(3, "spherical", 1e-6, "kmeans++"), ctx);
        EmissionModel model = io.output("model", PortTypes.EMISSION_MODEL);
        assertEquals(3, model.numStates());
        assertEquals(2, model.dimension());
        String json = Files.readString(ctx.runDir.resolve("model-gmm.json"));
        assertTrue(json.startsWith("{\"format\":\"hybridbench.gmm\",\"version\":1,"), json);
        assertTrue(json.contains("\"covariance\":\"spherical\",\"components\":3,\"dimension\":2"), json);
        Matcher w = Pattern.compile("\"weights\":\\[([^\\]]*)\\]").matcher(json);
        assertTrue(w.find(), json);
        String[] parts = w.group(1).split(",");
        GaussianMixture m = (GaussianMixture) model;
        for (int c = 0; c < 3; c++) {
            assertEquals(m.weight(c), Double.parseDouble(parts[c]), 0.0, "weights round-trip exactly");
        }
        Predictions p = io.output("predictions", PortTypes.PREDICTIONS);
        assertSame(data.labels(), p.reference());
        assertEquals(3, p.numPredictedClasses());
    }

    @Test
    void nonFiniteInputIsReportedByPosition() {
        Dataset data = sample(truth(), 20, 1);
        data.features().set(3, 1, Double.POSITIVE_INFINITY);
        StageException e = assertThrows(StageException.class,
                () -> run(data, config(2, "diagonal", 0, "kmeans++"), new FakeRunContext(tmp, new TrainingRegime(5, 0, 1, 0))));
        assertTrue(e.getMessage().contains("row 3, column 1"), e.getMessage());
    }
}

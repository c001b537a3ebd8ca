package org.hybridbench.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.hybridbench.api.PortTypes;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageException;
import org.hybridbench.api.TrainingRegime;
import org.hybridbench.api.model.Predictions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.hybridbench.testing.FakeRunContext;
import org.hybridbench.testing.FakeStageIO;

/** Expected values are worked out by hand in the comments (several are scikit-learn's documented examples). */
class MetricsTest {
    @TempDir
    Path tmp;

    static Predictions p(int[] predicted, int[] reference) {
        return new Predictions(predicted, reference, 0, List.of());
    }

    static Map<String, Double> clustering(int[] predicted, int[] reference) {
        return new ClusteringMetric().evaluate(p(predicted, reference));
    }

    @Test
    void ariOfDocumentedExamples() {
        // a permutation of the labels is a perfect match
        assertEquals(1.0, clustering(new int[] {1, 1, 0, 0}, new int[] {0, 0, 1, 1}).get("ari"), 1e-15);
        // n = (2,1,1) pairs: index 1; a = (2,2): 2; b = (2,1,1): 1; E = 2·1/6; max 1.5 → (2/3)/(7/6) = 4/7
        assertEquals(4.0 / 7, clustering(new int[] {0, 0, 1, 2}, new int[] {0, 0, 1, 1}).get("ari"), 1e-15);
        // user-guide example: index 2, Σa 6, Σb 3, E = 18/15, max 4.5 → 0.8/3.3
        assertEquals(0.8 / 3.3, clustering(new int[] {0, 0, 1, 1, 2, 2}, new int[] {0, 0, 0, 1, 1, 1}).get("ari"), 1e-15);
        // all singletons against two classes: index 0, Σa 0 → E 0, max 1 → 0
        assertEquals(0.0, clustering(new int[] {0, 1, 2, 3}, new int[] {0, 0, 1, 1}).get("ari"), 1e-15);
        // both labelings a single cluster: sklearn's special case 1.0
        assertEquals(1.0, clustering(new int[] {5, 5, 5}, new int[] {2, 2, 2}).get("ari"), 0.0);
    }

    @Test
    void nmiWithArithmeticMeanNormalisation() {
        // true (0,0,0,1,1,1), pred (0,0,1,1,2,2): I = (2/3) ln 2, H(true) = ln 2, H(pred) = ln 3
        double expected = (2.0 / 3 * Math.log(2)) / ((Math.log(2) + Math.log(3)) / 2);
        assertEquals(expected, clustering(new int[] {0, 0, 1, 1, 2, 2}, new int[] {0, 0, 0, 1, 1, 1}).get("nmi"), 1e-15);
        assertEquals(0.5158037429793889, expected, 1e-15); // scikit-learn's documented value for this pair
        assertEquals(1.0, clustering(new int[] {1, 1, 0, 0}, new int[] {0, 0, 1, 1}).get("nmi"), 1e-15);
        // independent labelings: every cell is p_i p_j, so I = 0
        assertEquals(0.0, clustering(new int[] {0, 1, 0, 1}, new int[] {0, 0, 1, 1}).get("nmi"), 1e-15);
        // one cluster against two classes: I = 0
        assertEquals(0.0, clustering(new int[] {0, 0, 0, 0}, new int[] {0, 0, 1, 1}).get("nmi"), 0.0);
    }

    @Test
    void purityCountsTheMajorityClassOfEachCluster() {
        // clusters {0,0}, {0,1}, {1,1}: 2 + 1 + 2 of 6
        assertEquals(5.0 / 6, clustering(new int[] {0, 0, 1, 1, 2, 2}, new int[] {0, 0, 0, 1, 1, 1}).get("purity"), 1e-15);
        // every row its own cluster is trivially pure
        assertEquals(1.0, clustering(new int[] {0, 1, 2, 3}, new int[] {0, 0, 1, 1}).get("purity"), 0.0);
        // one cluster: the share of the largest class
        assertEquals(0.75, clustering(new int[] {7, 7, 7, 7}, new int[] {0, 0, 0, 1}).get("purity"), 0.0);
    }

    @Test
    void accuracyPrecisionRecallF1OfTheDocumentedExample() {
        // y_true (0,1,2,0,1,2), y_pred (0,2,1,0,0,1): class 0 TP 2 of 3 predicted, 2 of 2 true → P 2/3, R 1, F1 0.8;
        // classes 1 and 2 have no true positive → 0. Macro: P 2/9, R 1/3, F1 0.8/3. Accuracy 2/6.
        Predictions p = new Predictions(new int[] {0, 2, 1, 0, 0, 1}, new int[] {0, 1, 2, 0, 1, 2}, 3, List.of("a", "b", "c"));
        Map<String, Double> m = new AccuracyMetric().evaluate(p);
        assertEquals(1.0 / 3, m.get("accuracy"), 1e-15);
        assertEquals(2.0 / 9, m.get("macroPrecision"), 1e-15);
        assertEquals(1.0 / 3, m.get("macroRecall"), 1e-15);
        assertEquals(0.8 / 3, m.get("macroF1"), 1e-15);
        assertEquals(2.0 / 3, m.get("precision.a"), 1e-15);
        assertEquals(1.0, m.get("recall.a"), 1e-15);
        assertEquals(0.8, m.get("f1.a"), 1e-15);
        assertEquals(0.0, m.get("f1.b"), 0.0);
        long[][] confusion = AccuracyMetric.confusion(p);
        assertArrayEquals(new long[] {2, 0, 0}, confusion[0]);
        assertArrayEquals(new long[] {1, 0, 1}, confusion[1]);
        assertArrayEquals(new long[] {0, 2, 0}, confusion[2]);
    }

    @Test
    void clusteringStageWritesMetricsAndArtifact() throws Exception {
        FakeRunContext ctx = new FakeRunContext(tmp, new TrainingRegime(1, 0, 1, 0));
        Predictions p = new Predictions(new int[] {0, 0, 1, 1, 2, 2}, new int[] {0, 0, 0, 1, 1, 1}, 3, List.of("x", "y"));
        new ClusteringStageProvider().create(new StageConfig("m", Map.of())).run(new FakeStageIO().with("predictions", p), ctx);
        assertEquals(List.of(5.0 / 6), ctx.series("purity"));
        assertEquals(List.of(0.8 / 3.3), ctx.series("ari"));
        String json = Files.readString(ctx.runDir.resolve("clustering.json"));
        assertTrue(json.startsWith("{\"format\":\"hybridbench.metric.clustering\",\"version\":1,\"rows\":6"), json);
        assertTrue(json.contains("\"classes\":[\"x\",\"y\"]"), json);
        assertTrue(json.contains("\"contingency\":[\n[2,0],\n[1,1],\n[0,2]]"), json);
        assertTrue(json.contains("\"purity\":" + (5.0 / 6)), json);
    }

    @Test
    void accuracyStageWritesConfusionMatrix() throws Exception {
        FakeRunContext ctx = new FakeRunContext(tmp, new TrainingRegime(1, 0, 1, 0));
        Predictions p = new Predictions(new int[] {0, 1, 1}, new int[] {0, 1, 0}, 2, List.of("no", "yes"));
        new AccuracyStageProvider().create(new StageConfig("m", Map.of("confusionPicture", true))).run(new FakeStageIO().with("predictions", p), ctx);
        assertEquals(List.of(2.0 / 3), ctx.series("accuracy"));
        String json = Files.readString(ctx.runDir.resolve("accuracy.json"));
        assertTrue(json.contains("\"confusion\":[\n[1,1],\n[0,1]]"), json);
        assertTrue(json.contains("\"precision.yes\":0.5"), json);
    }

    @Test
    void unlabelledPredictionsAreRefused() {
        FakeRunContext ctx = new FakeRunContext(tmp, new TrainingRegime(1, 0, 1, 0));
        Predictions p = new Predictions(new int[] {0, 1}, null, 2, List.of());
        StageException e = assertThrows(StageException.class, () -> new ClusteringStageProvider().create(new StageConfig("m",
                Map.of())).run(new FakeStageIO().with("predictions", p), ctx));
        assertTrue(e.getMessage().contains("no reference labels"), e.getMessage());
        assertEquals(PortTypes.PREDICTIONS, new AccuracyStageProvider().descriptor().input("predictions").orElseThrow().type());
    }
}

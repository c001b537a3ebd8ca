package org.hybridbench.tagger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.hybridbench.api.PortTypes;
import org.hybridbench.api.StageException;
import org.hybridbench.api.TrainingRegime;
import org.hybridbench.api.data.TaggedSentences;
import org.hybridbench.api.model.Predictions;
import org.hybridbench.optim.Lbfgs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    @TempDir
    Path tmp;

    @Test
    void lbfgsFitsTheSyntheticTask() throws Exception {
        TaggedSentences train = Fixtures.synthetic("train", 60, 1);
        TaggedSentences test = Fixtures.synthetic("test", 40, 2);
        Fixtures.Run r = Fixtures.train(tmp, train, test, Lbfgs.standard(), new TrainingRegime(30, 0, 1, 0), Map.of());
        FeatureCrfStage.Result res = r.stage().result;
        assertTrue(res.testAccuracy() > 0.97, "test accuracy " + res.testAccuracy());
        assertTrue(res.oovTokens() > 0);
        assertTrue(res.oovAccuracy() > 0.9, "OOV accuracy " + res.oovAccuracy());
        List<Double> obj = r.context().series("objective");
        assertTrue(obj.get(obj.size() - 1) < obj.get(0), obj.toString());
        Predictions p = r.io().output("predictions", PortTypes.PREDICTIONS);
        assertEquals(test.totalTokens(), p.predicted().length);
        assertEquals(List.of("D", "N", "V"), p.referenceClassNames());
        String json = Files.readString(r.context().runDir.resolve("model-stage.json"));
        assertTrue(json.contains("\"format\": \"hybridbench.tagger.crf-features\""), json.substring(0, 200));
        assertTrue(json.contains("\"W0:S3=ion\""));
        assertTrue(!r.context().series("trainAccuracy").isEmpty());
    }

    @Test
    void stochasticOptimizerFitsTheSyntheticTask() throws Exception {
        TaggedSentences train = Fixtures.synthetic("train", 60, 1);
        TaggedSentences test = Fixtures.synthetic("test", 40, 2);
        Fixtures.Run r = Fixtures.train(tmp, train, test, new org.hybridbench.optim.AdaGrad(org.hybridbench.optim.Schedule.constant(0.3), org.hybridbench.optim.Clipping.NONE, 1e-8, 0.0),
                new TrainingRegime(10, 8, 1, 0), Map.of());
        assertTrue(r.stage().result.testAccuracy() > 0.95, "test accuracy " + r.stage().result.testAccuracy());
    }

    @Test
    void aTagSetMismatchIsAClearError() throws Exception {
        TaggedSentences train = Fixtures.synthetic("train", 5, 1);
        TaggedSentences other = new TaggedSentences("other", "xy", List.of("X", "Y"), List.<String[]>of(new String[] {"a"}),
                List.of(new int[] {0}), null, Map.of());
        StageException e = assertThrows(StageException.class, () -> Fixtures.train(tmp, train, other, Lbfgs.standard(),
                new TrainingRegime(2, 0, 1, 0), Map.of()));
        assertTrue(e.getMessage().contains("tag set"), e.getMessage());
    }
}

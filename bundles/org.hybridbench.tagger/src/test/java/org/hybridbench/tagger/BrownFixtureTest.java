package org.hybridbench.tagger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.hybridbench.api.TrainingRegime;
import org.hybridbench.api.data.TaggedSentences;
import org.hybridbench.optim.Lbfgs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dataset.brown source=fixture (798 train / 305 test sentences, universal tags): a sensible tagger in seconds, CRF or softmax. */
class BrownFixtureTest {
    @TempDir
    Path tmp;

    @Test
    void trainsToASensibleAccuracyInSeconds() throws Exception {
        TaggedSentences train = Fixtures.brown(tmp.resolve("a"), "train", 0);
        TaggedSentences test = Fixtures.brown(tmp.resolve("b"), "test", 0);
        assertEquals(12, train.tagCount());
        Fixtures.Run r = Fixtures.train(tmp, train, test, Lbfgs.standard(), new TrainingRegime(30, 0, 1, 0), Map.of());
        FeatureCrfStage.Result res = r.stage().result;
        System.out.println("Brown fixture: " + res);
        assertTrue(res.testAccuracy() > 0.85, "test accuracy " + res.testAccuracy());
        assertTrue(res.oovAccuracy() > 0.6, "OOV accuracy " + res.oovAccuracy());
        assertTrue(res.millis() < 30_000, res.millis() + " ms");
    }

    /** The same features with loss.softmax (word-level likelihood): a per-token max-ent tagger, no transitions. */
    @Test
    void softmaxLossGivesAPerTokenTagger() throws Exception {
        TaggedSentences train = Fixtures.brown(tmp.resolve("a"), "train", 0);
        TaggedSentences test = Fixtures.brown(tmp.resolve("b"), "test", 0);
        Fixtures.Run r = Fixtures.train(tmp, train, test, Fixtures.softmax(tmp, train.tagCount()), Lbfgs.standard(),
                new TrainingRegime(30, 0, 1, 0), Map.of());
        FeatureCrfStage.Result res = r.stage().result;
        System.out.println("Brown fixture, loss.softmax: " + res);
        assertTrue(res.testAccuracy() > 0.85, "test accuracy " + res.testAccuracy());
        assertTrue(res.oovAccuracy() > 0.6, "OOV accuracy " + res.oovAccuracy());
    }
}

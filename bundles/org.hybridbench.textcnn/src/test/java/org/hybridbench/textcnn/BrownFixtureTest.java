package org.hybridbench.textcnn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.hybridbench.api.PortTypes;
import org.hybridbench.api.TrainingRegime;
import org.hybridbench.api.data.TaggedSentences;
import org.hybridbench.api.model.Predictions;
import org.hybridbench.optim.Adam;
import org.hybridbench.testing.FakeRunContext;
import org.hybridbench.testing.FakeStageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** model.tagger.cnn with loss.crf on dataset.brown source=fixture (798 train / 305 test sentences, universal tags). */
class BrownFixtureTest {
    @TempDir
    Path tmp;

    @Test
    void cnnCrfLearnsToTagTheFixture() throws Exception {
        TaggedSentences train = Fixtures.brown(tmp.resolve("a"), "train", 0);
        TaggedSentences test = Fixtures.brown(tmp.resolve("b"), "test", 0);
        FakeStageIO io = new FakeStageIO().with("sentences", train).with("test", test).with("loss", Fixtures.crf(tmp, 12, 0))
                .with("optimizer", Adam.standard(2e-3));
        CnnTaggerStage stage = new CnnTaggerStage(new CnnEncoder.Architecture(50, 5, 10, new int[] {2, 3}, 5, new int[] {300}, "hardtanh",
                0, false), 1, 0.5, 256);
        FakeRunContext ctx = new FakeRunContext(tmp.resolve("run"), new TrainingRegime(Integer.getInteger("epochs", 8), 16, 1, 0));
        stage.run(io, ctx);
        CnnTaggerStage.Result r = stage.result;
        System.out.println("CNN+CRF on the Brown fixture: " + r);
        Predictions p = io.output("predictions", PortTypes.PREDICTIONS);
        assertTrue(p.predicted().length == test.totalTokens());
        assertTrue(r.testAccuracy() > 0.85, "test accuracy " + r.testAccuracy());
        assertTrue(Files.size(ctx.runDir.resolve("model-stage.bin")) > 100_000);
        // word, reference, predicted per token; a blank line after each sentence; agrees with the predictions port
        java.util.List<String> lines = Files.readAllLines(ctx.runDir.resolve("predictions-stage.conll"));
        assertTrue(lines.size() == test.totalTokens() + test.size(), lines.size() + " lines");
        String[] first = lines.get(0).split("\t");
        assertTrue(first.length == 3 && first[0].equals(test.word(0, 0)) && first[1].equals(test.tagNames().get(test.tag(0, 0)))
                && first[2].equals(test.tagNames().get(p.predicted()[0])), lines.get(0));
    }
}

package org.hybridbench.tagger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.hybridbench.api.TrainingRegime;
import org.hybridbench.api.data.TaggedSentences;
import org.hybridbench.optim.Lbfgs;
import org.hybridbench.testing.FakeRunContext;
import org.hybridbench.testing.FakeStageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run stopped after a checkpoint and resumed ends where an uninterrupted run ends (W, CRF and L-BFGS state). */
class ResumeTest {
    @TempDir
    Path tmp;

    private FeatureCrfStage run(Path dir, int epochs, Map<String, byte[]> checkpoints, boolean resuming) throws Exception {
        TaggedSentences train = Fixtures.synthetic("train", 30, 1);
        FakeStageIO io = new FakeStageIO().with("sentences", train).with("loss", Fixtures.crf(dir, 3)).with("optimizer", Lbfgs.standard());
        FeatureCrfStage stage = (FeatureCrfStage) new FeatureCrfStageProvider().create(Fixtures.config(Map.of("tolerance", 0.0)));
        FakeRunContext ctx = new FakeRunContext(dir, new TrainingRegime(epochs, 0, 1, 3), checkpoints);
        ctx.resuming = resuming;
        stage.run(io, ctx);
        if (resuming) {
            assertTrue(ctx.logs.stream().anyMatch(l -> l.contains("resuming from the checkpoint after iteration 3")), ctx.logs.toString());
        }
        return stage;
    }

    @Test
    void resumedRunEqualsUninterruptedRun() throws Exception {
        FeatureCrfStage whole = run(tmp.resolve("a"), 8, new HashMap<>(), false);
        Map<String, byte[]> cps = new HashMap<>();
        run(tmp.resolve("b"), 3, cps, false);
        assertEquals(List.of(FeatureCrfStage.CHECKPOINT), List.copyOf(cps.keySet()));
        FeatureCrfStage resumed = run(tmp.resolve("b"), 8, cps, true);
        assertEquals(whole.result.iterations(), resumed.result.iterations());
        assertEquals(whole.result.objective(), resumed.result.objective(), 1e-9 * Math.abs(whole.result.objective()));
    }
}

package org.hybridbench.textcnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.hybridbench.api.StageException;
import org.hybridbench.api.TrainingRegime;
import org.hybridbench.api.data.TaggedSentences;
import org.hybridbench.api.model.Optimizer;
import org.hybridbench.api.model.ParameterBlock;
import org.hybridbench.api.model.StructuredLoss;
import org.hybridbench.crf.SoftmaxLoss;
import org.hybridbench.optim.Adam;
import org.hybridbench.optim.Lbfgs;
import org.hybridbench.testing.FakeRunContext;
import org.hybridbench.testing.FakeStageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stage: resume, the word-level loss, the model file, bad input. */
class CnnStageTest {
    @TempDir
    Path tmp;

    private static final CnnEncoder.Architecture SMALL = new CnnEncoder.Architecture(8, 3, 4, new int[] {2}, 3, new int[] {16}, "hardtanh",
            0.25, true);

    private CnnTaggerStage run(Path dir, TaggedSentences train, TaggedSentences test, StructuredLoss loss, Optimizer opt, int epochs,
            Map<String, byte[]> checkpoints, boolean resuming) throws Exception {
        FakeStageIO io = new FakeStageIO().with("sentences", train).with("loss", loss).with("optimizer", opt);
        if (test != null) {
            io.with("test", test);
        }
        CnnTaggerStage stage = new CnnTaggerStage(SMALL, 1, 0.5, 7);
        FakeRunContext ctx = new FakeRunContext(dir, new TrainingRegime(epochs, 4, 3, 2), checkpoints);
        ctx.resuming = resuming;
        stage.run(io, ctx);
        if (resuming) {
            assertTrue(ctx.logs.stream().anyMatch(l -> l.contains("resuming from the checkpoint after epoch 2")), ctx.logs.toString());
        }
        return stage;
    }

    /** Stopped after epoch 2 and resumed: the same parameters as an uninterrupted run (batches, dropout, unknown words). */
    @Test
    void resumedRunEqualsUninterruptedRun() throws Exception {
        TaggedSentences data = Fixtures.random(30, 2);
        CnnTaggerStage whole = run(tmp.resolve("a"), data, null, Fixtures.crf(tmp.resolve("c1"), 3, 0), Adam.standard(0.01), 5,
                new HashMap<>(), false);
        Map<String, byte[]> cps = new HashMap<>();
        run(tmp.resolve("b"), data, null, Fixtures.crf(tmp.resolve("c2"), 3, 0), Adam.standard(0.01), 2, cps, false);
        assertEquals(List.of(CnnTaggerStage.CHECKPOINT), List.copyOf(cps.keySet()));
        CnnTaggerStage resumed = run(tmp.resolve("b"), data, null, Fixtures.crf(tmp.resolve("c3"), 3, 0), Adam.standard(0.01), 5, cps,
                true);
        assertEquals(whole.result.lastLossPerToken(), resumed.result.lastLossPerToken(), 1e-12);
        for (int i = 0; i < whole.model.blocks.size(); i++) {
            ParameterBlock a = whole.model.blocks.get(i);
            ParameterBlock b = resumed.model.blocks.get(i);
            assertArrayEquals(a.values(), b.values(), 1e-12, a.name());
        }
    }

    /** The word-level likelihood (loss.softmax) trains the same network; on the Brown fixture it tags sensibly. */
    @Test
    void wordLevelLikelihoodOnTheBrownFixture() throws Exception {
        TaggedSentences train = Fixtures.brown(tmp.resolve("a"), "train", 0);
        TaggedSentences test = Fixtures.brown(tmp.resolve("b"), "test", 0);
        FakeStageIO io = new FakeStageIO().with("sentences", train).with("test", test).with("loss", new SoftmaxLoss(12))
                .with("optimizer", Adam.standard(2e-3));
        CnnTaggerStage stage = new CnnTaggerStage(new CnnEncoder.Architecture(50, 5, 10, new int[] {2, 3}, 5, new int[] {300}, "hardtanh",
                0, false), 1, 0.5, 256);
        stage.run(io, new FakeRunContext(tmp.resolve("run"), new TrainingRegime(4, 16, 1, 0)));
        System.out.println("CNN+softmax (WLL) on the Brown fixture: " + stage.result);
        assertTrue(stage.result.testAccuracy() > 0.85, "test accuracy " + stage.result.testAccuracy());
    }

    /** The model file holds the architecture, tag set, dictionaries and every parameter, and reads back. */
    @Test
    void modelFileRoundTrips() throws Exception {
        TaggedSentences data = Fixtures.random(20, 4);
        CnnTaggerStage stage = run(tmp.resolve("a"), data, null, Fixtures.crf(tmp.resolve("c"), 3, 0), Adam.standard(0.01), 2,
                new HashMap<>(), false);
        byte[] bytes = Files.readAllBytes(tmp.resolve("a").resolve("run").resolve("model-stage.bin"));
        DataInputStream in = ModelFile.open(new ByteArrayInputStream(bytes));
        ModelFile.Header h = ModelFile.readHeader(in, "model-stage.bin");
        assertEquals(List.of("A", "B", "C"), h.tagNames());
        assertEquals("abc", h.tagSet());
        assertEquals(stage.model.encoder.features.wordList(), h.features().wordList());
        assertEquals(stage.model.encoder.features.suffixLists(), h.features().suffixLists());
        assertEquals(SMALL.window(), h.arch().window());
        assertArrayEquals(SMALL.hidden(), h.arch().hidden());
        CnnTagger copy = new CnnTagger(new CnnEncoder(h.features(), h.arch(), 3, 99), Fixtures.crf(tmp.resolve("d"), 3, 0));
        ModelFile.readBlocks(in, copy.blocks, "model-stage.bin");
        copy.encoder.parametersChanged();
        CnnTagger.Data d1 = stage.model.new Data(data);
        CnnTagger.Data d2 = copy.new Data(data);
        assertArrayEquals(stage.model.decode(d1, 5), copy.decode(d2, 5));
        ByteArrayOutputStream junk = new ByteArrayOutputStream();
        junk.write(new byte[] {0, 3, 'a', 'b', 'c'});
        java.io.IOException e = assertThrows(java.io.IOException.class,
                () -> ModelFile.readHeader(ModelFile.open(new ByteArrayInputStream(junk.toByteArray())), "x.bin"));
        assertTrue(e.getMessage().contains("x.bin: not a CNN tagger model"), e.getMessage());
    }

    @Test
    void badInputIsNamed() throws Exception {
        TaggedSentences data = Fixtures.random(10, 1);
        TaggedSentences otherTags = new TaggedSentences("other", "xyz", List.of("X", "Y", "Z"), List.<String[]>of(new String[] {"a"}),
                List.of(new int[] {0}), null, Map.of());
        StageException e = assertThrows(StageException.class, () -> run(tmp.resolve("a"), data, otherTags,
                Fixtures.crf(tmp.resolve("c"), 3, 0), Adam.standard(0.01), 1, new HashMap<>(), false));
        assertTrue(e.getMessage().contains("'other' use tag set xyz [X, Y, Z]") && e.getMessage().contains("'random' abc [A, B, C]"),
                e.getMessage());

        e = assertThrows(StageException.class, () -> run(tmp.resolve("b"), data, null, Fixtures.crf(tmp.resolve("c"), 5, 0),
                Adam.standard(0.01), 1, new HashMap<>(), false));
        assertTrue(e.getMessage().contains("set its tags to 3"), e.getMessage());

        e = assertThrows(StageException.class, () -> run(tmp.resolve("c"), data, null, Fixtures.crf(tmp.resolve("c"), 3, 0),
                Lbfgs.standard(), 1, new HashMap<>(), false));
        assertTrue(e.getMessage().contains("does not take stochastic steps"), e.getMessage());

        TaggedSentences empty = new TaggedSentences("empty", "abc", List.of("A", "B", "C"), List.of(), List.of(), null, Map.of());
        e = assertThrows(StageException.class, () -> run(tmp.resolve("d"), empty, null, Fixtures.crf(tmp.resolve("c"), 3, 0),
                Adam.standard(0.01), 1, new HashMap<>(), false));
        assertTrue(e.getMessage().contains("'empty' are empty"), e.getMessage());

        e = assertThrows(StageException.class, () -> new CnnTaggerStageProvider(null).create(Fixtures.config(Map.of("hidden", "300,x"))));
        assertTrue(e.getMessage().contains("hidden entry 1 'x' is not an integer"), e.getMessage());
        e = assertThrows(StageException.class, () -> new CnnTaggerStageProvider(null).create(Fixtures.config(Map.of("window", 4L))));
        assertTrue(e.getMessage().contains("window must be odd"), e.getMessage());
        // no run directory content from refused runs
        assertTrue(!Files.exists(tmp.resolve("a").resolve("run").resolve("model-stage.bin")));
    }
}

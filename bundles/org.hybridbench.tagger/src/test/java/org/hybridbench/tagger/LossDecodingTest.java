package org.hybridbench.tagger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.hybridbench.api.PortTypes;
import org.hybridbench.api.StageException;
import org.hybridbench.api.TrainingRegime;
import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.data.TaggedSentences;
import org.hybridbench.api.model.ParameterBlock;
import org.hybridbench.api.model.Predictions;
import org.hybridbench.api.model.StructuredLoss;
import org.hybridbench.optim.Lbfgs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Predictions come from the wired loss's decode: a CRF's forbidden transitions hold; a softmax gives a per-token tagger. */
class LossDecodingTest {
    private static final int N = 1;

    @TempDir
    Path tmp;

    /**
     * Test sentences "the Xion Yness Zed": a noun-noun compound (D N N V). The synthetic training grammar never
     * has N → N, but both nouns carry strong noun suffixes, so an unconstrained CRF tags both N.
     */
    static TaggedSentences compounds(int sentences, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<String[]> words = new ArrayList<>();
        List<int[]> tags = new ArrayList<>();
        for (int s = 0; s < sentences; s++) {
            words.add(new String[] {"the", stem(r) + "ion", stem(r) + "ness", stem(r) + "ed"});
            tags.add(new int[] {0, N, N, 2});
        }
        return new TaggedSentences("compounds", "dnv", List.of("D", "N", "V"), words, tags, null, Map.of("source", "synthetic"));
    }

    private static String stem(SplittableRandom r) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            b.append((char) ('b' + r.nextInt(20)));
        }
        return b.toString();
    }

    /** How often predicted tags contain the transition from → to inside a sentence. */
    private static int transitions(Predictions p, TaggedSentences s, int from, int to) {
        int n = 0;
        for (int i = 0; i < s.size(); i++) {
            for (int j = 0; j + 1 < s.length(i); j++) {
                int r = s.offset(i) + j;
                if (p.predicted()[r] == from && p.predicted()[r + 1] == to) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void aForbiddenTransitionIsNeverPredicted() throws Exception {
        TaggedSentences train = Fixtures.synthetic("train", 60, 1);
        TaggedSentences test = compounds(40, 3);
        TrainingRegime regime = new TrainingRegime(30, 0, 1, 0);

        Fixtures.Run free = Fixtures.train(tmp.resolve("free"), train, test, Fixtures.crf(tmp, 3), Lbfgs.standard(), regime, Map.of());
        int freeNN = transitions(free.io().output("predictions", PortTypes.PREDICTIONS), test, N, N);
        assertTrue(freeNN > 0, "without the constraint the CRF should predict N → N on compounds; it did " + freeNN + " times");

        StructuredLoss constrained = Fixtures.crf(tmp, 3, "1>1");
        Fixtures.Run run = Fixtures.train(tmp.resolve("constrained"), train, test, constrained, Lbfgs.standard(), regime, Map.of());
        Predictions p = run.io().output("predictions", PortTypes.PREDICTIONS);
        assertEquals(0, transitions(p, test, N, N), "predictions use the forbidden transition N → N");
        System.out.println("compounds: N → N predicted " + freeNN + " times without the constraint, test accuracy "
                + free.stage().result.testAccuracy() + " vs " + run.stage().result.testAccuracy() + " with it");
    }

    @Test
    void softmaxLossMakesAPerTokenTagger() throws Exception {
        TaggedSentences train = Fixtures.synthetic("train", 60, 1);
        TaggedSentences test = Fixtures.synthetic("test", 40, 2);
        Fixtures.Run r = Fixtures.train(tmp, train, test, Fixtures.softmax(tmp, 3), Lbfgs.standard(), new TrainingRegime(30, 0, 1, 0),
                Map.of());
        assertTrue(r.stage().result.testAccuracy() > 0.97, "test accuracy " + r.stage().result.testAccuracy());
        assertTrue(r.context().logs.stream().anyMatch(l -> l.contains("per-token loss (no transitions)")), r.context().logs.toString());
        String json = Files.readString(r.context().runDir.resolve("model-stage.json"));
        assertFalse(json.contains("\"transition\""), "a per-token model has no transition scores");
        assertTrue(json.contains("\"W0:S3=ion\""));
    }

    @Test
    void decodingIsTheLossesDecodeInChunks() throws Exception {
        TaggedSentences data = Fixtures.synthetic("tiny", 9, 4);
        StructuredLoss crf = Fixtures.crf(tmp, 3, "0>0");
        FeatureCrf model = new FeatureCrf(Features.build(data, 1), 3, crf);
        SplittableRandom r = new SplittableRandom(8);
        for (ParameterBlock b : model.blocks) {
            for (int i = 0; i < b.size(); i++) {
                b.values()[i] = r.nextGaussian();
            }
        }
        FeatureCrf.Data d = model.new Data(data);
        int[] lengths = new int[d.size()];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = data.length(i);
        }
        int[] whole = crf.decode(model.scores(d.enc, 0, d.tokens()), lengths);
        for (int chunks : new int[] {1, 2, 4, 9, 50}) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(whole, model.decode(d, chunks), chunks + " chunks");
        }
    }

    @Test
    void anUnexpectedLossIsAClearError() throws Exception {
        TaggedSentences train = Fixtures.synthetic("train", 5, 1);
        StageException e = assertThrows(StageException.class, () -> Fixtures.train(tmp, train, null, Fixtures.softmax(tmp, 5),
                Lbfgs.standard(), new TrainingRegime(2, 0, 1, 0), Map.of()));
        assertTrue(e.getMessage().contains("3 columns, the softmax loss has 5 tags"), e.getMessage());
        assertTrue(e.getMessage().contains("loss.crf or loss.softmax with tags = 3"), e.getMessage());
        e = assertThrows(StageException.class, () -> Fixtures.train(tmp, train, null, Fixtures.crf(tmp, 4), Lbfgs.standard(),
                new TrainingRegime(2, 0, 1, 0), Map.of()));
        assertTrue(e.getMessage().contains("3 columns, the CRF has 4 tags"), e.getMessage());
        // a loss with a transition block but no start and end scores is not a CRF this tagger knows
        double[] a = new double[9];
        StructuredLoss partial = new StructuredLoss() {
            @Override
            public double lossAndGradient(Matrix scores, int[] targets, Matrix gradient) {
                throw new AssertionError("not reached");
            }

            @Override
            public List<ParameterBlock> parameters() {
                return List.of(new ParameterBlock("crf.transition", new int[] {3, 3}, a, new double[9]));
            }
        };
        e = assertThrows(StageException.class, () -> Fixtures.train(tmp, train, null, partial, Lbfgs.standard(),
                new TrainingRegime(2, 0, 1, 0), Map.of()));
        assertTrue(e.getMessage().contains("only some of the CRF blocks"), e.getMessage());
        assertTrue(e.getMessage().contains("[crf.transition]"), e.getMessage());
    }
}

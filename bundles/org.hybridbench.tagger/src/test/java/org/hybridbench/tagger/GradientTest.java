package org.hybridbench.tagger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.SplittableRandom;

import org.hybridbench.api.data.TaggedSentences;
import org.hybridbench.api.model.Objective;
import org.hybridbench.api.model.ParameterBlock;
import org.hybridbench.api.model.StructuredLoss;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gradient of the whole objective (Σ loss + L2) w.r.t. W and the loss's blocks (CRF or none) vs central differences. */
class GradientTest {
    @TempDir
    Path tmp;

    @Test
    void wholeObjectiveMatchesFiniteDifferences() throws Exception {
        checkWholeObjective(Fixtures.crf(tmp, 3));
    }

    @Test
    void wholeObjectiveWithTheSoftmaxLossMatchesFiniteDifferences() throws Exception {
        checkWholeObjective(Fixtures.softmax(tmp, 3));
    }

    private void checkWholeObjective(StructuredLoss loss) {
        TaggedSentences data = Fixtures.synthetic("tiny", 4, 3);
        FeatureCrf model = new FeatureCrf(Features.build(data, 1), 3, loss);
        SplittableRandom rng = new SplittableRandom(7);
        for (ParameterBlock b : model.blocks) {
            for (int i = 0; i < b.size(); i++) {
                b.values()[i] = 0.5 * rng.nextGaussian();
            }
        }
        FeatureCrf.Data d = model.new Data(data);
        Objective f = model.objective(d, 0.3, 3, () -> { });
        f.evaluate();
        double[] analytic = model.gather(true);
        double h = 1e-5;
        int checked = 0;
        int p = 0;
        for (ParameterBlock b : model.blocks) {
            // every CRF entry; W entries: a sample (every 7th) plus every entry of the first features
            for (int i = 0; i < b.size(); i++) {
                if (b.name().equals("tagger.W") && i % 7 != 0 && i > 30) {
                    continue;
                }
                double x = b.values()[i];
                b.values()[i] = x + h;
                double fp = f.evaluate();
                b.values()[i] = x - h;
                double fm = f.evaluate();
                b.values()[i] = x;
                double numeric = (fp - fm) / (2 * h);
                double a = analytic[p + i];
                assertEquals(numeric, a, 1e-6 * Math.max(1, Math.abs(numeric)), b.name() + "[" + i + "]");
                checked++;
            }
            p += b.size();
        }
        assertTrue(checked > 40, "checked " + checked);
        // the analytic gradient is not trivially zero on W
        double norm = 0;
        for (double g : model.gradW) {
            norm += g * g;
        }
        assertTrue(norm > 1e-3);
    }

    @Test
    void miniBatchPenaltyIsScaledAndChunkingDoesNotMatter() throws Exception {
        TaggedSentences data = Fixtures.synthetic("tiny", 6, 5);
        FeatureCrf model = new FeatureCrf(Features.build(data, 1), 3, Fixtures.crf(tmp, 3));
        SplittableRandom rng = new SplittableRandom(2);
        for (ParameterBlock b : model.blocks) {
            for (int i = 0; i < b.size(); i++) {
                b.values()[i] = 0.3 * rng.nextGaussian();
            }
        }
        FeatureCrf.Data d = model.new Data(data);
        int[] all = {0, 1, 2, 3, 4, 5};
        double one = model.lossAndGradient(d, all, 0.2, 1.0, 1);
        double[] g1 = model.gather(true);
        double many = model.lossAndGradient(d, all, 0.2, 1.0, 4);
        double[] g4 = model.gather(true);
        assertEquals(one, many, 1e-9);
        for (int i = 0; i < g1.length; i++) {
            assertEquals(g1[i], g4[i], 1e-9);
        }
    }
}

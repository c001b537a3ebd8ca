package org.hybridbench.textcnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.hybridbench.api.data.TaggedSentences;
import org.hybridbench.api.model.ParameterBlock;
import org.hybridbench.api.model.StructuredLoss;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole CNN + CRF objective's gradient — lookup tables, the DL4J network's weights and biases, the CRF's
 * transition, start and end scores — against central finite differences through the real network (double
 * precision, tanh so the objective is smooth).
 */
class CnnGradientTest {
    @TempDir
    Path tmp;

    private static CnnTagger tagger(TaggedSentences data, StructuredLoss loss, String activation) {
        TokenFeatures f = TokenFeatures.build(data, 1, new int[] {2, 3});
        CnnEncoder.Architecture arch = new CnnEncoder.Architecture(4, 2, 3, new int[] {2, 3}, 3, new int[] {5, 4}, activation, 0, true);
        return new CnnTagger(new CnnEncoder(f, arch, 3, 11), loss);
    }

    @Test
    void wholeObjectiveMatchesFiniteDifferences() throws Exception {
        TaggedSentences data = Fixtures.random(7, 5);
        CnnTagger t = tagger(data, Fixtures.crf(tmp, 3, 0.5), "tanh");
        CnnTagger.Data d = t.new Data(data);
        int[] batch = {0, 1, 2, 3, 4, 5, 6};
        double scale = 1.0 / 7;
        t.lossAndGradient(d, batch, scale, true, null, 0);
        List<double[]> analytic = new ArrayList<>();
        for (ParameterBlock b : t.blocks) {
            analytic.add(b.gradient().clone());
        }
        double h = 1e-5;
        double worst = 0;
        int checked = 0;
        int nonzero = 0;
        for (int bi = 0; bi < t.blocks.size(); bi++) {
            ParameterBlock b = t.blocks.get(bi);
            double[] v = b.values();
            int step = Math.max(1, v.length / 40);
            for (int i = 0; i < v.length; i += step) {
                double saved = v[i];
                v[i] = saved + h;
                t.encoder.parametersChanged();
                double up = scale * t.lossAndGradient(d, batch, scale, false, null, 0);
                v[i] = saved - h;
                t.encoder.parametersChanged();
                double down = scale * t.lossAndGradient(d, batch, scale, false, null, 0);
                v[i] = saved;
                t.encoder.parametersChanged();
                double numeric = (up - down) / (2 * h);
                double a = analytic.get(bi)[i];
                double err = Math.abs(numeric - a) / Math.max(1e-4, Math.abs(numeric) + Math.abs(a));
                if (err > worst) {
                    worst = err;
                }
                if (Math.abs(a) > 1e-6) {
                    nonzero++;
                }
                assertTrue(err < 1e-5, b.name() + "[" + i + "]: analytic " + a + ", finite differences " + numeric);
                checked++;
            }
        }
        System.out.printf("CNN+CRF gradient: %d parameters in %d blocks checked, %d non-zero, worst relative error %.2e%n", checked,
                t.blocks.size(), nonzero, worst);
        List<String> names = t.blocks.stream().map(ParameterBlock::name).toList();
        assertTrue(names.containsAll(List.of("embedding.word", "embedding.caps", "embedding.suffix2", "embedding.suffix3",
                "crf.transition", "crf.start", "crf.end")), names.toString());
        assertTrue(names.stream().anyMatch(n -> n.endsWith("_W")), names.toString());
        assertTrue(nonzero > checked / 2, nonzero + " of " + checked + " non-zero");
    }

    /** A ragged batch gives the loss and gradient of the sentences one by one, summed. */
    @Test
    void batchEqualsOneByOne() throws Exception {
        TaggedSentences data = Fixtures.random(9, 8);
        CnnTagger t = tagger(data, Fixtures.crf(tmp, 3, 0.5), "hardtanh");
        CnnTagger.Data d = t.new Data(data);
        int[] all = {3, 0, 8, 1, 7, 2, 6, 4, 5};
        double batchLoss = t.lossAndGradient(d, all, 1, true, null, 0);
        List<double[]> batchGrad = new ArrayList<>();
        for (ParameterBlock b : t.blocks) {
            batchGrad.add(b.gradient().clone());
        }
        double sum = 0;
        List<double[]> summed = new ArrayList<>();
        for (ParameterBlock b : t.blocks) {
            summed.add(new double[b.size()]);
        }
        for (int s : all) {
            sum += t.lossAndGradient(d, new int[] {s}, 1, true, null, 0);
            for (int bi = 0; bi < t.blocks.size(); bi++) {
                double[] g = t.blocks.get(bi).gradient();
                for (int i = 0; i < g.length; i++) {
                    summed.get(bi)[i] += g[i];
                }
            }
        }
        assertEquals(sum, batchLoss, 1e-10 * Math.abs(sum));
        for (int bi = 0; bi < t.blocks.size(); bi++) {
            double[] a = batchGrad.get(bi);
            double[] b = summed.get(bi);
            for (int i = 0; i < a.length; i++) {
                assertEquals(b[i], a[i], 1e-10, t.blocks.get(bi).name() + "[" + i + "]");
            }
        }
    }
}

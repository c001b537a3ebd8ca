package org.hybridbench.crf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.ChainNumerics;
import org.hybridbench.api.model.ChainPath;
import org.hybridbench.api.model.ParameterBlock;
import org.hybridbench.chain.ChainEngine;
import org.junit.jupiter.api.Test;

/** A ragged batch (empty sentences included) gives the same losses and gradients as one sentence at a time. */
class CrfBatchTest {

    @Test
    void batchedEqualsOneByOne() {
        SplittableRandom r = new SplittableRandom(9);
        for (ChainNumerics numerics : new ChainNumerics[] {ChainNumerics.LOG, ChainNumerics.SCALED}) {
            for (int k : new int[] {1, 2, 3, 5, 9}) {
                LinearChainCrf crf = new LinearChainCrf(k, new ChainEngine(numerics, 3));
                crf.initialize(r, 1);
                if (k > 2) {
                    crf.forbidTransition(1, 2);
                }
                int n = 70;
                List<Matrix> u = new ArrayList<>();
                List<int[]> y = new ArrayList<>();
                int[] lengths = new int[n];
                int total = 0;
                for (int b = 0; b < n; b++) {
                    lengths[b] = b % 7 == 0 ? 0 : 1 + r.nextInt(12);
                    u.add(CrfOracleTest.random(r, lengths[b], k, 2));
                    y.add(CrfGradientTest.walk(r, crf, lengths[b]));
                    total += lengths[b];
                }
                // one by one
                double[] lossOne = new double[n];
                Matrix gOne = new Matrix(total, k);
                crf.zeroGradients();
                int off = 0;
                for (int b = 0; b < n; b++) {
                    Matrix g = new Matrix(lengths[b], k);
                    lossOne[b] = crf.lossAndGradient(u.get(b), y.get(b), g);
                    System.arraycopy(g.data(), 0, gOne.data(), off * k, g.data().length);
                    off += lengths[b];
                }
                List<double[]> paramOne = new ArrayList<>();
                for (ParameterBlock p : crf.parameters()) {
                    paramOne.add(p.gradient().clone());
                }
                // batched, end to end
                double[] all = new double[total * k];
                int[] tags = new int[total];
                off = 0;
                for (int b = 0; b < n; b++) {
                    System.arraycopy(u.get(b).data(), 0, all, off * k, lengths[b] * k);
                    System.arraycopy(y.get(b), 0, tags, off, lengths[b]);
                    off += lengths[b];
                }
                crf.zeroGradients();
                Matrix gBatch = new Matrix(total, k);
                double[] lossBatch = crf.lossAndGradient(new Matrix(total, k, all), lengths, tags, gBatch);
                assertArrayEquals(lossOne, lossBatch, 1e-9);
                assertArrayEquals(gOne.data(), gBatch.data(), 1e-9);
                for (int i = 0; i < 3; i++) {
                    assertArrayEquals(paramOne.get(i), crf.parameters().get(i).gradient(), 1e-8, crf.parameters().get(i).name());
                }
                for (int b = 0; b < n; b += 7) {
                    assertEquals(0, lossBatch[b]);
                }
                // Viterbi of the batch
                List<ChainPath> paths = crf.viterbiBatch(new Matrix(total, k, all), lengths);
                for (int b = 0; b < n; b++) {
                    ChainPath one = crf.viterbi(u.get(b));
                    assertArrayEquals(one.states(), paths.get(b).states());
                    assertEquals(one.logScore(), paths.get(b).logScore(), 1e-9);
                }
            }
        }
    }
}

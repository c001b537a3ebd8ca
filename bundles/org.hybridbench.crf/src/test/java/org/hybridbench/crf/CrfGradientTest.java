package org.hybridbench.crf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.ChainNumerics;
import org.hybridbench.api.model.ParameterBlock;
import org.hybridbench.chain.ChainEngine;
import org.junit.jupiter.api.Test;

/** Gradients of the sentence-level log-likelihood loss against central finite differences. */
class CrfGradientTest {
    static final double H = 1e-5;
    static final double TOL = 1e-7;

    /** Gold tags by a random walk that avoids the CRF's forbidden transitions. */
    static int[] walk(SplittableRandom r, LinearChainCrf crf, int t) {
        int k = crf.numTags();
        int[] y = new int[t];
        for (int p = 0; p < t; p++) {
            int tag;
            do {
                tag = r.nextInt(k);
            } while (p > 0 && crf.isForbidden(y[p - 1], tag));
            y[p] = tag;
        }
        return y;
    }

    /** The loss straight from the definition: Σ_b log Z_b − score(gold_b), without the gradient code. */
    static double loss(LinearChainCrf crf, List<Matrix> u, List<int[]> y) {
        double s = 0;
        for (int b = 0; b < u.size(); b++) {
            s += crf.logPartition(u.get(b), null) - crf.score(u.get(b), y.get(b));
        }
        return s;
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(5);
        for (ChainNumerics numerics : new ChainNumerics[] {ChainNumerics.LOG, ChainNumerics.SCALED}) {
            for (int rep = 0; rep < 20; rep++) {
                int k = 1 + r.nextInt(3);
                LinearChainCrf crf = new LinearChainCrf(k, new ChainEngine(numerics));
                crf.initialize(r, 1.0);
                if (k == 3) {
                    crf.forbidTransition(0, 2);
                    crf.forbidTransition(2, 2);
                }
                List<Matrix> u = new ArrayList<>();
                List<int[]> y = new ArrayList<>();
                List<Matrix> g = new ArrayList<>();
                int n = 1 + r.nextInt(4);
                for (int b = 0; b < n; b++) {
                    int t = r.nextInt(6);
                    u.add(CrfOracleTest.random(r, t, k, 1.5));
                    y.add(walk(r, crf, t));
                    g.add(new Matrix(t, k));
                }
                crf.zeroGradients();
                double[] losses = crf.lossAndGradient(u, y, g);
                double total = 0;
                for (double l : losses) {
                    total += l;
                }
                assertEquals(loss(crf, u, y), total, 1e-10);
                // unaries
                for (int b = 0; b < n; b++) {
                    double[] d = u.get(b).data();
                    for (int i = 0; i < d.length; i++) {
                        double keep = d[i];
                        d[i] = keep + H;
                        double up = loss(crf, u, y);
                        d[i] = keep - H;
                        double down = loss(crf, u, y);
                        d[i] = keep;
                        assertEquals((up - down) / (2 * H), g.get(b).data()[i], TOL, "unary " + b + "/" + i);
                    }
                }
                // transitions, start, end (forbidden transitions: gradient 0)
                for (ParameterBlock block : crf.parameters()) {
                    double[] v = block.values();
                    for (int i = 0; i < v.length; i++) {
                        if (block.name().equals("crf.transition") && crf.isForbidden(i / k, i % k)) {
                            assertEquals(0, block.gradient()[i]);
                            continue;
                        }
                        double keep = v[i];
                        v[i] = keep + H;
                        double up = loss(crf, u, y);
                        v[i] = keep - H;
                        double down = loss(crf, u, y);
                        v[i] = keep;
                        assertEquals((up - down) / (2 * H), block.gradient()[i], TOL, block.name() + "[" + i + "]");
                    }
                }
            }
        }
    }

    @Test
    void gradientIsExpectedMinusObservedAndAccumulates() {
        LinearChainCrf crf = new LinearChainCrf(2, new ChainEngine(ChainNumerics.LOG));
        Matrix u = new Matrix(2, 2);
        Matrix g = new Matrix(2, 2);
        // all scores 0: uniform over 4 paths, γ = 1/2 everywhere, ξ = 1/4 per entry, log Z = log 4
        double l = crf.lossAndGradient(u, new int[] {0, 1}, g);
        assertEquals(Math.log(4), l, 1e-12);
        assertEquals(-0.5, g.get(0, 0), 1e-12);
        assertEquals(0.5, g.get(0, 1), 1e-12);
        assertEquals(0.5, g.get(1, 0), 1e-12);
        assertEquals(-0.5, g.get(1, 1), 1e-12);
        double[] dA = crf.parameters().get(0).gradient();
        assertEquals(0.25 - 1, dA[1], 1e-12);
        assertEquals(0.25, dA[0], 1e-12);
        crf.lossAndGradient(u, new int[] {0, 1}, g);
        assertEquals(2 * (0.25 - 1), dA[1], 1e-12);
        crf.zeroGradients();
        assertEquals(0, dA[1]);
    }
}

package org.hybridbench.crf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.ChainNumerics;
import org.hybridbench.api.model.ParameterBlock;
import org.hybridbench.chain.ChainEngine;
import org.junit.jupiter.api.Test;

/**
 * A tiny end-to-end fit: a linear "encoder" u_t = W x_t + c is trained by plain SGD either with an independent
 * per-token softmax (word-level likelihood) or under the CRF (sentence-level likelihood, the CRF's unary gradient
 * back-propagated into W and c, and the CRF's own transition/start/end scores learned alongside). The tags follow
 * a strong cycle 0→1→2→3→0 (p = 0.85) and the observations are noisy, so only a model of the transitions does well.
 */
class CrfLearningTest {
    static final int K = 4;
    static final int T = 12;

    record Data(Matrix x, int[] tags, int[] lengths) {
    }

    static Data generate(SplittableRandom r, int sentences) {
        int total = sentences * T;
        Matrix x = new Matrix(total, K);
        int[] y = new int[total];
        int[] lengths = new int[sentences];
        for (int b = 0; b < sentences; b++) {
            lengths[b] = T;
            for (int t = 0; t < T; t++) {
                int row = b * T + t;
                if (t == 0) {
                    y[row] = r.nextInt(K);
                } else {
                    y[row] = r.nextDouble() < 0.85 ? (y[row - 1] + 1) % K : r.nextInt(K);
                }
                for (int j = 0; j < K; j++) {
                    x.set(row, j, (j == y[row] ? 1.0 : 0.0) + 0.9 * r.nextGaussian());
                }
            }
        }
        return new Data(x, y, lengths);
    }

    /** u = x Wᵀ + c for rows [from, from + n). */
    static Matrix encode(Matrix x, int from, int n, double[] w, double[] c) {
        Matrix u = new Matrix(n, K);
        for (int t = 0; t < n; t++) {
            for (int i = 0; i < K; i++) {
                double s = c[i];
                for (int j = 0; j < K; j++) {
                    s += w[i * K + j] * x.get(from + t, j);
                }
                u.set(t, i, s);
            }
        }
        return u;
    }

    /** dW += gᵀ x, dc += Σ g (back-propagation of d loss / d u through the linear encoder). */
    static void backprop(Matrix x, int from, Matrix g, double[] dw, double[] dc) {
        for (int t = 0; t < g.rows(); t++) {
            for (int i = 0; i < K; i++) {
                double gi = g.get(t, i);
                dc[i] += gi;
                for (int j = 0; j < K; j++) {
                    dw[i * K + j] += gi * x.get(from + t, j);
                }
            }
        }
    }

    static void sgd(double[] v, double[] g, double lr) {
        for (int i = 0; i < v.length; i++) {
            v[i] -= lr * g[i];
            g[i] = 0;
        }
    }

    @Test
    void crfBeatsIndependentSoftmaxOnATaskWithStrongTransitions() {
        SplittableRandom r = new SplittableRandom(2024);
        Data train = generate(r, 200);
        Data test = generate(r, 200);
        int batch = 10;
        int epochs = 15;
        double lr = 0.05;

        // --- per-token softmax (WLL)
        double[] w = new double[K * K];
        double[] c = new double[K];
        double[] dw = new double[K * K];
        double[] dc = new double[K];
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (int b0 = 0; b0 < train.lengths().length; b0 += batch) {
                int from = b0 * T;
                int n = batch * T;
                Matrix u = encode(train.x(), from, n, w, c);
                Matrix g = new Matrix(n, K);
                for (int t = 0; t < n; t++) {
                    double m = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < K; j++) {
                        m = Math.max(m, u.get(t, j));
                    }
                    double z = 0;
                    for (int j = 0; j < K; j++) {
                        z += Math.exp(u.get(t, j) - m);
                    }
                    for (int j = 0; j < K; j++) {
                        g.set(t, j, Math.exp(u.get(t, j) - m) / z - (j == train.tags()[from + t] ? 1 : 0));
                    }
                }
                backprop(train.x(), from, g, dw, dc);
                sgd(w, dw, lr / batch);
                sgd(c, dc, lr / batch);
            }
        }
        Matrix uTest = encode(test.x(), 0, test.tags().length, w, c);
        int correct = 0;
        for (int t = 0; t < test.tags().length; t++) {
            int best = 0;
            for (int j = 1; j < K; j++) {
                if (uTest.get(t, j) > uTest.get(t, best)) {
                    best = j;
                }
            }
            correct += best == test.tags()[t] ? 1 : 0;
        }
        double softmaxAccuracy = (double) correct / test.tags().length;

        // --- CRF (SLL): same encoder, plus transition, start and end scores
        LinearChainCrf crf = new LinearChainCrf(K, new ChainEngine(ChainNumerics.LOG));
        w = new double[K * K];
        c = new double[K];
        double firstEpochLoss = 0;
        double lastEpochLoss = 0;
        for (int epoch = 0; epoch < epochs; epoch++) {
            double epochLoss = 0;
            for (int b0 = 0; b0 < train.lengths().length; b0 += batch) {
                int from = b0 * T;
                int n = batch * T;
                Matrix u = encode(train.x(), from, n, w, c);
                Matrix g = new Matrix(n, K);
                int[] lengths = new int[batch];
                java.util.Arrays.fill(lengths, T);
                int[] tags = java.util.Arrays.copyOfRange(train.tags(), from, from + n);
                crf.zeroGradients();
                for (double l : crf.lossAndGradient(u, lengths, tags, g)) {
                    epochLoss += l;
                }
                backprop(train.x(), from, g, dw, dc);
                sgd(w, dw, lr / batch);
                sgd(c, dc, lr / batch);
                for (ParameterBlock p : crf.parameters()) {
                    sgd(p.values(), p.gradient(), lr / batch);
                }
            }
            if (epoch == 0) {
                firstEpochLoss = epochLoss;
            }
            lastEpochLoss = epochLoss;
        }
        uTest = encode(test.x(), 0, test.tags().length, w, c);
        correct = 0;
        var paths = crf.viterbiBatch(uTest, test.lengths());
        for (int b = 0; b < paths.size(); b++) {
            int[] s = paths.get(b).states();
            for (int t = 0; t < T; t++) {
                correct += s[t] == test.tags()[b * T + t] ? 1 : 0;
            }
        }
        double crfAccuracy = (double) correct / test.tags().length;
        System.out.printf("CrfLearningTest: test token accuracy, per-token softmax %.4f, CRF (Viterbi) %.4f; CRF train loss %.1f -> %.1f%n",
                softmaxAccuracy, crfAccuracy, firstEpochLoss, lastEpochLoss);
        assertTrue(lastEpochLoss < firstEpochLoss, "the CRF loss falls");
        assertTrue(crfAccuracy > softmaxAccuracy + 0.10, "CRF " + crfAccuracy + " vs softmax " + softmaxAccuracy);
        // the learned transitions recover the cycle: the best successor of i is i + 1
        for (int i = 0; i < K; i++) {
            int best = 0;
            for (int j = 1; j < K; j++) {
                if (crf.transition(i, j) > crf.transition(i, best)) {
                    best = j;
                }
            }
            assertEquals((i + 1) % K, best, "best successor of tag " + i);
        }
    }
}

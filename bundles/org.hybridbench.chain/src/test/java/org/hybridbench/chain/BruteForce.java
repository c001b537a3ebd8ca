package org.hybridbench.chain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.ChainPotentials;

/** The oracle: every one of the K^T paths enumerated and scored directly from the definition. */
final class BruteForce {
    final ChainPotentials c;
    final int k;
    final int t;
    /** All paths with their scores, in enumeration order. */
    final List<int[]> paths = new ArrayList<>();
    final List<Double> scores = new ArrayList<>();
    final double logZ;
    final double[][] gamma;
    final double[][] xi;

    BruteForce(ChainPotentials c) {
        this.c = c;
        this.k = c.numStates();
        this.t = c.length();
        int total = 1;
        for (int i = 0; i < t; i++) {
            total *= k;
        }
        for (int code = 0; code < total; code++) {
            int[] s = new int[t];
            int rest = code;
            for (int i = 0; i < t; i++) {
                s[i] = rest % k;
                rest /= k;
            }
            paths.add(s);
            scores.add(score(c, s));
        }
        double m = Double.NEGATIVE_INFINITY;
        for (double s : scores) {
            m = Math.max(m, s);
        }
        double sum = 0;
        for (double s : scores) {
            sum += Math.exp(s - m);
        }
        logZ = m == Double.NEGATIVE_INFINITY ? m : m + Math.log(sum);
        gamma = new double[t][k];
        xi = new double[k][k];
        for (int p = 0; p < paths.size(); p++) {
            double w = Math.exp(scores.get(p) - logZ);
            int[] s = paths.get(p);
            for (int i = 0; i < t; i++) {
                gamma[i][s[i]] += w;
                if (i + 1 < t) {
                    xi[s[i]][s[i + 1]] += w;
                }
            }
        }
    }

    /** The score straight from the definition: logInitial[s0] + Σ logUnary[t, s_t] + Σ logTransition[s_t, s_t+1]. */
    static double score(ChainPotentials c, int[] s) {
        if (s.length == 0) {
            return 0;
        }
        double v = c.logInitial()[s[0]];
        for (int i = 0; i < s.length; i++) {
            v += c.logUnary().get(i, s[i]);
            if (i > 0) {
                v += c.logTransition().get(s[i - 1], s[i]);
            }
        }
        return v;
    }

    /** Indices of the possible paths, best first. */
    List<Integer> ranking() {
        List<Integer> idx = new ArrayList<>();
        for (int p = 0; p < paths.size(); p++) {
            if (scores.get(p) != Double.NEGATIVE_INFINITY) {
                idx.add(p);
            }
        }
        idx.sort(Comparator.comparingDouble(p -> -scores.get(p)));
        return idx;
    }

    /** Random potentials: N(0, scale²) entries, each −∞ with probability pImpossible. */
    static ChainPotentials random(SplittableRandom r, int k, int t, double scale, double pImpossible) {
        double[] init = new double[k];
        double[] trans = new double[k * k];
        double[] u = new double[t * k];
        fill(r, init, scale, pImpossible);
        fill(r, trans, scale, pImpossible);
        fill(r, u, scale, pImpossible);
        return new ChainPotentials(init, new Matrix(k, k, trans), new Matrix(t, k, u));
    }

    private static void fill(SplittableRandom r, double[] v, double scale, double pImpossible) {
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextDouble() < pImpossible ? Double.NEGATIVE_INFINITY : scale * r.nextGaussian();
        }
    }
}

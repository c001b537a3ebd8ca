package org.hybridbench.phone;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.ChainNumerics;
import org.hybridbench.chain.ChainEngine;
import org.hybridbench.emission.CovarianceType;
import org.hybridbench.emission.GaussianEmission;

/** Small phone model sets and data for the tests. */
final class Tiny {
    static final ChainEngine CHAIN = new ChainEngine(ChainNumerics.SCALED, 2);
    static final ChainEngine CHAIN_LOG = new ChainEngine(ChainNumerics.LOG, 1);

    private Tiny() {
    }

    static List<String> names(int phones) {
        List<String> n = new ArrayList<>();
        for (int p = 0; p < phones; p++) {
            n.add("ph" + p);
        }
        return n;
    }

    /** P phones × S states, 1-D unit-variance Gaussians at random means, self-loops in [0.2, 0.8]. */
    static PhoneModelSet random(int phones, int states, Random rng) {
        int k = phones * states;
        GaussianEmission e = new GaussianEmission(k, 1, CovarianceType.DIAGONAL, 1e-6);
        double[] a = new double[k];
        for (int i = 0; i < k; i++) {
            e.setMean(i, 0, new double[] {rng.nextGaussian() * 2});
            e.setCovariance(i, 0, new double[] {0.5 + rng.nextDouble()});
            a[i] = 0.2 + 0.6 * rng.nextDouble();
        }
        return new PhoneModelSet(names(phones), states, a, e, List.of());
    }

    static Matrix observations(int frames, Random rng) {
        double[] y = new double[frames];
        for (int t = 0; t < frames; t++) {
            y[t] = rng.nextGaussian() * 2;
        }
        return new Matrix(frames, 1, y);
    }

    /** log b (T × P·S) of the frames under every emission state. */
    static Matrix logB(PhoneModelSet m, Matrix y) {
        Matrix out = new Matrix(y.rows(), m.numStates());
        m.emission().logDensity(y, out);
        return out;
    }

    /** Every way of giving each of {@code states} states at least one of {@code frames} frames, as durations. */
    static List<int[]> durations(int states, int frames) {
        List<int[]> out = new ArrayList<>();
        if (states == 0) {
            if (frames == 0) {
                out.add(new int[0]);
            }
            return out;
        }
        fill(new int[states], 0, frames, out);
        return out;
    }

    private static void fill(int[] d, int i, int left, List<int[]> out) {
        if (i == d.length - 1) {
            if (left >= 1) {
                d[i] = left;
                out.add(d.clone());
            }
            return;
        }
        for (int v = 1; v <= left - (d.length - 1 - i); v++) {
            d[i] = v;
            fill(d, i + 1, left - v, out);
        }
    }

    static double logSumExp(List<Double> v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            m = Math.max(m, x);
        }
        double s = 0;
        for (double x : v) {
            s += Math.exp(x - m);
        }
        return m + Math.log(s);
    }
}

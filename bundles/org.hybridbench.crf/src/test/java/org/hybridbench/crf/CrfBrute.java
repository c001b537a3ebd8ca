package org.hybridbench.crf;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The oracle: every one of the K^T tag sequences enumerated and scored from the CRF's definition (start, unaries,
 * transitions, end — the end score added separately, not folded), with forbidden transitions and allowed tag sets.
 */
final class CrfBrute {
    final int k;
    final int t;
    final List<int[]> paths = new ArrayList<>();
    final List<Double> scores = new ArrayList<>();
    final double logZ;
    final double[][] gamma;
    final double entropy;

    /**
     * @param forbidden K × K, true = impossible transition (structural and decoding constraints together)
     * @param allowed per position, null = every tag
     */
    CrfBrute(double[] start, double[][] trans, double[] end, double[][] unary, boolean[][] forbidden, boolean[][] allowed) {
        k = start.length;
        t = unary.length;
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
            double sc = 0;
            if (t > 0) {
                sc = start[s[0]] + end[s[t - 1]];
            }
            for (int i = 0; i < t; i++) {
                sc += unary[i][s[i]];
                if (allowed != null && allowed[i] != null && !allowed[i][s[i]]) {
                    sc = Double.NEGATIVE_INFINITY;
                }
                if (i + 1 < t) {
                    sc += forbidden[s[i]][s[i + 1]] ? Double.NEGATIVE_INFINITY : trans[s[i]][s[i + 1]];
                }
            }
            paths.add(s);
            scores.add(sc);
        }
        double m = scores.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        double sum = 0;
        for (double s : scores) {
            sum += Math.exp(s - m);
        }
        logZ = m == Double.NEGATIVE_INFINITY ? m : m + Math.log(sum);
        gamma = new double[t][k];
        double h = 0;
        for (int p = 0; p < paths.size(); p++) {
            double lp = scores.get(p) - logZ;
            double w = Math.exp(lp);
            if (w > 0) {
                h -= w * lp;
            }
            for (int i = 0; i < t; i++) {
                gamma[i][paths.get(p)[i]] += w;
            }
        }
        entropy = h;
    }

    /** Indices of the possible paths, best first. */
    List<Integer> ranking() {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < scores.size(); i++) {
            if (scores.get(i) != Double.NEGATIVE_INFINITY) {
                idx.add(i);
            }
        }
        idx.sort(Comparator.comparingDouble((Integer i) -> -scores.get(i)));
        return idx;
    }
}

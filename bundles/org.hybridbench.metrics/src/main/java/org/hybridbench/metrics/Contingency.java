package org.hybridbench.metrics;

import java.util.TreeMap;

import org.hybridbench.api.model.Predictions;

/**
 * The contingency table n_ij of predicted value i (re-indexed 0…r−1 in increasing order of the values that occur)
 * against reference class j (re-indexed likewise), with its row sums a_i and column sums b_j.
 */
final class Contingency {
    final long[][] n;
    final long[] a;
    final long[] b;
    final long total;
    final int[] predictedValues;
    final int[] referenceValues;

    Contingency(int[] predicted, int[] reference) {
        if (predicted.length != reference.length) {
            throw new IllegalArgumentException(predicted.length + " predictions but " + reference.length + " reference labels");
        }
        predictedValues = distinct(predicted);
        referenceValues = distinct(reference);
        TreeMap<Integer, Integer> pi = index(predictedValues);
        TreeMap<Integer, Integer> ri = index(referenceValues);
        n = new long[predictedValues.length][referenceValues.length];
        a = new long[predictedValues.length];
        b = new long[referenceValues.length];
        for (int t = 0; t < predicted.length; t++) {
            int i = pi.get(predicted[t]);
            int j = ri.get(reference[t]);
            n[i][j]++;
            a[i]++;
            b[j]++;
        }
        total = predicted.length;
    }

    static Contingency of(Predictions p) {
        return new Contingency(p.predicted(), p.reference());
    }

    private static int[] distinct(int[] values) {
        return java.util.Arrays.stream(values).distinct().sorted().toArray();
    }

    private static TreeMap<Integer, Integer> index(int[] sortedDistinct) {
        TreeMap<Integer, Integer> m = new TreeMap<>();
        for (int i = 0; i < sortedDistinct.length; i++) {
            m.put(sortedDistinct[i], i);
        }
        return m;
    }
}

package org.hybridbench.emission;

import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.LabelledSequences;

/** Input checks shared by the emission models; messages name the position (row), column and value. */
final class Observations {
    private Observations() {
    }

    /** Rejects a wrong column count or a NaN/infinite value. */
    static void requireFinite(Matrix y, int d, String model) {
        requireColumns(y, d, model);
        int[] bad = y.firstNonFinite();
        if (bad != null) {
            throw new IllegalArgumentException(model + ": observation at position " + bad[0] + ", column " + bad[1] + " is "
                    + y.get(bad[0], bad[1]) + " (must be finite)");
        }
    }

    static void requireColumns(Matrix y, int d, String model) {
        if (y.cols() != d) {
            throw new IllegalArgumentException(model + ": observations have " + y.cols() + " column(s), the model has dimension " + d);
        }
    }

    /** Rejects anything but a non-negative integer below {@code limit} (exclusive; 0 = no limit). */
    static void requireCounts(Matrix y, int d, long limit, String model) {
        requireColumns(y, d, model);
        double[] v = y.data();
        for (int i = 0; i < v.length; i++) {
            double x = v[i];
            if (!(x >= 0) || x != Math.rint(x) || Double.isInfinite(x) || (limit > 0 && x >= limit)) {
                throw new IllegalArgumentException(model + ": observation at position " + i / d + ", column " + i % d + " is " + x
                        + " (must be " + (limit > 0 ? "an integer in [0, " + limit + ")" : "a non-negative integer count") + ")");
            }
        }
    }

    /** Checks a T × K matrix that goes with T observations. */
    static void requirePerState(Matrix y, Matrix perState, int k, String what) {
        if (perState.rows() != y.rows() || perState.cols() != k) {
            throw new IllegalArgumentException(what + " must be " + y.rows() + "x" + k + ", is " + perState.rows() + "x" + perState.cols());
        }
    }

    /** log Σ exp(a[from..from+n)) without overflow; −∞ when all are −∞. */
    static double logSumExp(double[] a, int from, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, a[from + i]);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += Math.exp(a[from + i] - max);
        }
        return max + Math.log(s);
    }

    /** log of a probability, with 0 mapped to the most negative finite log a double can hold (files stay valid JSON). */
    static double safeLog(double p) {
        return p > Double.MIN_NORMAL ? Math.log(p) : Math.log(Double.MIN_NORMAL);
    }

    /**
     * Checks state labels for initialisation (one per row, each {@link LabelledSequences#UNLABELLED} or in [0, k)) and
     * returns the number of rows of each state.
     */
    static int[] labelCounts(int[] labels, int rows, int k, String model) {
        if (labels.length != rows) {
            throw new IllegalArgumentException(model + ": " + rows + " observations but " + labels.length + " state labels");
        }
        int[] count = new int[k];
        for (int t = 0; t < rows; t++) {
            int s = labels[t];
            if (s == LabelledSequences.UNLABELLED) {
                continue;
            }
            if (s < 0 || s >= k) {
                throw new IllegalArgumentException(model + ": state label " + s + " at position " + t + " but the model has " + k
                        + " states");
            }
            count[s]++;
        }
        return count;
    }

    /** "state i" or "state i (name)". */
    static String stateName(int i, java.util.List<String> names) {
        return "state " + i + (i < names.size() ? " (" + names.get(i) + ")" : "");
    }
}

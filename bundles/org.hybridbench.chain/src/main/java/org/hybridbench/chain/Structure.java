package org.hybridbench.chain;

/**
 * A K × K transition matrix prepared once for every semiring: log values, probabilities shifted by the largest
 * finite log value (so they stay in (0, 1] whatever the scores' magnitude), and, when at most half the entries
 * are possible (left-to-right and other sparse topologies), the allowed transitions column by column (CSC), so a
 * step costs O(nnz) instead of O(K²).
 */
final class Structure {
    final int k;
    /** log M, row-major. */
    final double[] log;
    /** exp(log M − shift), row-major. */
    final double[] prob;
    /** The largest finite log M (0 if there is none). */
    final double shift;
    /** shift minus the smallest finite log M: the nats spanned by the possible entries (0 if there are none). */
    final double spread;
    /** Whether steps iterate the allowed entries instead of the dense matrix. */
    final boolean sparse;
    /** Column j's allowed rows are rowIdx[colStart[j]] … rowIdx[colStart[j+1] − 1]. */
    final int[] colStart;
    final int[] rowIdx;
    final double[] logVal;
    final double[] probVal;
    final int nnz;

    private Structure(int k, double[] log, Boolean forceSparse) {
        this.k = k;
        this.log = log;
        double m = Double.NEGATIVE_INFINITY;
        double lo = Double.POSITIVE_INFINITY;
        int count = 0;
        for (double v : log) {
            if (v != Double.NEGATIVE_INFINITY) {
                count++;
                m = Math.max(m, v);
                lo = Math.min(lo, v);
            }
        }
        this.nnz = count;
        this.shift = m == Double.NEGATIVE_INFINITY ? 0 : m;
        this.spread = m == Double.NEGATIVE_INFINITY ? 0 : m - lo;
        this.prob = new double[k * k];
        for (int i = 0; i < prob.length; i++) {
            prob[i] = Math.exp(log[i] - shift);
        }
        this.sparse = forceSparse != null ? forceSparse : 2L * count <= (long) k * k;
        colStart = new int[k + 1];
        rowIdx = new int[count];
        logVal = new double[count];
        probVal = new double[count];
        int p = 0;
        for (int j = 0; j < k; j++) {
            colStart[j] = p;
            for (int i = 0; i < k; i++) {
                double v = log[i * k + j];
                if (v != Double.NEGATIVE_INFINITY) {
                    rowIdx[p] = i;
                    logVal[p] = v;
                    probVal[p] = prob[i * k + j];
                    p++;
                }
            }
        }
        colStart[k] = p;
    }

    /** The structure of {@code logA} (K × K row-major), or of its transpose (for the backward pass). */
    static Structure of(double[] logA, int k, boolean transpose, Boolean forceSparse) {
        double[] log = new double[k * k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                log[i * k + j] = transpose ? logA[j * k + i] : logA[i * k + j];
            }
        }
        return new Structure(k, log, forceSparse);
    }
}

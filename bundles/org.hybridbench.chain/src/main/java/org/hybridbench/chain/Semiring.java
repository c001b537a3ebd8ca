package org.hybridbench.chain;

import java.util.Arrays;

/**
 * The algebra of one chain dynamic program, specialised to whole messages (torch-struct's semiring view of the
 * chain: log-sum-exp gives log Z, max gives Viterbi, k-max gives n-best, Rabiner's scaled sum-product gives log Z
 * in probability space). {@link ChainDp#run} is the dynamic program, written once; a semiring supplies its
 * per-position kernels. The interface works on whole messages and on all rows of a batch at a time, because one
 * virtual call per element would cost more than the arithmetic: the loops below are plain loops on primitive
 * arrays that the JIT compiles like hand-written C.
 *
 * <p>Instances hold scratch space: one per thread and call.
 */
abstract class Semiring {
    static final double NEG_INF = Double.NEGATIVE_INFINITY;

    final int k;
    /** Values per state in a message: 1, or n for the n-best semiring. */
    final int width;

    Semiring(int k, int width) {
        this.k = k;
        this.width = width;
    }

    /** Whether messages hold probabilities (else log values); decides which prepared unaries a run uses. */
    abstract boolean probability();

    /** The first message: {@code init} (K values in this semiring's domain), or the unit vector when null. */
    abstract void start(double[] msg, int off, double[] init);

    /**
     * For the first {@code rows} rows: buf[outOff[r] …] = buf[inOff[r] …] · M, the semiring's vector-matrix
     * product out_j = ⊕_i in_i ⊗ M_ij. Max semirings write the arg-max of each entry to back[backOff[r] …].
     */
    abstract void vecmat(Structure m, double[] buf, int[] inOff, int[] outOff, int rows, int[] back, int[] backOff);

    /** msg_j ⊗= u_j. */
    abstract void times(double[] msg, int off, double[] u, int uOff);

    /**
     * Divides msg by a factor that keeps it in range and returns it: its sum for the scaled semiring (Rabiner 1989
     * eq. 91, c_t), its largest entry in log for the others; {@link #dead} tells a factor of an all-zero message.
     */
    abstract double normalize(double[] msg, int off);

    /** Whether {@link #normalize} found a message in which every state is impossible. */
    abstract boolean dead(double factor);

    /** Whether {@link #normalize}'s factors are linear (multiplied) rather than logs (added). */
    boolean linearFactors() {
        return false;
    }

    /** log ⊕_j msg_j of a normalised message. */
    abstract double logTotal(double[] msg, int off);

    /** Sum-product in probability space with per-position normalisation (Rabiner 1989, eq. 91–92). */
    static final class Scaled extends Semiring {
        Scaled(int k) {
            super(k, 1);
        }

        @Override
        boolean probability() {
            return true;
        }

        @Override
        boolean linearFactors() {
            return true;
        }

        @Override
        void start(double[] msg, int off, double[] init) {
            if (init == null) {
                Arrays.fill(msg, off, off + k, 1.0);
            } else {
                System.arraycopy(init, 0, msg, off, k);
            }
        }

        @Override
        void vecmat(Structure m, double[] buf, int[] inOff, int[] outOff, int rows, int[] back, int[] backOff) {
            if (m.sparse) {
                for (int r = 0; r < rows; r++) {
                    int in = inOff[r];
                    int out = outOff[r];
                    for (int j = 0; j < k; j++) {
                        double s = 0;
                        for (int p = m.colStart[j]; p < m.colStart[j + 1]; p++) {
                            s += buf[in + m.rowIdx[p]] * m.probVal[p];
                        }
                        buf[out + j] = s;
                    }
                }
                return;
            }
            double[] a = m.prob;
            // Row by row in i-k-j order, as MatmulBaseline: out += x_i · (row i of M) is an axpy the JIT
            // vectorises; the rows of a lock-step group make this a (rows × K)·(K × K) product with M hot in cache.
            int r = 0;
            for (; r < rows; r++) {
                int in = inOff[r];
                int out = outOff[r];
                if (k == 3) {
                    // The HMM's common small case, unrolled: the generic loops cost more than the 9 products.
                    double x0 = buf[in], x1 = buf[in + 1], x2 = buf[in + 2];
                    buf[out] = 0.0 + x0 * a[0] + x1 * a[3] + x2 * a[6];
                    buf[out + 1] = 0.0 + x0 * a[1] + x1 * a[4] + x2 * a[7];
                    buf[out + 2] = 0.0 + x0 * a[2] + x1 * a[5] + x2 * a[8];
                    continue;
                }
                Arrays.fill(buf, out, out + k, 0.0);
                for (int i = 0; i < k; i++) {
                    double x = buf[in + i];
                    int ai = i * k;
                    for (int j = 0; j < k; j++) {
                        buf[out + j] += x * a[ai + j];
                    }
                }
            }
        }

        @Override
        void times(double[] msg, int off, double[] u, int uOff) {
            for (int j = 0; j < k; j++) {
                msg[off + j] *= u[uOff + j];
            }
        }

        @Override
        double normalize(double[] msg, int off) {
            double c = 0;
            for (int j = 0; j < k; j++) {
                c += msg[off + j];
            }
            if (c > 0 && c < Double.POSITIVE_INFINITY) {
                double inv = 1.0 / c;
                for (int j = 0; j < k; j++) {
                    msg[off + j] *= inv;
                }
            }
            return c;
        }

        @Override
        boolean dead(double factor) {
            // Zero: every state vanished (impossible, or underflow that the log-space pass will sort out).
            return !(factor > 0 && factor < Double.POSITIVE_INFINITY);
        }

        @Override
        double logTotal(double[] msg, int off) {
            return 0; // normalised to sum 1
        }
    }

    /** Log-sum-exp: the reference numerics, any magnitude of scores. */
    static class Log extends Semiring {
        /**
         * Smallest sum of shifted probabilities taken as it is (e^−644): every term that underflowed is below
         * K · 2^−1074, negligible against it for any K up to 10^16.
         */
        static final double TINY = 1e-280;
        /** Products at least this large are normal doubles with their full 53 bits (with a margin). */
        static final double NORMAL = 1e-290;
        final double[] max;
        final double[] sum;

        Log(int k) {
            this(k, 1);
        }

        Log(int k, int width) {
            super(k, width);
            max = new double[k];
            sum = new double[k];
        }

        @Override
        boolean probability() {
            return false;
        }

        @Override
        void start(double[] msg, int off, double[] init) {
            if (init == null) {
                Arrays.fill(msg, off, off + k, 0.0);
            } else {
                System.arraycopy(init, 0, msg, off, k);
            }
        }

        /**
         * The shift trick: out_j = x_max + shift + log Σ_i exp(x_i − x_max) · P_ij with P = exp(log M − shift)
         * prepared once, so a step takes K exps and K logs instead of K² exps. Exact to rounding whenever the sum
         * s_j is at least {@link #TINY}: every term lost to underflow (of exp(x_i − x_max) or of P_ij) is then below
         * 2^−1074 · K, far below s_j's last digit. A column whose sum is smaller (all its paths more than ~660 nats
         * below the best input, e.g. transitions whose log values span more than the double range, CRF-sized scores)
         * is recomputed entry by entry with its own maximum, as before; so is an input whose entries are all −∞.
         */
        @Override
        void vecmat(Structure m, double[] buf, int[] inOff, int[] outOff, int rows, int[] back, int[] backOff) {
            for (int r = 0; r < rows; r++) {
                int in = inOff[r];
                int out = outOff[r];
                double xm = NEG_INF;
                for (int i = 0; i < k; i++) {
                    xm = Math.max(xm, buf[in + i]);
                }
                if (xm == NEG_INF) {
                    Arrays.fill(buf, out, out + k, NEG_INF);
                    continue;
                }
                for (int i = 0; i < k; i++) {
                    max[i] = Math.exp(buf[in + i] - xm); // e_i in [0, 1], the largest 1
                }
                if (m.sparse) {
                    for (int j = 0; j < k; j++) {
                        double s = 0;
                        for (int p = m.colStart[j]; p < m.colStart[j + 1]; p++) {
                            s += max[m.rowIdx[p]] * m.probVal[p];
                        }
                        sum[j] = s;
                    }
                } else {
                    double[] a = m.prob;
                    Arrays.fill(sum, 0.0);
                    for (int i = 0; i < k; i++) {
                        double x = max[i];
                        int ai = i * k;
                        for (int j = 0; j < k; j++) {
                            sum[j] += x * a[ai + j];
                        }
                    }
                }
                double base = xm + m.shift;
                for (int j = 0; j < k; j++) {
                    double s = sum[j];
                    sum[j] = s >= TINY ? base + Math.log(s) : Double.NaN;
                }
                for (int j = 0; j < k; j++) {
                    buf[out + j] = sum[j] == sum[j] ? sum[j] : column(m, buf, in, j);
                }
            }
        }

        /** log Σ_i exp(in_i + log M_ij), entry by entry with the column's own maximum: any magnitude. */
        private double column(Structure m, double[] buf, int in, int j) {
            double mx = NEG_INF;
            for (int p = m.colStart[j]; p < m.colStart[j + 1]; p++) {
                mx = Math.max(mx, buf[in + m.rowIdx[p]] + m.logVal[p]);
            }
            if (mx == NEG_INF) {
                return NEG_INF;
            }
            double s = 0;
            for (int p = m.colStart[j]; p < m.colStart[j + 1]; p++) {
                s += Math.exp(buf[in + m.rowIdx[p]] + m.logVal[p] - mx);
            }
            return mx + Math.log(s);
        }

        @Override
        void times(double[] msg, int off, double[] u, int uOff) {
            for (int j = 0; j < k; j++) {
                msg[off + j] += u[uOff + j];
            }
        }

        @Override
        double normalize(double[] msg, int off) {
            double m = NEG_INF;
            for (int j = 0; j < k; j++) {
                m = Math.max(m, msg[off + j]);
            }
            if (m != NEG_INF) {
                for (int j = 0; j < k; j++) {
                    msg[off + j] -= m;
                }
            }
            return m;
        }

        @Override
        boolean dead(double factor) {
            return factor == NEG_INF;
        }

        @Override
        double logTotal(double[] msg, int off) {
            double s = 0;
            for (int j = 0; j < k; j++) {
                s += Math.exp(msg[off + j]); // normalised: the largest term is exp(0)
            }
            return Math.log(s);
        }
    }

    /** Max-plus (Viterbi): ⊕ = max, with the arg-max kept as back-pointer. Ties go to the lower state. */
    static final class Max extends Log {
        Max(int k) {
            super(k);
        }

        @Override
        void vecmat(Structure m, double[] buf, int[] inOff, int[] outOff, int rows, int[] back, int[] backOff) {
            for (int r = 0; r < rows; r++) {
                int in = inOff[r];
                int out = outOff[r];
                int bo = backOff[r];
                if (m.sparse) {
                    for (int j = 0; j < k; j++) {
                        double mx = NEG_INF;
                        int arg = 0;
                        for (int p = m.colStart[j]; p < m.colStart[j + 1]; p++) {
                            double v = buf[in + m.rowIdx[p]] + m.logVal[p];
                            if (v > mx) {
                                mx = v;
                                arg = m.rowIdx[p];
                            }
                        }
                        buf[out + j] = mx;
                        back[bo + j] = arg;
                    }
                    continue;
                }
                // Maxima row by row (vectorisable), then each arg-max as the first i attaining it: the same sums
                // recomputed, so the equality is exact and ties go to the lower state, as in Fused.viterbi.
                double[] l = m.log;
                Arrays.fill(max, NEG_INF);
                for (int i = 0; i < k; i++) {
                    double x = buf[in + i];
                    int ai = i * k;
                    for (int j = 0; j < k; j++) {
                        max[j] = Math.max(max[j], x + l[ai + j]);
                    }
                }
                for (int j = 0; j < k; j++) {
                    double mx = max[j];
                    int arg = 0;
                    if (mx != NEG_INF) {
                        while (buf[in + arg] + l[arg * k + j] != mx) {
                            arg++;
                        }
                    }
                    buf[out + j] = mx;
                    back[bo + j] = arg;
                }
            }
        }

        @Override
        double logTotal(double[] msg, int off) {
            double m = NEG_INF;
            for (int j = 0; j < k; j++) {
                m = Math.max(m, msg[off + j]);
            }
            return m;
        }
    }

    /**
     * The n-best (k-max) semiring: each state keeps its n best partial scores, sorted, with back-pointers packed as
     * predecessor state × n + rank. Message layout [state × n + rank].
     */
    static final class KMax extends Semiring {
        private final int n;
        private final double[] vals;
        private final int[] from;

        KMax(int k, int n) {
            super(k, n);
            this.n = n;
            vals = new double[n];
            from = new int[n];
        }

        @Override
        boolean probability() {
            return false;
        }

        @Override
        void start(double[] msg, int off, double[] init) {
            Arrays.fill(msg, off, off + k * n, NEG_INF);
            for (int j = 0; j < k; j++) {
                msg[off + j * n] = init == null ? 0 : init[j];
            }
        }

        @Override
        void vecmat(Structure m, double[] buf, int[] inOff, int[] outOff, int rows, int[] back, int[] backOff) {
            for (int r = 0; r < rows; r++) {
                int in = inOff[r];
                int out = outOff[r];
                int bo = backOff[r];
                for (int j = 0; j < k; j++) {
                    int count = 0;
                    for (int p = m.colStart[j]; p < m.colStart[j + 1]; p++) {
                        int i = m.rowIdx[p];
                        double a = m.logVal[p];
                        for (int q = 0; q < n; q++) {
                            double v = buf[in + i * n + q] + a;
                            if (v == NEG_INF || (count == n && v <= vals[n - 1])) {
                                break; // each state's list is sorted: nothing further can enter
                            }
                            int pos = count < n ? count : n - 1;
                            while (pos > 0 && vals[pos - 1] < v) {
                                vals[pos] = vals[pos - 1];
                                from[pos] = from[pos - 1];
                                pos--;
                            }
                            vals[pos] = v;
                            from[pos] = i * n + q;
                            if (count < n) {
                                count++;
                            }
                        }
                    }
                    for (int q = 0; q < n; q++) {
                        buf[out + j * n + q] = q < count ? vals[q] : NEG_INF;
                        back[bo + j * n + q] = q < count ? from[q] : -1;
                    }
                }
            }
        }

        @Override
        void times(double[] msg, int off, double[] u, int uOff) {
            for (int j = 0; j < k; j++) {
                double v = u[uOff + j];
                for (int q = 0; q < n; q++) {
                    msg[off + j * n + q] += v;
                }
            }
        }

        @Override
        double normalize(double[] msg, int off) {
            double m = NEG_INF;
            for (int j = 0; j < k; j++) {
                m = Math.max(m, msg[off + j * n]);
            }
            if (m != NEG_INF) {
                for (int e = 0; e < k * n; e++) {
                    msg[off + e] -= m;
                }
            }
            return m;
        }

        @Override
        boolean dead(double factor) {
            return factor == NEG_INF;
        }

        @Override
        double logTotal(double[] msg, int off) {
            return 0; // the best entry after normalisation
        }
    }
}

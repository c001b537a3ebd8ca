package org.hybridbench.chain;

/**
 * Scaled forward-backward of a lock-step group of dense chains as matrix products: at each position the messages
 * of the running sequences form a (rows × K) matrix, advanced by one (rows × K)·(K × K) product with a
 * register-blocked 4 × 4 micro-kernel (16 accumulators in registers over the whole inner dimension, each element of
 * A loaded once per 4 rows), and ξ is accumulated as (K × rows)·(rows × K) with the same blocking. Per row and
 * position it computes exactly what {@link Fused#scaled} computes for that sequence alone — the same products
 * summed in the same order (0 + x_0 A_0j + x_1 A_1j + …), the same exponentials, normalisers and γ, so log Z and γ
 * are bit-identical to it — except that ξ is summed over the group's rows and positions in another order.
 *
 * <p>Measured in ChainInferenceBench.Batch (256 sequences × T = 1000 × K = 32): the micro-kernel runs at ~1.7× the
 * rate of the i-k-j MatmulBaseline, where the i-k-j (axpy) form of the same product is store-bound at ~0.5×.
 */
final class Blocked {
    private Blocked() {
    }

    /**
     * y[yOff[r] + j] = Σ_i x[xOff[r] + i] · m[i·k + j] for r &lt; rows, each sum taken from 0 in increasing i.
     * Rows are advanced four at a time, columns four at a time; the remainders one row / one column at a time.
     */
    static void product(double[] x, int[] xOff, double[] m, int k, double[] y, int[] yOff, int rows) {
        int k4 = k & ~3;
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int x0 = xOff[r], x1 = xOff[r + 1], x2 = xOff[r + 2], x3 = xOff[r + 3];
            int y0 = yOff[r], y1 = yOff[r + 1], y2 = yOff[r + 2], y3 = yOff[r + 3];
            for (int j = 0; j < k4; j += 4) {
                double c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
                double c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
                for (int i = 0, mi = j; i < k; i++, mi += k) {
                    double b0 = m[mi], b1 = m[mi + 1], b2 = m[mi + 2], b3 = m[mi + 3];
                    double a = x[x0 + i];
                    c00 += a * b0;
                    c01 += a * b1;
                    c02 += a * b2;
                    c03 += a * b3;
                    a = x[x1 + i];
                    c10 += a * b0;
                    c11 += a * b1;
                    c12 += a * b2;
                    c13 += a * b3;
                    a = x[x2 + i];
                    c20 += a * b0;
                    c21 += a * b1;
                    c22 += a * b2;
                    c23 += a * b3;
                    a = x[x3 + i];
                    c30 += a * b0;
                    c31 += a * b1;
                    c32 += a * b2;
                    c33 += a * b3;
                }
                y[y0 + j] = c00;
                y[y0 + j + 1] = c01;
                y[y0 + j + 2] = c02;
                y[y0 + j + 3] = c03;
                y[y1 + j] = c10;
                y[y1 + j + 1] = c11;
                y[y1 + j + 2] = c12;
                y[y1 + j + 3] = c13;
                y[y2 + j] = c20;
                y[y2 + j + 1] = c21;
                y[y2 + j + 2] = c22;
                y[y2 + j + 3] = c23;
                y[y3 + j] = c30;
                y[y3 + j + 1] = c31;
                y[y3 + j + 2] = c32;
                y[y3 + j + 3] = c33;
            }
            for (int j = k4; j < k; j++) {
                double c0 = 0, c1 = 0, c2 = 0, c3 = 0;
                for (int i = 0, mi = j; i < k; i++, mi += k) {
                    double b = m[mi];
                    c0 += x[x0 + i] * b;
                    c1 += x[x1 + i] * b;
                    c2 += x[x2 + i] * b;
                    c3 += x[x3 + i] * b;
                }
                y[y0 + j] = c0;
                y[y1 + j] = c1;
                y[y2 + j] = c2;
                y[y3 + j] = c3;
            }
        }
        for (; r < rows; r++) {
            int x0 = xOff[r];
            int y0 = yOff[r];
            for (int j = 0; j < k4; j += 4) {
                double c0 = 0, c1 = 0, c2 = 0, c3 = 0;
                for (int i = 0, mi = j; i < k; i++, mi += k) {
                    double a = x[x0 + i];
                    c0 += a * m[mi];
                    c1 += a * m[mi + 1];
                    c2 += a * m[mi + 2];
                    c3 += a * m[mi + 3];
                }
                y[y0 + j] = c0;
                y[y0 + j + 1] = c1;
                y[y0 + j + 2] = c2;
                y[y0 + j + 3] = c3;
            }
            for (int j = k4; j < k; j++) {
                double c = 0;
                for (int i = 0, mi = j; i < k; i++, mi += k) {
                    c += x[x0 + i] * m[mi];
                }
                y[y0 + j] = c;
            }
        }
    }

    /** acc[i·k + j] += Σ_{r &lt; rows} a[aOff[r] + i] · w[wOff[r] + j]: (K × rows)·(rows × K), blocked 4 × 4. */
    static void outer(double[] a, int[] aOff, double[] w, int[] wOff, int rows, int k, double[] acc) {
        int k4 = k & ~3;
        for (int i = 0; i < k4; i += 4) {
            int r0 = i * k, r1 = r0 + k, r2 = r1 + k, r3 = r2 + k;
            for (int j = 0; j < k4; j += 4) {
                double c00 = acc[r0 + j], c01 = acc[r0 + j + 1], c02 = acc[r0 + j + 2], c03 = acc[r0 + j + 3];
                double c10 = acc[r1 + j], c11 = acc[r1 + j + 1], c12 = acc[r1 + j + 2], c13 = acc[r1 + j + 3];
                double c20 = acc[r2 + j], c21 = acc[r2 + j + 1], c22 = acc[r2 + j + 2], c23 = acc[r2 + j + 3];
                double c30 = acc[r3 + j], c31 = acc[r3 + j + 1], c32 = acc[r3 + j + 2], c33 = acc[r3 + j + 3];
                for (int r = 0; r < rows; r++) {
                    int ao = aOff[r] + i;
                    int wo = wOff[r] + j;
                    double b0 = w[wo], b1 = w[wo + 1], b2 = w[wo + 2], b3 = w[wo + 3];
                    double x = a[ao];
                    c00 += x * b0;
                    c01 += x * b1;
                    c02 += x * b2;
                    c03 += x * b3;
                    x = a[ao + 1];
                    c10 += x * b0;
                    c11 += x * b1;
                    c12 += x * b2;
                    c13 += x * b3;
                    x = a[ao + 2];
                    c20 += x * b0;
                    c21 += x * b1;
                    c22 += x * b2;
                    c23 += x * b3;
                    x = a[ao + 3];
                    c30 += x * b0;
                    c31 += x * b1;
                    c32 += x * b2;
                    c33 += x * b3;
                }
                acc[r0 + j] = c00;
                acc[r0 + j + 1] = c01;
                acc[r0 + j + 2] = c02;
                acc[r0 + j + 3] = c03;
                acc[r1 + j] = c10;
                acc[r1 + j + 1] = c11;
                acc[r1 + j + 2] = c12;
                acc[r1 + j + 3] = c13;
                acc[r2 + j] = c20;
                acc[r2 + j + 1] = c21;
                acc[r2 + j + 2] = c22;
                acc[r2 + j + 3] = c23;
                acc[r3 + j] = c30;
                acc[r3 + j + 1] = c31;
                acc[r3 + j + 2] = c32;
                acc[r3 + j + 3] = c33;
            }
        }
        // The remainders: rows i ≥ k4 for every j, and columns j ≥ k4 for i < k4.
        for (int i = 0; i < k; i++) {
            for (int j = i < k4 ? k4 : 0; j < k; j++) {
                double c = acc[i * k + j];
                for (int r = 0; r < rows; r++) {
                    c += a[aOff[r] + i] * w[wOff[r] + j];
                }
                acc[i * k + j] = c;
            }
        }
    }

    /**
     * Scaled forward-backward of one lock-step group (rows sorted by decreasing length, so the running ones are a
     * prefix), as {@link Fused#scaled} does for one sequence. The exponentiated unaries are kept in γ's slots until
     * the backward pass overwrites them with γ.
     *
     * @param u the batch's log-unaries (positions of the whole batch, K values each)
     * @param gamma receives γ at the batch's positions; null: forward only
     * @param xi receives Σ over the group of ξ (K × K) when gamma is not null
     * @param logZ receives log Z of each row of the group
     * @throws ChainDp.DeadChain when the messages of a sequence vanish or its unaries hold NaN/+∞
     */
    static void scaled(double[] logInit, Structure a, double[] pt, double[] u, int k, ChainDp.Group g, double[] gamma,
            double[] xi, double[] logZ) {
        int rows = g.rows();
        int maxLen = rows == 0 ? 0 : g.len[0];
        if (maxLen == 0) {
            java.util.Arrays.fill(logZ, 0);
            return;
        }
        boolean store = gamma != null;
        double[] p = a.prob;
        int base = Integer.MAX_VALUE;
        int total = 0;
        for (int r = 0; r < rows; r++) {
            base = Math.min(base, g.off[r]);
            total += g.len[r];
        }
        // Messages: all of them at the group's positions (pos − base) when stored, else two rolling matrices.
        double[] alpha = new double[(store ? total : 2 * rows) * k];
        double[] c = store ? new double[total] : null;
        double[] bt = store ? gamma : new double[k];
        int[] inOff = new int[rows];
        int[] outOff = new int[rows];
        double[] logSum = new double[rows];
        double[] prod = new double[rows];
        java.util.Arrays.fill(prod, 1.0);
        double im = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            im = Math.max(im, logInit[j]);
        }
        im = im == Double.NEGATIVE_INFINITY ? 0 : im;
        double[] pi = new double[k];
        for (int j = 0; j < k; j++) {
            pi[j] = Math.exp(logInit[j] - im);
        }
        int active = rows;
        for (int n = 0; n < maxLen; n++) {
            while (active > 0 && g.len[active - 1] <= n) {
                active--;
            }
            for (int r = 0; r < active; r++) {
                inOff[r] = outOff[r];
                outOff[r] = store ? (g.off[r] + n - base) * k : ((n & 1) * rows + r) * k;
            }
            if (n > 0) {
                product(alpha, inOff, p, k, alpha, outOff, active);
            }
            for (int r = 0; r < active; r++) {
                int uo = (g.off[r] + n) * k;
                int ao = outOff[r];
                int bo = store ? uo : 0;
                double m = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < k; j++) {
                    m = Math.max(m, u[uo + j]);
                }
                m = m == Double.NEGATIVE_INFINITY ? 0 : m;
                double sum = 0;
                for (int j = 0; j < k; j++) {
                    double b = Math.exp(u[uo + j] - m);
                    bt[bo + j] = b;
                    double v = (n == 0 ? pi[j] : alpha[ao + j]) * b;
                    alpha[ao + j] = v;
                    sum += v;
                }
                if (!(sum > 0 && sum < Double.POSITIVE_INFINITY)) {
                    throw new ChainDp.DeadChain(g.seq[r], n);
                }
                double inv = 1.0 / sum;
                for (int j = 0; j < k; j++) {
                    alpha[ao + j] *= inv;
                }
                if (store) {
                    c[g.off[r] + n - base] = sum;
                }
                double q = prod[r] * sum;
                if (q < 1e-200 || q > 1e200) {
                    logSum[r] += q > 0 ? Math.log(q) : Math.log(prod[r]) + Math.log(sum);
                    q = 1.0;
                }
                prod[r] = q;
                logSum[r] += m;
            }
        }
        for (int r = 0; r < rows; r++) {
            logZ[r] = g.len[r] == 0 ? 0 : logSum[r] + Math.log(prod[r]) + (g.len[r] - 1) * a.shift + im;
        }
        if (!store) {
            return;
        }
        // Backward, from each row's end: β_t = A w_{t+1} (as wᵀAᵀ), γ_t = α̂_t ∘ β_t / g_t, ξ += α̂_t w_{t+1}ᵀ,
        // w_t = b_t ∘ β_t / (g_t c_t).
        double[] w = new double[rows * k];
        double[] beta = new double[rows * k];
        int[] rowOff = new int[rows];
        int[] aOff = new int[rows];
        for (int r = 0; r < rows; r++) {
            rowOff[r] = r * k;
        }
        double[] acc = new double[k * k];
        active = rows;
        for (int n = 0; n < maxLen; n++) {
            while (active > 0 && g.len[active - 1] <= n) {
                active--;
            }
            for (int r = 0; r < active; r++) {
                aOff[r] = (g.off[r] + g.len[r] - 1 - n - base) * k;
            }
            if (n == 0) {
                java.util.Arrays.fill(beta, 0, active * k, 1.0);
            } else {
                product(w, rowOff, pt, k, beta, rowOff, active);
                outer(alpha, aOff, w, rowOff, active, k, acc);
            }
            for (int r = 0; r < active; r++) {
                int t = g.len[r] - 1 - n;
                int o = aOff[r];
                int go = (g.off[r] + t) * k;
                int bo = r * k;
                double gs = 0;
                for (int i = 0; i < k; i++) {
                    gs += alpha[o + i] * beta[bo + i];
                }
                if (!(gs > 0 && gs < Double.POSITIVE_INFINITY)) {
                    throw new ChainDp.DeadChain(g.seq[r], t);
                }
                double inv = 1.0 / gs;
                double scale = inv / c[g.off[r] + t - base];
                for (int i = 0; i < k; i++) {
                    double bi = beta[bo + i];
                    w[bo + i] = gamma[go + i] * bi * scale; // b_t, kept in γ's slot by the forward pass
                    gamma[go + i] = alpha[o + i] * bi * inv;
                }
            }
        }
        for (int e = 0; e < k * k; e++) {
            xi[e] = acc[e] * p[e];
        }
    }
}

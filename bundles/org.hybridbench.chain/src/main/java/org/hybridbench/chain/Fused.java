package org.hybridbench.chain;

/**
 * Hand-inlined single-sequence kernels for the hot dense cases: scaled forward-backward and Viterbi. They run the
 * same recurrences as {@link ChainDp} with {@link Semiring.Scaled} / {@link Semiring.Max} and {@link Marginals.Scaled}
 * (and are tested against them), but fuse the per-position work — the exponentiation and check of the unaries,
 * the vector-matrix product, the normalisation, γ and ξ — into one loop per position. With K = 3 the generic
 * driver's dozen tiny loops and calls per position cost several times the arithmetic; measured in
 * ChainInferenceBench.
 */
final class Fused {
    private Fused() {
    }

    /**
     * Scaled forward-backward (Rabiner 1989 eq. 91–92, ξ as in {@link Marginals.Scaled}). Throws DeadChain when the
     * scaled messages vanish or the unaries hold NaN/+∞ (they turn the normaliser into NaN): the caller then takes
     * the generic path, which reports bad input or decides in log space.
     *
     * @param gamma T × K, receives γ (may be null: forward only)
     * @param xi K × K, receives ξ (when gamma is not null)
     * @return log Z
     */
    static double scaled(double[] logInit, Structure a, double[] u, int t, int k, double[] gamma, double[] xi) {
        if (t == 0) {
            return 0;
        }
        boolean store = gamma != null;
        double[] pu = store ? new double[t * k] : null;
        double[] alpha = store ? new double[t * k] : new double[2 * k];
        double[] c = store ? new double[t] : null;
        double[] p = a.prob;
        // The exponentiated unaries go to pu (kept for the backward pass) or to a scratch row.
        double[] bt = store ? pu : new double[k];
        // Forward.
        double logSum = 0;
        double prod = 1;
        double im = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            im = Math.max(im, logInit[j]);
        }
        im = im == Double.NEGATIVE_INFINITY ? 0 : im;
        int prev = 0;
        for (int s = 0; s < t; s++) {
            int uo = s * k;
            int ao = store ? uo : (s & 1) * k;
            int bo = store ? uo : 0;
            double m = Double.NEGATIVE_INFINITY;
            if (k == 3) {
                m = Math.max(Math.max(u[uo], u[uo + 1]), u[uo + 2]);
            } else {
                for (int j = 0; j < k; j++) {
                    m = Math.max(m, u[uo + j]);
                }
            }
            m = m == Double.NEGATIVE_INFINITY ? 0 : m;
            double sum = 0;
            if (s == 0) {
                for (int j = 0; j < k; j++) {
                    double b = Math.exp(u[uo + j] - m);
                    bt[bo + j] = b;
                    double v = Math.exp(logInit[j] - im) * b;
                    alpha[ao + j] = v;
                    sum += v;
                }
            } else if (k == 3) {
                double x0 = alpha[prev], x1 = alpha[prev + 1], x2 = alpha[prev + 2];
                double b0 = Math.exp(u[uo] - m), b1 = Math.exp(u[uo + 1] - m), b2 = Math.exp(u[uo + 2] - m);
                bt[bo] = b0;
                bt[bo + 1] = b1;
                bt[bo + 2] = b2;
                double v0 = (0.0 + x0 * p[0] + x1 * p[3] + x2 * p[6]) * b0;
                double v1 = (0.0 + x0 * p[1] + x1 * p[4] + x2 * p[7]) * b1;
                double v2 = (0.0 + x0 * p[2] + x1 * p[5] + x2 * p[8]) * b2;
                alpha[ao] = v0;
                alpha[ao + 1] = v1;
                alpha[ao + 2] = v2;
                sum = v0 + v1 + v2;
            } else {
                for (int j = 0; j < k; j++) {
                    alpha[ao + j] = 0.0;
                }
                for (int i = 0; i < k; i++) {
                    double x = alpha[prev + i];
                    int ai = i * k;
                    for (int j = 0; j < k; j++) {
                        alpha[ao + j] += x * p[ai + j];
                    }
                }
                for (int j = 0; j < k; j++) {
                    double b = Math.exp(u[uo + j] - m);
                    bt[bo + j] = b;
                    double v = alpha[ao + j] * b;
                    alpha[ao + j] = v;
                    sum += v;
                }
            }
            if (!(sum > 0 && sum < Double.POSITIVE_INFINITY)) {
                throw new ChainDp.DeadChain(0, s);
            }
            double inv = 1.0 / sum;
            if (k == 3) {
                alpha[ao] *= inv;
                alpha[ao + 1] *= inv;
                alpha[ao + 2] *= inv;
            } else {
                for (int j = 0; j < k; j++) {
                    alpha[ao + j] *= inv;
                }
            }
            if (store) {
                c[s] = sum;
            }
            double q = prod * sum;
            if (q < 1e-200 || q > 1e200) {
                logSum += q > 0 ? Math.log(q) : Math.log(prod) + Math.log(sum); // q = 0 if sum < 1e-108
                q = 1.0;
            }
            prod = q;
            logSum += m;
            prev = ao;
        }
        double logZ = logSum + Math.log(prod) + (t - 1) * a.shift + im;
        if (!store) {
            return logZ;
        }
        // Backward: β_{T−1} = 1; β_t = A · w_{t+1} scaled; γ_t = α̂_t ∘ β_t / g_t; ξ += α̂_t w_{t+1}ᵀ.
        double[] beta = new double[k];
        double[] w = new double[k];
        double[] acc = new double[k * k];
        double[] pt = new double[k * k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                pt[j * k + i] = p[i * k + j];
            }
        }
        java.util.Arrays.fill(beta, 1.0);
        if (k == 3) {
            backward3(p, alpha, pu, c, t, gamma, acc);
            for (int e = 0; e < 9; e++) {
                xi[e] = acc[e] * p[e];
            }
            return logZ;
        }
        for (int s = t - 1; s >= 0; s--) {
            int o = s * k;
            if (s < t - 1) {
                // β_s = A w_{s+1}, computed as wᵀAᵀ: axpy over rows of Aᵀ, which the JIT vectorises (a dot
                // product per row would be a chain of dependent additions). The scale cancels in γ and w.
                java.util.Arrays.fill(beta, 0.0);
                for (int j = 0; j < k; j++) {
                    double x = w[j];
                    int aj = j * k;
                    for (int i = 0; i < k; i++) {
                        beta[i] += x * pt[aj + i];
                    }
                }
            }
            double g = 0;
            for (int i = 0; i < k; i++) {
                g += alpha[o + i] * beta[i];
            }
            if (!(g > 0 && g < Double.POSITIVE_INFINITY)) {
                throw new ChainDp.DeadChain(0, s);
            }
            double inv = 1.0 / g;
            if (s < t - 1) {
                for (int i = 0; i < k; i++) {
                    double ai = alpha[o + i];
                    gamma[o + i] = ai * beta[i] * inv;
                    int xr = i * k;
                    for (int j = 0; j < k; j++) {
                        acc[xr + j] += ai * w[j];
                    }
                }
            } else {
                for (int i = 0; i < k; i++) {
                    gamma[o + i] = alpha[o + i] * beta[i] * inv;
                }
            }
            double scale = inv / c[s];
            for (int j = 0; j < k; j++) {
                w[j] = pu[o + j] * beta[j] * scale;
            }
        }
        for (int e = 0; e < k * k; e++) {
            xi[e] = acc[e] * p[e];
        }
        return logZ;
    }

    /**
     * Log-space forward-backward (the reference numerics) with the shift trick: α_t(j) = shift + log Σ_i
     * exp(α_{t−1}(i)) P_ij + u_t(j) with α_{t−1} normalised to maximum 0 and P = exp(log A − shift), and the same for
     * β; so a position costs K exps and K logs per pass instead of K² exps. The exps of the forward pass are kept
     * (in γ's slots) for ξ, whose term is exp(α_t(i)) · P_ij · exp(x_{t+1}(j)) · exp(shift − L_t), one more exp per
     * position; γ takes K exps and a division.
     *
     * <p>Exact to rounding: a column whose sum is below {@link Semiring.Log#TINY} (its paths more than ~640 nats
     * below the best, e.g. transitions spanning more than the double range) is recomputed entry by entry with its
     * own maximum, and so is ξ at a position whose factors would leave the normal double range (spreads of more
     * than {@link Marginals.Log#RANGE} nats) — the reasoning of {@link Semiring.Log#vecmat} and
     * {@link Marginals.Log}. Throws DeadChain when every state is impossible somewhere or the unaries hold NaN/+∞
     * (the caller then takes the generic path, which reports).
     *
     * @param gamma T × K, receives γ (null: forward only)
     * @param xi K × K, receives ξ (when gamma is not null)
     * @return log Z
     */
    static double log(double[] logInit, Structure a, double[] u, int t, int k, double[] gamma, double[] xi) {
        if (t == 0) {
            return 0;
        }
        boolean store = gamma != null;
        double[] la = a.log;
        double[] p = a.prob;
        double shift = a.shift;
        double range = Marginals.Log.RANGE;
        double[] alpha = store ? new double[t * k] : new double[2 * k];
        double[] e = store ? gamma : new double[k];
        double[] s = new double[k];
        // Forward: α_0 = init + u_0; α_t = shift + log (exp(α_{t−1}) · P) + u_t; each normalised to maximum 0.
        double logSum = 0;
        int prev = 0;
        for (int q = 0; q < t; q++) {
            int uo = q * k;
            int ao = store ? uo : (q & 1) * k;
            if (q == 0) {
                for (int j = 0; j < k; j++) {
                    alpha[ao + j] = logInit[j] + u[j];
                }
            } else if (k == 3 && forward3(alpha, prev, ao, e, store ? prev : 0, p, shift, u, uo)) {
                // done unrolled
            } else {
                int eo = store ? prev : 0; // exp(α_{t−1}), kept in γ's slot of position t − 1 for ξ
                for (int i = 0; i < k; i++) {
                    e[eo + i] = Math.exp(alpha[prev + i]);
                }
                java.util.Arrays.fill(s, 0.0);
                for (int i = 0; i < k; i++) {
                    double x = e[eo + i];
                    int ai = i * k;
                    for (int j = 0; j < k; j++) {
                        s[j] += x * p[ai + j];
                    }
                }
                for (int j = 0; j < k; j++) {
                    double v = s[j];
                    if (v >= Semiring.Log.TINY) {
                        v = shift + Math.log(v);
                    } else {
                        double mx = Double.NEGATIVE_INFINITY;
                        for (int i = 0; i < k; i++) {
                            mx = Math.max(mx, alpha[prev + i] + la[i * k + j]);
                        }
                        if (mx != Double.NEGATIVE_INFINITY) {
                            double sum = 0;
                            for (int i = 0; i < k; i++) {
                                sum += Math.exp(alpha[prev + i] + la[i * k + j] - mx);
                            }
                            mx += Math.log(sum);
                        }
                        v = mx;
                    }
                    alpha[ao + j] = v + u[uo + j];
                }
            }
            double m = Double.NEGATIVE_INFINITY;
            if (k == 3) {
                m = Math.max(Math.max(alpha[ao], alpha[ao + 1]), alpha[ao + 2]);
            } else {
                for (int j = 0; j < k; j++) {
                    m = Math.max(m, alpha[ao + j]);
                }
            }
            if (!(m > Double.NEGATIVE_INFINITY && m < Double.POSITIVE_INFINITY)) {
                throw new ChainDp.DeadChain(0, q); // impossible, or NaN/+∞ in the unaries (Math.max keeps NaN)
            }
            if (k == 3) {
                alpha[ao] -= m;
                alpha[ao + 1] -= m;
                alpha[ao + 2] -= m;
            } else {
                for (int j = 0; j < k; j++) {
                    alpha[ao + j] -= m;
                }
            }
            logSum += m;
            prev = ao;
        }
        double total = 0;
        for (int j = 0; j < k; j++) {
            total += Math.exp(alpha[prev + j]);
        }
        double logZ = logSum + Math.log(total);
        if (!store) {
            return logZ;
        }
        // Backward: x_{t+1} = u_{t+1} + β_{t+1} normalised, w = exp(x_{t+1}); β_t = shift + log (P w).
        double[] pt = new double[k * k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                pt[j * k + i] = p[i * k + j];
            }
        }
        double[] beta = new double[k];
        double[] x = new double[k];
        double[] w = new double[k];
        double[] acc = new double[k * k];
        double spread = a.spread;
        for (int q = t - 1; q >= 0; q--) {
            int o = q * k;
            if (k == 3 && q < t - 1 && logStep3(o, alpha, e, gamma, u, p, shift, spread, x, w, acc)) {
                continue;
            }
            boolean direct = q < t - 1; // every β_t(i) = shift + log s_i (no column fell back)
            if (q < t - 1) {
                java.util.Arrays.fill(s, 0.0);
                for (int j = 0; j < k; j++) {
                    double wj = w[j];
                    int aj = j * k;
                    for (int i = 0; i < k; i++) {
                        s[i] += wj * pt[aj + i];
                    }
                }
                for (int i = 0; i < k; i++) {
                    double v = s[i];
                    if (v >= Semiring.Log.TINY) {
                        v = shift + Math.log(v);
                    } else {
                        direct = false;
                        double mx = Double.NEGATIVE_INFINITY;
                        for (int j = 0; j < k; j++) {
                            mx = Math.max(mx, la[i * k + j] + x[j]);
                        }
                        if (mx != Double.NEGATIVE_INFINITY) {
                            double sum = 0;
                            for (int j = 0; j < k; j++) {
                                sum += Math.exp(la[i * k + j] + x[j] - mx);
                            }
                            mx += Math.log(sum);
                        }
                        v = mx;
                    }
                    beta[i] = v;
                }
            }
            // γ_t = exp(α_t + β_t − L_t); L_t = log Σ_i exp(α_t(i) + β_t(i)) also normalises ξ_t. When β_t came
            // straight from s, exp(α_t(i) + β_t(i) − shift) = exp(α_t(i)) · s_i with exp(α_t) kept by the forward
            // pass: no exps, if every such product is a normal double (or exactly 0 for an impossible state).
            double sum = 0;
            double l;
            if (direct) {
                for (int i = 0; i < k; i++) {
                    double v = e[o + i] * s[i];
                    if (!(v >= Semiring.Log.NORMAL || alpha[o + i] == Double.NEGATIVE_INFINITY)) {
                        direct = false;
                    }
                    s[i] = v;
                    sum += v;
                }
                l = shift + Math.log(sum);
            } else {
                l = 0;
            }
            if (!direct) {
                double mx = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < k; i++) {
                    mx = Math.max(mx, alpha[o + i] + beta[i]);
                }
                if (mx == Double.NEGATIVE_INFINITY) {
                    throw new ChainDp.DeadChain(0, q);
                }
                sum = 0;
                for (int i = 0; i < k; i++) {
                    double v = Math.exp(alpha[o + i] + beta[i] - mx);
                    s[i] = v;
                    sum += v;
                }
                l = mx + Math.log(sum);
            }
            if (q < t - 1) {
                xi(alpha, o, e, la, p, spread, shift, l, x, w, k, acc, range);
            }
            double inv = 1.0 / sum;
            for (int i = 0; i < k; i++) {
                gamma[o + i] = s[i] * inv;
            }
            // x_t = u_t + β_t, normalised; w = exp(x_t) for the next position's product and ξ.
            double xm = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < k; i++) {
                double v = u[o + i] + beta[i];
                x[i] = v;
                xm = Math.max(xm, v);
            }
            for (int i = 0; i < k; i++) {
                double v = x[i] - xm;
                x[i] = v;
                w[i] = Math.exp(v);
            }
        }
        System.arraycopy(acc, 0, xi, 0, k * k);
        return logZ;
    }

    /**
     * One forward step of {@link #log} with K = 3 unrolled (before normalisation), when all three sums are at least
     * TINY; else returns false and the generic step (with its per-column fall-back) runs. Writes exp(α_{t−1}) to
     * e[eo …] either way, as the generic step does.
     */
    private static boolean forward3(double[] alpha, int prev, int ao, double[] e, int eo, double[] p, double shift, double[] u,
            int uo) {
        double e0 = Math.exp(alpha[prev]), e1 = Math.exp(alpha[prev + 1]), e2 = Math.exp(alpha[prev + 2]);
        e[eo] = e0;
        e[eo + 1] = e1;
        e[eo + 2] = e2;
        double s0 = 0.0 + e0 * p[0] + e1 * p[3] + e2 * p[6];
        double s1 = 0.0 + e0 * p[1] + e1 * p[4] + e2 * p[7];
        double s2 = 0.0 + e0 * p[2] + e1 * p[5] + e2 * p[8];
        double tiny = Semiring.Log.TINY;
        if (!(s0 >= tiny && s1 >= tiny && s2 >= tiny)) {
            return false;
        }
        alpha[ao] = shift + Math.log(s0) + u[uo];
        alpha[ao + 1] = shift + Math.log(s1) + u[uo + 1];
        alpha[ao + 2] = shift + Math.log(s2) + u[uo + 2];
        return true;
    }

    /** A little below −log 9, the smallest value of shift − L_t in {@link #logStep3}. */
    private static final double MINUS_LOG_9 = -2.1973;

    /**
     * One backward position of {@link #log} with K = 3 unrolled, when every fast form applies (all three sums
     * s_i ≥ TINY, every exp(α_t(i)) · s_i normal or an impossible state, ξ's factors in range): the generic step's
     * operations, except that ξ's factor exp(shift − L_t) is taken as 1 / sum (equal to rounding). When this returns
     * false it has written nothing, and the generic step runs instead (and decides the fall-backs).
     */
    private static boolean logStep3(int o, double[] alpha, double[] e, double[] gamma, double[] u, double[] p, double shift,
            double spread, double[] x, double[] w, double[] acc) {
        double w0 = w[0], w1 = w[1], w2 = w[2];
        double s0 = 0.0 + w0 * p[0] + w1 * p[1] + w2 * p[2];
        double s1 = 0.0 + w0 * p[3] + w1 * p[4] + w2 * p[5];
        double s2 = 0.0 + w0 * p[6] + w1 * p[7] + w2 * p[8];
        double tiny = Semiring.Log.TINY;
        if (!(s0 >= tiny && s1 >= tiny && s2 >= tiny)) {
            return false;
        }
        double a0 = alpha[o], a1 = alpha[o + 1], a2 = alpha[o + 2];
        double e0 = e[o], e1 = e[o + 1], e2 = e[o + 2];
        double g0 = e0 * s0, g1 = e1 * s1, g2 = e2 * s2;
        double normal = Semiring.Log.NORMAL;
        double ninf = Double.NEGATIVE_INFINITY;
        if (!((g0 >= normal || a0 == ninf) && (g1 >= normal || a1 == ninf) && (g2 >= normal || a2 == ninf))) {
            return false;
        }
        double sum = 0.0 + g0 + g1 + g2;
        // shift − L_t = −log sum, and sum ≤ 9 (each g_i = e_i · s_i ≤ 1 · 3): checked with its lower bound −log 9, and
        // exp(shift − L_t) = 1 / sum, so this step takes no exp or log for ξ.
        double c = MINUS_LOG_9;
        double x0 = x[0], x1 = x[1], x2 = x[2];
        double amin = Math.min(0, Math.min(a0 == ninf ? 0 : a0, Math.min(a1 == ninf ? 0 : a1, a2 == ninf ? 0 : a2)));
        double xmin = Math.min(0, Math.min(x0 == ninf ? 0 : x0, Math.min(x1 == ninf ? 0 : x1, x2 == ninf ? 0 : x2)));
        double range = Marginals.Log.RANGE;
        if (!(amin - spread >= -range && xmin >= -range && xmin + c >= -range && amin - spread + xmin + c >= -range)) {
            return false; // (the upper bound c ≤ range holds: sum ≥ NORMAL)
        }
        double inv = 1.0 / sum;
        double v0 = w0 * inv, v1 = w1 * inv, v2 = w2 * inv;
        acc[0] += e0 * p[0] * v0;
        acc[1] += e0 * p[1] * v1;
        acc[2] += e0 * p[2] * v2;
        acc[3] += e1 * p[3] * v0;
        acc[4] += e1 * p[4] * v1;
        acc[5] += e1 * p[5] * v2;
        acc[6] += e2 * p[6] * v0;
        acc[7] += e2 * p[7] * v1;
        acc[8] += e2 * p[8] * v2;
        gamma[o] = g0 * inv;
        gamma[o + 1] = g1 * inv;
        gamma[o + 2] = g2 * inv;
        double y0 = u[o] + (shift + Math.log(s0));
        double y1 = u[o + 1] + (shift + Math.log(s1));
        double y2 = u[o + 2] + (shift + Math.log(s2));
        double ym = Math.max(Math.max(y0, y1), y2);
        y0 -= ym;
        y1 -= ym;
        y2 -= ym;
        x[0] = y0;
        x[1] = y1;
        x[2] = y2;
        w[0] = Math.exp(y0);
        w[1] = Math.exp(y1);
        w[2] = Math.exp(y2);
        return true;
    }

    /**
     * ξ_t(i, j) = exp(α_t(i) + log A_ij + x_{t+1}(j) − L_t) added to acc: factored as exp(α_t(i)) · P_ij ·
     * (w_j · exp(shift − L_t)) when every factor and partial product is a normal double, else entry by entry.
     */
    private static void xi(double[] alpha, int o, double[] e, double[] la, double[] p, double spread, double shift, double l,
            double[] x, double[] w, int k, double[] acc, double range) {
        double c = shift - l;
        double amin = 0;
        double xmin = 0;
        for (int i = 0; i < k; i++) {
            double v = alpha[o + i];
            if (v != Double.NEGATIVE_INFINITY) {
                amin = Math.min(amin, v);
            }
            v = x[i];
            if (v != Double.NEGATIVE_INFINITY) {
                xmin = Math.min(xmin, v);
            }
        }
        // maxima of α_t and x_{t+1} are 0: ea ∈ [e^amin, 1], P ∈ [e^−spread, 1], w·F ∈ [e^(xmin + c), e^c]
        if (amin - spread >= -range && xmin >= -range && c <= range && xmin + c >= -range
                && amin - spread + xmin + c >= -range) {
            double f = Math.exp(c);
            for (int i = 0; i < k; i++) {
                double ei = e[o + i];
                int r = i * k;
                for (int j = 0; j < k; j++) {
                    acc[r + j] += ei * p[r + j] * (w[j] * f);
                }
            }
            return;
        }
        for (int i = 0; i < k; i++) {
            double ai = alpha[o + i];
            if (ai == Double.NEGATIVE_INFINITY) {
                continue;
            }
            int r = i * k;
            for (int j = 0; j < k; j++) {
                acc[r + j] += Math.exp(ai + la[r + j] + x[j] - l); // exp(−∞) = 0 for impossible entries
            }
        }
    }

    /** The backward pass above with K = 3 unrolled: the same operations in the same order. */
    private static void backward3(double[] p, double[] alpha, double[] pu, double[] c, int t, double[] gamma, double[] acc) {
        double w0 = 0, w1 = 0, w2 = 0;
        double x00 = 0, x01 = 0, x02 = 0, x10 = 0, x11 = 0, x12 = 0, x20 = 0, x21 = 0, x22 = 0;
        for (int s = t - 1; s >= 0; s--) {
            int o = s * 3;
            double b0 = 1, b1 = 1, b2 = 1;
            if (s < t - 1) {
                b0 = 0.0 + p[0] * w0 + p[1] * w1 + p[2] * w2;
                b1 = 0.0 + p[3] * w0 + p[4] * w1 + p[5] * w2;
                b2 = 0.0 + p[6] * w0 + p[7] * w1 + p[8] * w2;
            }
            double a0 = alpha[o], a1 = alpha[o + 1], a2 = alpha[o + 2];
            double g = 0 + a0 * b0 + a1 * b1 + a2 * b2;
            if (!(g > 0 && g < Double.POSITIVE_INFINITY)) {
                throw new ChainDp.DeadChain(0, s);
            }
            double inv = 1.0 / g;
            gamma[o] = a0 * b0 * inv;
            gamma[o + 1] = a1 * b1 * inv;
            gamma[o + 2] = a2 * b2 * inv;
            if (s < t - 1) {
                x00 += a0 * w0;
                x01 += a0 * w1;
                x02 += a0 * w2;
                x10 += a1 * w0;
                x11 += a1 * w1;
                x12 += a1 * w2;
                x20 += a2 * w0;
                x21 += a2 * w1;
                x22 += a2 * w2;
            }
            double scale = inv / c[s];
            w0 = pu[o] * b0 * scale;
            w1 = pu[o + 1] * b1 * scale;
            w2 = pu[o + 2] * b2 * scale;
        }
        acc[0] = x00;
        acc[1] = x01;
        acc[2] = x02;
        acc[3] = x10;
        acc[4] = x11;
        acc[5] = x12;
        acc[6] = x20;
        acc[7] = x21;
        acc[8] = x22;
    }

    /**
     * Viterbi in max-plus without renormalisation (max-plus cannot underflow). Ties go to the lower state.
     *
     * @param states receives the best path
     * @return its score, or −∞ with {@code deadAt[0]} set to the first position where every state is impossible
     */
    static double viterbi(double[] logInit, double[] logA, double[] u, int t, int k, int[] states, int[] deadAt) {
        if (t == 0) {
            return 0;
        }
        int[] back = new int[t * k];
        double[] d = new double[k];
        double[] nd = new double[k];
        double alive = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            d[j] = logInit[j] + u[j];
            alive = Math.max(alive, d[j]);
        }
        if (!(alive > Double.NEGATIVE_INFINITY && alive < Double.POSITIVE_INFINITY)) {
            deadAt[0] = 0; // impossible, or NaN/+Infinity in the input (Math.max propagates NaN)
            return Double.NEGATIVE_INFINITY;
        }
        for (int s = 1; s < t; s++) {
            int uo = s * k;
            alive = Double.NEGATIVE_INFINITY;
            if (k == 3) {
                double d0 = d[0], d1 = d[1], d2 = d[2];
                for (int j = 0; j < 3; j++) {
                    double best = d0 + logA[j];
                    int arg = 0;
                    double v = d1 + logA[3 + j];
                    if (v > best) {
                        best = v;
                        arg = 1;
                    }
                    v = d2 + logA[6 + j];
                    if (v > best) {
                        best = v;
                        arg = 2;
                    }
                    back[uo + j] = arg;
                    double x = best + u[uo + j];
                    nd[j] = x;
                    alive = Math.max(alive, x);
                }
            } else {
                // The maxima first, row by row (vectorisable), then each arg-max as the first i that attains it:
                // the same sums recomputed, so equality is exact. Cheaper than a branch per (i, j).
                java.util.Arrays.fill(nd, Double.NEGATIVE_INFINITY);
                for (int i = 0; i < k; i++) {
                    double x = d[i];
                    int ai = i * k;
                    for (int j = 0; j < k; j++) {
                        nd[j] = Math.max(nd[j], x + logA[ai + j]);
                    }
                }
                for (int j = 0; j < k; j++) {
                    double best = nd[j];
                    int arg = 0;
                    if (best != Double.NEGATIVE_INFINITY) {
                        while (d[arg] + logA[arg * k + j] != best) {
                            arg++;
                        }
                    }
                    back[uo + j] = arg;
                    double x = best + u[uo + j];
                    nd[j] = x;
                    alive = Math.max(alive, x);
                }
            }
            if (!(alive > Double.NEGATIVE_INFINITY && alive < Double.POSITIVE_INFINITY)) {
                deadAt[0] = s;
                return Double.NEGATIVE_INFINITY;
            }
            double[] tmp = d;
            d = nd;
            nd = tmp;
        }
        int j = 0;
        for (int i = 1; i < k; i++) {
            if (d[i] > d[j]) {
                j = i;
            }
        }
        double score = d[j];
        for (int s = t - 1; s > 0; s--) {
            states[s] = j;
            j = back[s * k + j];
        }
        states[0] = j;
        return score;
    }
}

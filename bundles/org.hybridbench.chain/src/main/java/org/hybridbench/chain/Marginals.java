package org.hybridbench.chain;

/**
 * The backward pass's visitors: they turn the forward messages α̂_t (stored) and each backward message β_t into
 * γ_t and add ξ_t = p(s_t = i, s_{t+1} = j | y) to the group's expected transition counts, without storing β.
 * Both are normalised per position, so any scaling of α and β cancels (Rabiner 1989 eq. 27, 37, 38; with
 * scaling eq. 91–95).
 */
final class Marginals {
    private Marginals() {
    }

    /**
     * Probability space: γ_t = α̂_t ∘ β_t / g_t, ξ_ij += α̂_t(i) w_{t+1}(j), and finally ξ_ij ×= A_ij, where
     * w_{t+1} = b_{t+1} ∘ β_{t+1} / (c_{t+1} g_{t+1}) and c_{t+1} is the forward normaliser (so A_ij is factored out
     * of the sum over t: Σ_t α̂_t wᵀ_{t+1} is a (K × T)·(T × K) product).
     */
    static final class Scaled implements ChainDp.Visitor {
        private final ChainDp.Prepared p;
        private final ChainDp.Group g;
        private final double[] alpha;
        private final double[] factors;
        private final double[] gamma;
        final double[] xi;
        private final double[] w;

        Scaled(ChainDp.Prepared p, ChainDp.Group g, double[] alpha, double[] factors, double[] gamma) {
            this.p = p;
            this.g = g;
            this.alpha = alpha;
            this.factors = factors;
            this.gamma = gamma;
            this.xi = new double[p.k * p.k];
            this.w = new double[g.rows() * p.k];
        }

        @Override
        public void visit(int row, int t, int pos, double[] buf, int off) {
            int k = p.k;
            int a = pos * k;
            double sum = 0;
            for (int i = 0; i < k; i++) {
                sum += alpha[a + i] * buf[off + i];
            }
            if (!(sum > 0 && sum < Double.POSITIVE_INFINITY)) {
                throw new ChainDp.DeadChain(g.seq[row], t);
            }
            double inv = 1.0 / sum;
            for (int i = 0; i < k; i++) {
                gamma[a + i] = alpha[a + i] * buf[off + i] * inv;
            }
            int wr = row * k;
            if (t < g.len[row] - 1) {
                Structure m = p.fwd;
                if (m.sparse) {
                    for (int j = 0; j < k; j++) {
                        double wj = w[wr + j];
                        for (int q = m.colStart[j]; q < m.colStart[j + 1]; q++) {
                            int i = m.rowIdx[q];
                            xi[i * k + j] += alpha[a + i] * wj;
                        }
                    }
                } else {
                    for (int i = 0; i < k; i++) {
                        double ai = alpha[a + i];
                        int xr = i * k;
                        for (int j = 0; j < k; j++) {
                            xi[xr + j] += ai * w[wr + j];
                        }
                    }
                }
            }
            double scale = inv / factors[pos];
            for (int j = 0; j < k; j++) {
                w[wr + j] = p.unary[a + j] * buf[off + j] * scale;
            }
        }

        /** Multiplies the accumulated Σ_t α̂_t wᵀ_{t+1} by A (element-wise). */
        void finish() {
            double[] a = p.fwd.prob;
            for (int e = 0; e < xi.length; e++) {
                xi[e] *= a[e];
            }
        }
    }

    /**
     * Log space: γ_t = exp(la_t + lβ_t − L_t), ξ_ij += exp(la_t(i) + log A_ij + lw_{t+1}(j)) with
     * lw_{t+1} = u_{t+1} + lβ_{t+1} − L_{t+1} − m_{t+1}, m the forward pass's normalising shift. Each term is a
     * probability, so nothing overflows whatever the scores.
     *
     * <p>The shift trick: ξ's term is e_i · P_ij · v_j with e_i = exp(la_t(i) − max la_t), P = exp(log A − shift)
     * (prepared once) and v_j = exp(lw_{t+1}(j) + max la_t + shift), so a position takes 2K exps instead of K². Each
     * factor and partial product is a normal double when the spreads of la_t, lw_{t+1} and log A together stay
     * within {@link #RANGE} nats (checked per position, on the finite entries; −∞ entries give exact zeros), and then
     * every term is exact to rounding; otherwise (CRF-sized scores) the position is summed entry by entry as before.
     * γ takes K exps and one division instead of K exps after a log.
     */
    static final class Log implements ChainDp.Visitor {
        /** Nats of spread for which the factored ξ term stays in the normal double range (e^−690 > 2^−1022). */
        static final double RANGE = 690;

        private final ChainDp.Prepared p;
        private final ChainDp.Group g;
        private final double[] alpha;
        private final double[] factors;
        private final double[] gamma;
        final double[] xi;
        private final double[] lw;
        private final double[] s;
        private final double[] e;
        private final double[] v;

        Log(ChainDp.Prepared p, ChainDp.Group g, double[] alpha, double[] factors, double[] gamma) {
            this.p = p;
            this.g = g;
            this.alpha = alpha;
            this.factors = factors;
            this.gamma = gamma;
            this.xi = new double[p.k * p.k];
            this.lw = new double[g.rows() * p.k];
            this.s = new double[p.k];
            this.e = new double[p.k];
            this.v = new double[p.k];
        }

        @Override
        public void visit(int row, int t, int pos, double[] buf, int off) {
            int k = p.k;
            int a = pos * k;
            double mx = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < k; i++) {
                s[i] = alpha[a + i] + buf[off + i];
                mx = Math.max(mx, s[i]);
            }
            if (mx == Double.NEGATIVE_INFINITY) {
                throw new ChainDp.DeadChain(g.seq[row], t);
            }
            double sum = 0;
            for (int i = 0; i < k; i++) {
                double x = Math.exp(s[i] - mx);
                s[i] = x;
                sum += x;
            }
            double l = mx + Math.log(sum);
            double inv = 1.0 / sum;
            for (int i = 0; i < k; i++) {
                gamma[a + i] = s[i] * inv;
            }
            int wr = row * k;
            if (t < g.len[row] - 1) {
                xi(a, wr);
            }
            double shift = l + factors[pos];
            for (int j = 0; j < k; j++) {
                lw[wr + j] = p.unary[a + j] + buf[off + j] - shift;
            }
        }

        /** ξ += the transition posteriors between the position at alpha[a …] and the next (lw[wr …]). */
        private void xi(int a, int wr) {
            int k = p.k;
            Structure m = p.fwd;
            double am = Double.NEGATIVE_INFINITY;
            double amin = Double.POSITIVE_INFINITY;
            for (int i = 0; i < k; i++) {
                double x = alpha[a + i];
                am = Math.max(am, x);
                if (x != Double.NEGATIVE_INFINITY) {
                    amin = Math.min(amin, x);
                }
            }
            double wm = Double.NEGATIVE_INFINITY;
            double wmin = Double.POSITIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                double x = lw[wr + j];
                wm = Math.max(wm, x);
                if (x != Double.NEGATIVE_INFINITY) {
                    wmin = Math.min(wmin, x);
                }
            }
            if (wm == Double.NEGATIVE_INFINITY) {
                return; // no possible successor: every term is 0
            }
            double c = am + m.shift;
            if ((am - amin) + m.spread + Math.max(0, -(wmin + c)) <= RANGE && wm + c <= RANGE) {
                for (int i = 0; i < k; i++) {
                    e[i] = Math.exp(alpha[a + i] - am);
                }
                for (int j = 0; j < k; j++) {
                    v[j] = Math.exp(lw[wr + j] + c);
                }
                if (m.sparse) {
                    for (int j = 0; j < k; j++) {
                        double vj = v[j];
                        for (int q = m.colStart[j]; q < m.colStart[j + 1]; q++) {
                            int i = m.rowIdx[q];
                            xi[i * k + j] += e[i] * m.probVal[q] * vj;
                        }
                    }
                } else {
                    double[] pr = m.prob;
                    for (int i = 0; i < k; i++) {
                        double ei = e[i];
                        int r = i * k;
                        for (int j = 0; j < k; j++) {
                            xi[r + j] += ei * pr[r + j] * v[j];
                        }
                    }
                }
                return;
            }
            for (int j = 0; j < k; j++) {
                double wj = lw[wr + j];
                if (wj == Double.NEGATIVE_INFINITY) {
                    continue;
                }
                for (int q = m.colStart[j]; q < m.colStart[j + 1]; q++) {
                    int i = m.rowIdx[q];
                    xi[i * k + j] += Math.exp(alpha[a + i] + m.logVal[q] + wj);
                }
            }
        }
    }
}

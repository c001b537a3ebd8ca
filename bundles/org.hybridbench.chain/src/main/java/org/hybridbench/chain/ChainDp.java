package org.hybridbench.chain;

import java.util.Arrays;

/**
 * The chain dynamic program, written once for every semiring and for a group of sequences in lock-step:
 *
 * <pre>
 *   m_0 = init ⊗ u_0,   m_t = (m_{t−1} · M) ⊗ u_t,   log ⊕_j m_{T−1,j}
 * </pre>
 *
 * With M = A and init = π this is the forward pass (log Z, Viterbi, n-best, the filter of FFBS); with M = Aᵀ, the
 * positions visited from the end and init = 1 it is the backward pass, whose pre-unary messages are β_t (Rabiner
 * 1989 eq. 24–25). Every message is renormalised ({@link Semiring#normalize}) and the factors are accumulated in
 * log, so neither underflows however long the chain (Rabiner eq. 91–92). At each position, the rows of the group
 * still running are advanced together: with a shared M this is one (rows × K)·(K × K) product per position.
 */
final class ChainDp {
    private ChainDp() {
    }

    /** Signals that every state of sequence {@code sequence} is impossible at {@code position}. */
    static final class DeadChain extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int sequence;
        final int position;

        DeadChain(int sequence, int position) {
            super(null, null, false, false);
            this.sequence = sequence;
            this.position = position;
        }
    }

    /** Sees each pre-unary message (β_t in the backward pass) before the unary is applied. */
    interface Visitor {
        void visit(int row, int t, int pos, double[] buf, int off);
    }

    /** The potentials in one semiring's domain: log values, or probabilities shifted per row. */
    static final class Prepared {
        final int k;
        final double[] init;
        final double[] unary;
        /** log of the factor removed from each unary row (probability domain), else null. */
        final double[] unaryShift;
        final double initShift;
        final Structure fwd;
        final Structure bwd;

        Prepared(int k, double[] init, double[] unary, double[] unaryShift, double initShift, Structure fwd, Structure bwd) {
            this.k = k;
            this.init = init;
            this.unary = unary;
            this.unaryShift = unaryShift;
            this.initShift = initShift;
            this.fwd = fwd;
            this.bwd = bwd;
        }
    }

    /** A group of sequences run in lock-step, sorted by decreasing length so the running ones are a prefix. */
    static final class Group {
        final int[] seq;
        final int[] off;
        final int[] len;

        Group(int[] seq, int[] off, int[] len) {
            this.seq = seq;
            this.off = off;
            this.len = len;
        }

        int rows() {
            return seq.length;
        }

        /** Sequences {@code from} … {@code to − 1} of a batch with the given row offsets. */
        static Group of(int[] offsets, int from, int to) {
            Integer[] order = new Integer[to - from];
            for (int i = 0; i < order.length; i++) {
                order[i] = from + i;
            }
            Arrays.sort(order, (a, b) -> Integer.compare(offsets[b + 1] - offsets[b], offsets[a + 1] - offsets[a]));
            int[] seq = new int[order.length];
            int[] off = new int[order.length];
            int[] len = new int[order.length];
            for (int i = 0; i < order.length; i++) {
                seq[i] = order[i];
                off[i] = offsets[order[i]];
                len[i] = offsets[order[i] + 1] - offsets[order[i]];
            }
            return new Group(seq, off, len);
        }
    }

    /**
     * Runs the program over a group.
     *
     * @param reverse false: forward with M = A from position 0; true: backward with M = Aᵀ from the last position
     * @param store if not null, message of position pos at store[pos × K × width] (else two rolling buffers)
     * @param factors if not null, receives the normalisation factor of each position
     * @param back back-pointers, pos × K × width, for max semirings (else null)
     * @param logZ if not null, receives log ⊕ over paths for each row of the group
     * @param last if not null, receives each row's final (normalised) message, K × width values per row
     */
    static void run(Semiring s, Prepared p, Group g, boolean reverse, double[] store, double[] factors, int[] back,
            Visitor visitor, double[] logZ, double[] last) {
        int rows = g.rows();
        int w = p.k * s.width;
        Structure m = reverse ? p.bwd : p.fwd;
        double[] buf = store != null ? store : new double[rows * 2 * w];
        int[] inOff = new int[rows];
        int[] outOff = new int[rows];
        int[] backOff = back != null ? new int[rows] : null;
        double[] logSum = new double[rows];
        double[] prod = new double[rows];
        Arrays.fill(prod, 1.0);
        boolean linear = s.linearFactors();
        int maxLen = rows == 0 ? 0 : g.len[0];
        int active = rows;
        for (int n = 0; n < maxLen; n++) {
            while (active > 0 && g.len[active - 1] <= n) {
                active--;
            }
            for (int r = 0; r < active; r++) {
                int t = reverse ? g.len[r] - 1 - n : n;
                int pos = g.off[r] + t;
                inOff[r] = outOff[r];
                outOff[r] = store != null ? pos * w : (r * 2 + (n & 1)) * w;
                if (backOff != null) {
                    backOff[r] = pos * w;
                }
            }
            if (n == 0) {
                for (int r = 0; r < active; r++) {
                    s.start(buf, outOff[r], reverse ? null : p.init);
                }
            } else {
                s.vecmat(m, buf, inOff, outOff, active, back, backOff);
            }
            for (int r = 0; r < active; r++) {
                int t = reverse ? g.len[r] - 1 - n : n;
                int pos = g.off[r] + t;
                if (visitor != null) {
                    visitor.visit(r, t, pos, buf, outOff[r]);
                }
                s.times(buf, outOff[r], p.unary, pos * p.k);
                double f = s.normalize(buf, outOff[r]);
                if (s.dead(f)) {
                    throw new DeadChain(g.seq[r], t);
                }
                if (factors != null) {
                    factors[pos] = f;
                }
                if (linear) {
                    // Multiply factors and take one log now and then instead of a log per position.
                    double q = prod[r] * f;
                    if (q < 1e-200 || q > 1e200) {
                        logSum[r] += q > 0 ? Math.log(q) : Math.log(prod[r]) + Math.log(f);
                        q = 1.0;
                    }
                    prod[r] = q;
                } else {
                    logSum[r] += f;
                }
                if (p.unaryShift != null) {
                    logSum[r] += p.unaryShift[pos];
                }
            }
        }
        if (last != null) {
            for (int r = 0; r < rows; r++) {
                if (g.len[r] > 0) {
                    System.arraycopy(buf, outOff[r], last, r * w, w);
                }
            }
        }
        if (logZ != null) {
            for (int r = 0; r < rows; r++) {
                if (g.len[r] == 0) {
                    logZ[r] = 0; // the one empty path
                    continue;
                }
                double z = logSum[r] + Math.log(prod[r]) + s.logTotal(buf, outOff[r]);
                if (p.unaryShift != null) {
                    z += (g.len[r] - 1) * m.shift + (reverse ? 0 : p.initShift);
                }
                logZ[r] = z;
            }
        }
    }
}

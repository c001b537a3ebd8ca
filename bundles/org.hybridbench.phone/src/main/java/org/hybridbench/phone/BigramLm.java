package org.hybridbench.phone;

import java.util.List;

/**
 * A bigram phone language model with add-k smoothing, estimated on transcripts (runs collapsed, see
 * {@link Transcripts}): P(next | previous) = (c(previous, next) + k) / (Σ_n c(previous, n) + k·|allowed|), over
 * the allowed successors only. Contexts are the P phones and the utterance start {@link #start()}; successors are
 * the P phones and the utterance end {@link #end()}. Because a transcript never repeats a phone, a phone is not an
 * allowed successor of itself (log-probability −∞), and the start is not followed directly by the end; so every
 * context's distribution has P allowed outcomes and sums to 1.
 */
public final class BigramLm {
    private final int phones;
    private final double[] logProb; // (P + 1) contexts × (P + 1) successors

    /**
     * @param phones P
     * @param transcripts phone-id sequences without immediate repeats
     * @param k add-k pseudocount (0 = maximum likelihood; unseen bigrams are then impossible)
     */
    public BigramLm(int phones, List<int[]> transcripts, double k) {
        if (!(k >= 0) || Double.isInfinite(k)) {
            throw new IllegalArgumentException("add-k pseudocount must be finite and non-negative, was " + k);
        }
        this.phones = phones;
        int n = phones + 1;
        double[] count = new double[n * n];
        for (int u = 0; u < transcripts.size(); u++) {
            int[] s = transcripts.get(u);
            if (s.length == 0) {
                continue;
            }
            int prev = phones;
            for (int i = 0; i < s.length; i++) {
                if (s[i] < 0 || s[i] >= phones) {
                    throw new IllegalArgumentException("transcript " + u + ", position " + i + ": phone " + s[i] + " outside [0, "
                            + phones + ")");
                }
                if (s[i] == prev) {
                    throw new IllegalArgumentException("transcript " + u + ", position " + i + ": phone " + s[i]
                            + " repeats the previous one (transcripts have runs collapsed)");
                }
                count[prev * n + s[i]]++;
                prev = s[i];
            }
            count[prev * n + phones]++;
        }
        logProb = new double[n * n];
        for (int c = 0; c < n; c++) {
            double total = 0;
            int allowed = 0;
            for (int x = 0; x < n; x++) {
                if (allowed(c, x)) {
                    total += count[c * n + x] + k;
                    allowed++;
                }
            }
            for (int x = 0; x < n; x++) {
                double p = allowed(c, x) && total > 0 ? (count[c * n + x] + k) / total : 0;
                // a context never seen with k = 0: uniform over its successors, so decoding still has a path
                if (allowed(c, x) && total == 0) {
                    p = 1.0 / allowed;
                }
                logProb[c * n + x] = Math.log(p);
            }
        }
    }

    private boolean allowed(int context, int next) {
        return context == phones ? next != phones : next != context;
    }

    /** The context index of the utterance start. */
    public int start() {
        return phones;
    }

    /** The successor index of the utterance end. */
    public int end() {
        return phones;
    }

    public int numPhones() {
        return phones;
    }

    /** log P(next | context); context = a phone or {@link #start()}, next = a phone or {@link #end()}. */
    public double logProb(int context, int next) {
        return logProb[context * (phones + 1) + next];
    }
}

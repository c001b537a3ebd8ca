package org.hybridbench.phone;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.ChainBatch;
import org.hybridbench.api.model.ChainInference;
import org.hybridbench.api.model.ChainPath;
import org.hybridbench.api.model.ChainPotentials;

/**
 * Viterbi phone recognition over a phone loop (HVite with a bigram network): all phone models in parallel, the
 * last state of phone p leaving to the first state of phone q ≠ p with log(1 − a) + s·log P(q | p) + ip, entry at
 * the start with s·log P(q | start) + ip and exit at the end with log(1 − a) + s·log P(end | p); s is the LM scale
 * (HVite -s) and ip the phone insertion penalty (HVite -p, a log-probability added per recognised phone). The loop
 * is one chain of P·S states whose transitions are mostly impossible, so the chain inference runs it sparsely; the
 * end scores are folded into each utterance's last unary row.
 */
final class PhoneLoop {
    private final PhoneModelSet models;
    private final double[] logInitial;
    private final Matrix logTransition;
    private final double[] logFinal;

    /** A decoded utterance: the recognised phones, the phone of every frame and the path's score. */
    record Decoded(int[] phones, int[] framePhones, double score) {
    }

    PhoneLoop(PhoneModelSet m, BigramLm lm, double lmScale, double insertionPenalty) {
        if (lm.numPhones() != m.numPhones()) {
            throw new IllegalArgumentException("language model over " + lm.numPhones() + " phones for " + m.numPhones() + " phone models");
        }
        this.models = m;
        int p = m.numPhones();
        int s = m.statesPerPhone();
        int k = m.numStates();
        logInitial = new double[k];
        logFinal = new double[k];
        Arrays.fill(logInitial, Double.NEGATIVE_INFINITY);
        Arrays.fill(logFinal, Double.NEGATIVE_INFINITY);
        double[] tr = new double[k * k];
        Arrays.fill(tr, Double.NEGATIVE_INFINITY);
        for (int q = 0; q < p; q++) {
            logInitial[m.emissionState(q, 0)] = scaled(lmScale, lm.logProb(lm.start(), q)) + insertionPenalty;
            for (int i = 0; i < s; i++) {
                int j = m.emissionState(q, i);
                double a = m.selfLoop(q, i);
                tr[j * k + j] = Math.log(a);
                if (i + 1 < s) {
                    tr[j * k + j + 1] = Math.log1p(-a);
                }
            }
            int last = m.emissionState(q, s - 1);
            double exit = Math.log1p(-m.selfLoop(q, s - 1));
            logFinal[last] = exit + scaled(lmScale, lm.logProb(q, lm.end()));
            for (int r = 0; r < p; r++) {
                if (r != q) {
                    tr[last * k + m.emissionState(r, 0)] = exit + scaled(lmScale, lm.logProb(q, r)) + insertionPenalty;
                }
            }
        }
        logTransition = new Matrix(k, k, tr);
    }

    /** s·log P, with an impossible bigram impossible even at scale 0. */
    private static double scaled(double scale, double logProb) {
        return logProb == Double.NEGATIVE_INFINITY ? logProb : scale * logProb;
    }

    /**
     * The loop's chain for one utterance (log-densities T × P·S, end scores folded into the last row): its log Z is
     * log Σ over every phone sequence and alignment of p(frames, states | phones)·P_LM(phones)^s·e^(ip·phones), the
     * denominator of a discriminative (MMI) criterion.
     */
    ChainPotentials potentials(Matrix logB) {
        Matrix u = logB.copy();
        int k = models.numStates();
        if (u.rows() > 0) {
            double[] d = u.data();
            int last = (u.rows() - 1) * k;
            for (int j = 0; j < k; j++) {
                d[last + j] += logFinal[j];
            }
        }
        return new ChainPotentials(logInitial, logTransition, u);
    }

    /** Decodes utterances given their log-densities (each T × P·S) in one batch. */
    List<Decoded> decode(List<Matrix> logB, ChainInference inference) {
        int k = models.numStates();
        int[] lengths = new int[logB.size()];
        int total = 0;
        for (int u = 0; u < lengths.length; u++) {
            lengths[u] = logB.get(u).rows();
            total += lengths[u];
        }
        double[] unary = new double[total * k];
        int at = 0;
        for (int u = 0; u < lengths.length; u++) {
            double[] d = logB.get(u).data();
            System.arraycopy(d, 0, unary, at, d.length);
            at += d.length;
            if (lengths[u] > 0) {
                for (int j = 0; j < k; j++) {
                    unary[at - k + j] += logFinal[j];
                }
            }
        }
        List<ChainPath> paths = inference.viterbi(new ChainBatch(logInitial, logTransition, new Matrix(total, k, unary), lengths));
        List<Decoded> out = new ArrayList<>(paths.size());
        for (ChainPath path : paths) {
            out.add(read(path));
        }
        return out;
    }

    /** A new phone starts wherever the path enters a phone's first state from elsewhere. */
    private Decoded read(ChainPath path) {
        int[] st = path.states();
        int s = models.statesPerPhone();
        int[] frames = new int[st.length];
        int[] phones = new int[st.length];
        int n = 0;
        for (int t = 0; t < st.length; t++) {
            frames[t] = st[t] / s;
            if (t == 0 || (st[t] % s == 0 && st[t] != st[t - 1])) {
                phones[n++] = frames[t];
            }
        }
        return new Decoded(Arrays.copyOf(phones, n), frames, path.logScore());
    }
}

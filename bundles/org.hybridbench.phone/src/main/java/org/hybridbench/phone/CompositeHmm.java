package org.hybridbench.phone;

import java.util.Arrays;

import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.ChainPotentials;

/**
 * The HMM of one utterance: its transcript's phone models end to end (HTK's embedded-training network). Composite
 * state j = n·S + s is state s of the transcript's n-th phone; it starts in state 0, stays in j with the phone
 * state's self-loop probability a or moves to j + 1 with 1 − a, and must leave the last state at the end of the
 * utterance (that exit, 1 − a of the last state, is part of the likelihood, as in HTK). The chain has only the
 * 2K − 1 allowed transitions, so the chain inference runs it sparsely (O(T·K)); the exit is folded into the last
 * position's unaries, where every state but the last is impossible.
 */
final class CompositeHmm {
    private CompositeHmm() {
    }

    /** The emission state of every composite state. */
    static int[] emissionStates(PhoneModelSet m, int[] transcript) {
        int s = m.statesPerPhone();
        int[] out = new int[transcript.length * s];
        for (int n = 0; n < transcript.length; n++) {
            for (int i = 0; i < s; i++) {
                out[n * s + i] = m.emissionState(transcript[n], i);
            }
        }
        return out;
    }

    /**
     * The chain of one utterance.
     *
     * @param logB T × P·S log-densities of the utterance's frames under every emission state
     */
    static ChainPotentials potentials(PhoneModelSet m, int[] transcript, Matrix logB) {
        int[] e = emissionStates(m, transcript);
        int k = e.length;
        int t = logB.rows();
        double[] a = m.selfLoops();
        double[] init = new double[k];
        Arrays.fill(init, Double.NEGATIVE_INFINITY);
        init[0] = 0;
        double[] tr = new double[k * k];
        Arrays.fill(tr, Double.NEGATIVE_INFINITY);
        for (int j = 0; j < k; j++) {
            tr[j * k + j] = Math.log(a[e[j]]);
            if (j + 1 < k) {
                tr[j * k + j + 1] = Math.log1p(-a[e[j]]);
            }
        }
        double[] u = new double[t * k];
        double[] b = logB.data();
        int cols = logB.cols();
        for (int r = 0; r < t; r++) {
            for (int j = 0; j < k; j++) {
                u[r * k + j] = b[r * cols + e[j]];
            }
        }
        if (t > 0) {
            int last = (t - 1) * k;
            Arrays.fill(u, last, last + k - 1, Double.NEGATIVE_INFINITY);
            u[last + k - 1] += Math.log1p(-a[e[k - 1]]);
        }
        return new ChainPotentials(init, new Matrix(k, k, tr), new Matrix(t, k, u));
    }
}

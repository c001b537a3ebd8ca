package org.hybridbench.acoustic;

import java.util.Arrays;
import java.util.List;

/**
 * The no-HMM baseline's phone sequence: a framewise classifier has no model of phone durations or order, so an
 * utterance's recognised phones are its per-frame argmax labels with runs collapsed (a a b b a → a b a), optionally
 * after dropping runs shorter than a minimum length (isolated one-frame flips otherwise each cost an insertion).
 */
final class Transcription {
    private Transcription() {
    }

    /** Labels with runs of equal labels collapsed to one. */
    static int[] collapse(int[] labels) {
        int[] out = new int[labels.length];
        int n = 0;
        for (int s : labels) {
            if (n == 0 || out[n - 1] != s) {
                out[n++] = s;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * Drops every run shorter than {@code minRun} frames (its frames produce no phone); if that would drop every run,
     * the longest run (the first of equally long ones) is kept, so an utterance never has an empty transcription.
     * {@code minRun} ≤ 1 returns the labels unchanged.
     */
    static int[] smooth(int[] labels, int minRun) {
        if (minRun <= 1 || labels.length == 0) {
            return labels;
        }
        int[] out = new int[labels.length];
        int n = 0;
        int longestStart = 0;
        int longestLength = 0;
        for (int a = 0; a < labels.length;) {
            int b = a;
            while (b < labels.length && labels[b] == labels[a]) {
                b++;
            }
            if (b - a >= minRun) {
                System.arraycopy(labels, a, out, n, b - a);
                n += b - a;
            }
            if (b - a > longestLength) {
                longestStart = a;
                longestLength = b - a;
            }
            a = b;
        }
        if (n == 0) {
            return Arrays.copyOfRange(labels, longestStart, longestStart + longestLength);
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * (Substitutions + deletions + insertions) / reference symbols, summed over all utterances, by Levenshtein
     * distance (all three costs 1).
     */
    static double errorRate(List<int[]> references, List<int[]> hypotheses) {
        long errors = 0;
        long symbols = 0;
        for (int u = 0; u < references.size(); u++) {
            int[] r = references.get(u);
            int[] h = hypotheses.get(u);
            int[] prev = new int[h.length + 1];
            int[] cur = new int[h.length + 1];
            for (int j = 0; j <= h.length; j++) {
                prev[j] = j;
            }
            for (int i = 1; i <= r.length; i++) {
                cur[0] = i;
                for (int j = 1; j <= h.length; j++) {
                    cur[j] = Math.min(prev[j - 1] + (r[i - 1] == h[j - 1] ? 0 : 1), Math.min(prev[j], cur[j - 1]) + 1);
                }
                int[] t = prev;
                prev = cur;
                cur = t;
            }
            errors += prev[h.length];
            symbols += r.length;
        }
        return symbols == 0 ? Double.NaN : errors / (double) symbols;
    }
}

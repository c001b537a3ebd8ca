package org.hybridbench.crf;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Decoding constraints on top of a CRF's own structure: transitions forbidden for this decoding (their score
 * becomes −∞) and, per position, the set of allowed tags (every other tag's unary becomes −∞), e.g. from a
 * dictionary or partial annotation. Mutable while being built; the decoding methods only read it.
 */
public final class Constraints {
    private final Map<Long, Boolean> forbidden = new HashMap<>();
    private final Map<Integer, int[]> allowed = new HashMap<>();

    /** No constraints. */
    public static Constraints none() {
        return new Constraints();
    }

    /** Forbids the transition {@code from → to}. */
    public Constraints forbidTransition(int from, int to) {
        if (from < 0 || to < 0) {
            throw new IllegalArgumentException("negative tag in forbidden transition " + from + "→" + to);
        }
        forbidden.put(((long) from << 32) | to, Boolean.TRUE);
        return this;
    }

    /** Only {@code tags} are allowed at {@code position} (replaces an earlier set for that position). */
    public Constraints allowOnly(int position, int... tags) {
        if (position < 0) {
            throw new IllegalArgumentException("negative position " + position);
        }
        allowed.put(position, tags.clone());
        return this;
    }

    boolean isEmpty() {
        return forbidden.isEmpty() && allowed.isEmpty();
    }

    /** Sets forbidden entries of a K × K row-major transition score array to −∞. */
    void applyToTransitions(double[] transition, int k) {
        for (Long key : forbidden.keySet()) {
            int from = (int) (key >>> 32);
            int to = (int) (key & 0xffffffffL);
            if (from >= k || to >= k) {
                throw new IllegalArgumentException("forbidden transition " + from + "→" + to + " outside the " + k + " tags");
            }
            transition[from * k + to] = Double.NEGATIVE_INFINITY;
        }
    }

    /** Sets disallowed tags of a T × K row-major unary array to −∞; positions beyond T are an error. */
    void applyToUnaries(double[] unary, int length, int k) {
        for (Map.Entry<Integer, int[]> e : allowed.entrySet()) {
            int t = e.getKey();
            if (t >= length) {
                throw new IllegalArgumentException("allowed tags given for position " + t + " of a sentence of length " + length);
            }
            boolean[] ok = new boolean[k];
            for (int tag : e.getValue()) {
                if (tag < 0 || tag >= k) {
                    throw new IllegalArgumentException("allowed tag " + tag + " at position " + t + " outside [0, " + k + ")");
                }
                ok[tag] = true;
            }
            for (int j = 0; j < k; j++) {
                if (!ok[j]) {
                    unary[t * k + j] = Double.NEGATIVE_INFINITY;
                }
            }
        }
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Constraints[forbidden=");
        forbidden.keySet().forEach(key -> b.append(key >>> 32).append("→").append(key & 0xffffffffL).append(' '));
        b.append(", allowed=");
        allowed.forEach((t, tags) -> b.append(t).append(':').append(Arrays.toString(tags)).append(' '));
        return b.append(']').toString();
    }
}

package org.hybridbench.phone;

import java.util.ArrayList;
import java.util.List;

import org.hybridbench.api.model.LabelledSequences;

/**
 * An utterance's phone transcript, read from its frame labels: the labels with runs collapsed (a a b b b a →
 * a b a). So a transcript never holds the same phone twice in a row; the phone loop relies on that.
 */
final class Transcripts {
    private Transcripts() {
    }

    /** The transcript of utterance {@code u}: its frame labels with runs collapsed. */
    static int[] of(LabelledSequences data, int u) {
        int[] states = data.states();
        int offset = data.observations().offset(u);
        int length = data.observations().length(u);
        if (states == null) {
            throw new IllegalArgumentException(data.name() + ": utterance " + u + " has no phone labels to read its transcript from");
        }
        int[] out = new int[length];
        int n = 0;
        for (int t = 0; t < length; t++) {
            int s = states[offset + t];
            if (s == LabelledSequences.UNLABELLED) {
                throw new IllegalArgumentException(data.name() + ": utterance " + u + ", frame " + t
                        + " has no phone label, so the utterance has no transcript");
            }
            if (n == 0 || out[n - 1] != s) {
                out[n++] = s;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** The transcripts of every utterance. */
    static List<int[]> all(LabelledSequences data) {
        List<int[]> out = new ArrayList<>(data.size());
        for (int u = 0; u < data.size(); u++) {
            out.add(of(data, u));
        }
        return out;
    }
}

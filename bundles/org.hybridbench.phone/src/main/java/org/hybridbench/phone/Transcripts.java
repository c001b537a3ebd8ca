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

    /**
     * The utterances of {@code data} too short for their transcript's left-to-right HMM (fewer frames than the N phones ×
     * S states it must pass through), one line each naming the utterance, its frames and the minimum; empty frames
     * (nothing to align) are not listed.
     */
    static List<String> tooShort(LabelledSequences data, List<int[]> transcripts, int statesPerPhone) {
        List<String> out = new ArrayList<>();
        for (int u = 0; u < transcripts.size(); u++) {
            int t = data.observations().length(u);
            int need = transcripts.get(u).length * statesPerPhone;
            if (t > 0 && t < need) {
                out.add(data.name() + ": utterance " + u + " has " + t + " frames, fewer than the " + need + " states of its transcript's HMM ("
                        + transcripts.get(u).length + " phones x " + statesPerPhone + " states)");
            }
        }
        return out;
    }

    /**
     * Applies the {@code shortUtterances} setting: {@code error} fails naming the first too-short utterance (and how many
     * there are); {@code skip} logs every one (the trainer leaves them out) and returns normally.
     */
    static void checkShort(String type, String policy, List<String> tooShort, org.hybridbench.api.RunContext ctx)
            throws org.hybridbench.api.StageException {
        if (tooShort.isEmpty()) {
            return;
        }
        if (policy.equals("error")) {
            throw new org.hybridbench.api.StageException(type + ": " + tooShort.get(0) + (tooShort.size() > 1 ? " (and "
                    + (tooShort.size() - 1) + " more)" : "") + "; drop such utterances, use fewer states per phone, or set "
                    + "shortUtterances = skip");
        }
        for (String line : tooShort) {
            ctx.log(type + ": skipped: " + line);
        }
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

package org.hybridbench.api.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.hybridbench.api.data.SequenceBatch;

/**
 * Sequences of observation vectors for sequence models (HMMs, CRFs), each position optionally labelled with its
 * hidden state. {@code states} runs parallel to the positions of {@code observations} (all sequences end to
 * end); {@link #UNLABELLED} marks a position whose state is not known, so a data set may be fully labelled
 * (supervised), partly labelled (semi-supervised) or not at all.
 */
public final class LabelledSequences {
    /** The state value of a position whose state is unknown. */
    public static final int UNLABELLED = -1;

    private final String name;
    private final SequenceBatch observations;
    private final int[] states;
    private final List<String> stateNames;
    private final Map<String, String> provenance;

    /**
     * @param states one per position (length {@code observations.totalLength()}), each {@link #UNLABELLED} or in
     *            [0, stateNames.size()); or {@code null} when nothing is labelled
     * @param stateNames names of the labelled states (may be empty when {@code states} is null)
     */
    public LabelledSequences(String name, SequenceBatch observations, int[] states, List<String> stateNames,
            Map<String, String> provenance) {
        this.name = Objects.requireNonNull(name, "name");
        this.observations = Objects.requireNonNull(observations, "observations");
        if (states != null) {
            if (states.length != observations.totalLength()) {
                throw new IllegalArgumentException(name + ": " + observations.totalLength() + " positions but " + states.length
                        + " state labels");
            }
            for (int i = 0; i < states.length; i++) {
                if (states[i] != UNLABELLED && (states[i] < 0 || states[i] >= stateNames.size())) {
                    throw new IllegalArgumentException(name + ": state " + states[i] + " at position " + i + " is outside [0, "
                            + stateNames.size() + ")");
                }
            }
        }
        this.states = states;
        this.stateNames = List.copyOf(stateNames);
        this.provenance = Map.copyOf(provenance);
    }

    public String name() {
        return name;
    }

    public SequenceBatch observations() {
        return observations;
    }

    /** Number of sequences. */
    public int size() {
        return observations.size();
    }

    /** The state labels of all positions (not a copy), or {@code null} when unlabelled. */
    public int[] states() {
        return states;
    }

    /** True when at least one position of sequence {@code i} is labelled. */
    public boolean isLabelled(int i) {
        if (states == null) {
            return false;
        }
        for (int p = observations.offset(i), end = p + observations.length(i); p < end; p++) {
            if (states[p] != UNLABELLED) {
                return true;
            }
        }
        return false;
    }

    public List<String> stateNames() {
        return stateNames;
    }

    public Map<String, String> provenance() {
        return provenance;
    }
}

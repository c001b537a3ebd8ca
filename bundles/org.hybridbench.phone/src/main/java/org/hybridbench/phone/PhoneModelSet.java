package org.hybridbench.phone;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.hybridbench.api.model.EmissionModel;

/**
 * A set of left-to-right phone HMMs: phone p has states (p, 0) … (p, S−1); state (p, s) stays with probability
 * {@link #selfLoop(int, int)} a_ps and otherwise moves on, to (p, s+1), or, from the last state, out of the phone
 * (to the next phone's first state, or out of the utterance). Emission state (p, s) is state p·S + s of one shared
 * {@link EmissionModel} with P·S states. The training transcripts are kept for the decoder's phone language model.
 */
public final class PhoneModelSet {
    private final List<String> phones;
    private final int statesPerPhone;
    private final double[] selfLoop;
    private final EmissionModel emission;
    private final List<int[]> trainingTranscripts;

    /**
     * @param phones the phone names (P)
     * @param selfLoop P·S self-loop probabilities, in [0, 1), indexed p·S + s (copied)
     * @param emission P·S states, state p·S + s emitting for (p, s)
     * @param trainingTranscripts phone-id sequences the models were trained on (copied; for a language model)
     */
    public PhoneModelSet(List<String> phones, int statesPerPhone, double[] selfLoop, EmissionModel emission,
            List<int[]> trainingTranscripts) {
        if (statesPerPhone < 1) {
            throw new IllegalArgumentException("states per phone must be at least 1, was " + statesPerPhone);
        }
        int k = phones.size() * statesPerPhone;
        if (selfLoop.length != k) {
            throw new IllegalArgumentException(phones.size() + " phones × " + statesPerPhone + " states need " + k
                    + " self-loop probabilities, got " + selfLoop.length);
        }
        if (emission.numStates() != k) {
            throw new IllegalArgumentException(phones.size() + " phones × " + statesPerPhone + " states need an emission model with "
                    + k + " states, got " + emission.numStates());
        }
        this.phones = List.copyOf(phones);
        this.statesPerPhone = statesPerPhone;
        this.selfLoop = selfLoop.clone();
        for (int i = 0; i < k; i++) {
            checkSelfLoop(i, selfLoop[i]);
        }
        this.emission = emission;
        List<int[]> t = new ArrayList<>();
        for (int[] a : trainingTranscripts) {
            t.add(a.clone());
        }
        this.trainingTranscripts = List.copyOf(t);
    }

    private void checkSelfLoop(int state, double a) {
        if (!(a >= 0 && a < 1)) {
            throw new IllegalArgumentException("self-loop probability of phone " + phones.get(state / statesPerPhone) + " state "
                    + state % statesPerPhone + " is " + a + ", outside [0, 1)");
        }
    }

    public List<String> phones() {
        return phones;
    }

    public int numPhones() {
        return phones.size();
    }

    public int statesPerPhone() {
        return statesPerPhone;
    }

    /** P·S, the emission model's state count. */
    public int numStates() {
        return selfLoop.length;
    }

    /** The emission state of (phone, state): phone · S + state. */
    public int emissionState(int phone, int state) {
        return phone * statesPerPhone + state;
    }

    public double selfLoop(int phone, int state) {
        return selfLoop[emissionState(phone, state)];
    }

    /** All self-loop probabilities, indexed p·S + s (a copy). */
    public double[] selfLoops() {
        return selfLoop.clone();
    }

    /** Replaces the self-loop probabilities (after an M-step or from a checkpoint). */
    void setSelfLoops(double[] a) {
        if (a.length != selfLoop.length) {
            throw new IllegalArgumentException("expected " + selfLoop.length + " self-loop probabilities, got " + a.length);
        }
        for (int i = 0; i < a.length; i++) {
            checkSelfLoop(i, a[i]);
        }
        System.arraycopy(a, 0, selfLoop, 0, a.length);
    }

    public EmissionModel emission() {
        return emission;
    }

    /** The transcripts the set was trained on (not copies; do not change them). */
    public List<int[]> trainingTranscripts() {
        return trainingTranscripts;
    }

    @Override
    public String toString() {
        return "PhoneModelSet[" + phones.size() + " phones × " + statesPerPhone + " states, self-loops "
                + Arrays.toString(Arrays.copyOf(selfLoop, Math.min(6, selfLoop.length))) + "…]";
    }
}

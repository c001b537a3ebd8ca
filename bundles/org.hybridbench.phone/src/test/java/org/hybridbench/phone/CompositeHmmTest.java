package org.hybridbench.phone;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.ChainMarginals;
import org.junit.jupiter.api.Test;

/**
 * The composite utterance HMM against enumeration: log p(y | transcript) = log Σ over every segmentation of the
 * transcript's phone states (each state ≥ 1 frame, in order) of Π a^(d−1) (1 − a) Π b, and the expected frames per
 * phone state; the chain inference must agree in scaled and log numerics.
 */
class CompositeHmmTest {

    @Test
    void forwardBackwardEqualsEnumerationOfAllSegmentations() {
        Random rng = new Random(11);
        int[][] transcripts = {{0}, {1, 0}, {0, 1, 0}, {0, 0}, {1, 0, 1}};
        int cases = 0;
        for (int trial = 0; trial < 8; trial++) {
            PhoneModelSet m = Tiny.random(2, 2, rng);
            for (int[] tr : transcripts) {
                for (int frames = tr.length * 2; frames <= 7; frames++) {
                    Matrix y = Tiny.observations(frames, rng);
                    Matrix logB = Tiny.logB(m, y);
                    int[] e = CompositeHmm.emissionStates(m, tr);
                    List<Double> scores = new ArrayList<>();
                    List<int[]> paths = new ArrayList<>();
                    for (int[] d : Tiny.durations(e.length, frames)) {
                        double s = 0;
                        int[] path = new int[frames];
                        int t = 0;
                        for (int j = 0; j < e.length; j++) {
                            double a = m.selfLoops()[e[j]];
                            s += (d[j] - 1) * Math.log(a) + Math.log(1 - a);
                            for (int r = 0; r < d[j]; r++, t++) {
                                s += logB.get(t, e[j]);
                                path[t] = e[j];
                            }
                        }
                        scores.add(s);
                        paths.add(path);
                    }
                    double logZ = Tiny.logSumExp(scores);
                    double[][] occupancy = new double[frames][m.numStates()];
                    for (int i = 0; i < paths.size(); i++) {
                        double w = Math.exp(scores.get(i) - logZ);
                        for (int t = 0; t < frames; t++) {
                            occupancy[t][paths.get(i)[t]] += w;
                        }
                    }
                    for (var chain : List.of(Tiny.CHAIN, Tiny.CHAIN_LOG)) {
                        ChainMarginals g = chain.marginals(CompositeHmm.potentials(m, tr, logB));
                        assertEquals(logZ, g.logPartition(), 1e-10 * Math.max(1, Math.abs(logZ)));
                        for (int t = 0; t < frames; t++) {
                            double[] perState = new double[m.numStates()];
                            for (int j = 0; j < e.length; j++) {
                                perState[e[j]] += g.posteriors().get(t, j);
                            }
                            for (int s = 0; s < m.numStates(); s++) {
                                assertEquals(occupancy[t][s], perState[s], 1e-10, "frame " + t + ", state " + s);
                            }
                        }
                    }
                    cases++;
                }
            }
        }
        assertEquals(8 * (6 + 4 + 2 + 4 + 2), cases);
    }

    @Test
    void transcriptsAreTheFrameLabelsWithRunsCollapsed() {
        var obs = new org.hybridbench.api.data.SequenceBatch(1, new int[] {6, 0, 1}, new double[7]);
        var data = new org.hybridbench.api.model.LabelledSequences("s", obs, new int[] {2, 2, 0, 0, 0, 2, 1}, List.of("a", "b", "c"),
                java.util.Map.of());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {2, 0, 2}, Transcripts.of(data, 0));
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[0], Transcripts.of(data, 1));
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {1}, Transcripts.of(data, 2));
        var unlabelled = new org.hybridbench.api.model.LabelledSequences("s", obs, new int[] {2, 2, -1, 0, 0, 2, 1},
                List.of("a", "b", "c"), java.util.Map.of());
        var ex = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Transcripts.of(unlabelled, 0));
        assertEquals("s: utterance 0, frame 2 has no phone label, so the utterance has no transcript", ex.getMessage());
    }
}

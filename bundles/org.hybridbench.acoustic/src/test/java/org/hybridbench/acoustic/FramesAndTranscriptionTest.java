package org.hybridbench.acoustic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.data.SequenceBatch;
import org.hybridbench.api.model.LabelledSequences;
import org.junit.jupiter.api.Test;

/** Splicing, standardisation and the baseline's transcriptions on hand-made cases. */
class FramesAndTranscriptionTest {

    @Test
    void standardisationUsesTrainingMeanAndDeviation() {
        // feature 0: 1, 3 → mean 2, sd 1; feature 1 constant 5 → only centred
        SequenceBatch b = new SequenceBatch(2, new int[] {1, 1}, new double[] {1, 5, 3, 5});
        Standardization s = Standardization.fit(b);
        assertArrayEquals(new double[] {2, 5}, s.mean(), 1e-15);
        assertArrayEquals(new double[] {1, 1}, s.sd(), 1e-15);
        assertArrayEquals(new double[] {-1, 0, 1, 0}, s.apply(b), 1e-15);
        SequenceBatch other = new SequenceBatch(2, new int[] {1}, new double[] {6, 7});
        assertArrayEquals(new double[] {4, 2}, s.apply(other), 1e-15);
    }

    @Test
    void splicingRepeatsTheUtteranceEdgeFrames() {
        // two utterances of one feature: [10, 20, 30] and [40]; identity standardisation
        SequenceBatch b = new SequenceBatch(1, new int[] {3, 1}, new double[] {10, 20, 30, 40});
        SplicedFrames f = new SplicedFrames(b, new Standardization(new double[] {0}, new double[] {1}), 2);
        assertEquals(5, f.width);
        Matrix m = f.rows(0, 4);
        assertArrayEquals(new double[] {10, 10, 10, 20, 30}, m.row(0));
        assertArrayEquals(new double[] {10, 10, 20, 30, 30}, m.row(1));
        assertArrayEquals(new double[] {10, 20, 30, 30, 30}, m.row(2));
        assertArrayEquals(new double[] {40, 40, 40, 40, 40}, m.row(3), "a one-frame utterance never borrows its neighbour's frames");
        Matrix picked = f.rows(new int[] {3, 1}, 0, 2);
        assertArrayEquals(m.row(3), picked.row(0));
        assertArrayEquals(m.row(1), picked.row(1));
    }

    @Test
    void splicingKeepsFeatureOrderWithinEachFrame() {
        SequenceBatch b = new SequenceBatch(2, new int[] {2}, new double[] {1, 2, 3, 4});
        SplicedFrames f = new SplicedFrames(b, new Standardization(new double[] {0, 0}, new double[] {1, 1}), 1);
        assertArrayEquals(new double[] {1, 2, 1, 2, 3, 4}, f.rows(0, 1).row(0));
        assertArrayEquals(new double[] {1, 2, 3, 4, 3, 4}, f.rows(1, 2).row(0));
    }

    @Test
    void transcriptionsCollapseRunsAndDropShortOnes() {
        assertArrayEquals(new int[] {1, 2, 1}, Transcription.collapse(new int[] {1, 1, 2, 2, 2, 1}));
        assertArrayEquals(new int[0], Transcription.collapse(new int[0]));
        int[] labels = {0, 0, 0, 3, 0, 0, 2, 2, 2, 1};
        assertArrayEquals(labels, Transcription.smooth(labels, 1));
        // runs: 0×3, 3×1, 0×2, 2×3, 1×1 → minRun 2 drops the 3 and the 1; the two runs of 0 then merge
        assertArrayEquals(new int[] {0, 2}, Transcription.collapse(Transcription.smooth(labels, 2)));
        assertArrayEquals(new int[] {0, 2}, Transcription.collapse(Transcription.smooth(labels, 3)));
        // nothing reaches 4 frames: the longest run (the first of the two of length 3) stays
        assertArrayEquals(new int[] {0, 0, 0}, Transcription.smooth(labels, 4));
    }

    @Test
    void errorRateCountsSubstitutionsDeletionsAndInsertions() {
        // ref a b c d vs hyp a x c: one substitution, one deletion → 2 / 4; ref a b vs hyp a b b: one insertion → 1 / 2
        double per = Transcription.errorRate(List.of(new int[] {0, 1, 2, 3}, new int[] {0, 1}),
                List.of(new int[] {0, 4, 2}, new int[] {0, 1, 1}));
        assertEquals(3 / 6.0, per, 1e-15);
        assertEquals(1.0, Transcription.errorRate(List.of(new int[] {1, 2}), List.of(new int[0])), 1e-15);
    }

    @Test
    void syntheticDataIsLabelledInRuns() {
        LabelledSequences d = Synthetic.data("x", 3, 4, 2, 1, 1);
        assertEquals(Map.of("source", "synthetic"), d.provenance());
        assertEquals(d.observations().totalLength(), d.states().length);
    }
}

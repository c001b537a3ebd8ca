package org.hybridbench.acoustic;

import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.data.SequenceBatch;

/**
 * The network's input rows for the frames of one split: frame t of an utterance becomes the standardised frames
 * t − context … t + context laid side by side ((2·context + 1) × d values), where a frame outside the utterance is
 * replaced by the utterance's nearest edge frame (the first or last). Rows are made on demand for a mini-batch, not
 * stored: the full splice of a corpus is (2·context + 1) times the size of its frames.
 */
final class SplicedFrames {
    final int dimension;
    final int context;
    final int width;
    private final double[] frames;
    /** First and last frame (global indices) of the utterance each frame belongs to. */
    private final int[] first;
    private final int[] last;

    SplicedFrames(SequenceBatch observations, Standardization standardization, int context) {
        if (observations.dimension() != standardization.dimension()) {
            throw new IllegalArgumentException(observations.dimension() + " features per frame, the standardisation has "
                    + standardization.dimension());
        }
        this.dimension = observations.dimension();
        this.context = context;
        this.width = Math.multiplyExact(dimension, 2 * context + 1);
        this.frames = standardization.apply(observations);
        int n = observations.totalLength();
        this.first = new int[n];
        this.last = new int[n];
        for (int u = 0; u < observations.size(); u++) {
            int a = observations.offset(u);
            int b = a + observations.length(u) - 1;
            for (int t = a; t <= b; t++) {
                first[t] = a;
                last[t] = b;
            }
        }
    }

    int frameCount() {
        return first.length;
    }

    /** Rows for frames {@code index[from]} … {@code index[to − 1]} (global frame indices). */
    Matrix rows(int[] index, int from, int to) {
        Matrix m = new Matrix(to - from, width);
        double[] out = m.data();
        for (int r = 0; r < to - from; r++) {
            int t = index[from + r];
            for (int w = -context; w <= context; w++) {
                int src = Math.min(last[t], Math.max(first[t], t + w));
                System.arraycopy(frames, src * dimension, out, r * width + (w + context) * dimension, dimension);
            }
        }
        return m;
    }

    /** Rows for the consecutive frames {@code from} … {@code to − 1}. */
    Matrix rows(int from, int to) {
        int[] index = new int[to - from];
        for (int i = 0; i < index.length; i++) {
            index[i] = from + i;
        }
        return rows(index, 0, index.length);
    }
}

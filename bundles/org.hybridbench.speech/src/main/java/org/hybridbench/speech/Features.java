package org.hybridbench.speech;

import java.util.List;
import java.util.Map;

import org.hybridbench.api.data.SequenceBatch;
import org.hybridbench.api.model.LabelledSequences;

/**
 * Utterances (static cepstra as stored) to the sequences a model reads: deltas and delta-deltas appended, then
 * mean/variance normalisation. {@code utterance}: every dimension of an utterance to mean 0, variance 1 over its own
 * frames (cepstral mean and variance normalisation, which removes much of the speaker and channel); {@code train}:
 * the mean and variance of the training split applied to every split; {@code none}. Variances are floored at
 * 1e-8 so constant dimensions do not divide by zero.
 */
final class Features {
    private Features() {
    }

    /** Statistics for global normalisation: per-dimension mean and standard deviation. */
    record Stats(double[] mean, double[] sd) {
    }

    /** The observation vectors of the utterances, end to end (frames × dimension), before normalisation. */
    static double[] vectors(List<Utterance> utterances, int cepstra, boolean deltas) {
        int dim = deltas ? 3 * cepstra : cepstra;
        long total = 0;
        for (Utterance u : utterances) {
            total += u.frames();
        }
        double[] out = new double[Math.toIntExact(total * dim)];
        int at = 0;
        for (Utterance u : utterances) {
            double[] s = new double[u.statics().length];
            for (int i = 0; i < s.length; i++) {
                s[i] = u.statics()[i];
            }
            double[] v = deltas ? Mfcc.withDeltas(s, u.frames(), cepstra, Mfcc.Options.standard().deltaWindow()) : s;
            System.arraycopy(v, 0, out, at, v.length);
            at += v.length;
        }
        return out;
    }

    static Stats stats(double[] data, int dim, int from, int to) {
        double[] mean = new double[dim];
        double[] sd = new double[dim];
        int n = to - from;
        for (int r = from; r < to; r++) {
            for (int q = 0; q < dim; q++) {
                mean[q] += data[r * dim + q];
            }
        }
        for (int q = 0; q < dim; q++) {
            mean[q] /= Math.max(1, n);
        }
        for (int r = from; r < to; r++) {
            for (int q = 0; q < dim; q++) {
                double d = data[r * dim + q] - mean[q];
                sd[q] += d * d;
            }
        }
        for (int q = 0; q < dim; q++) {
            sd[q] = Math.sqrt(Math.max(sd[q] / Math.max(1, n), 1e-8));
        }
        return new Stats(mean, sd);
    }

    static void apply(double[] data, int dim, int from, int to, Stats s) {
        for (int r = from; r < to; r++) {
            for (int q = 0; q < dim; q++) {
                data[r * dim + q] = (data[r * dim + q] - s.mean()[q]) / s.sd()[q];
            }
        }
    }

    /**
     * Labelled sequences of the utterances.
     *
     * @param normalize {@code none}, {@code utterance}, or {@code train} (then {@code global} must be given)
     */
    static LabelledSequences sequences(String name, List<Utterance> utterances, int cepstra, boolean deltas, String normalize,
            Stats global, Map<String, String> provenance) {
        int dim = deltas ? 3 * cepstra : cepstra;
        double[] data = vectors(utterances, cepstra, deltas);
        int[] lengths = new int[utterances.size()];
        int[] states = new int[data.length / dim];
        int row = 0;
        for (int i = 0; i < lengths.length; i++) {
            Utterance u = utterances.get(i);
            lengths[i] = u.frames();
            if (normalize.equals("utterance")) {
                apply(data, dim, row, row + u.frames(), stats(data, dim, row, row + u.frames()));
            }
            for (int t = 0; t < u.frames(); t++) {
                states[row + t] = u.labels()[t];
            }
            row += u.frames();
        }
        if (normalize.equals("train")) {
            apply(data, dim, 0, row, global);
        }
        return new LabelledSequences(name, new SequenceBatch(dim, lengths, data), states, Phones.SET, provenance);
    }
}

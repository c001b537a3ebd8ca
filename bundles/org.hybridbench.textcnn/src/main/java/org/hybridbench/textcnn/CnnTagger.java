package org.hybridbench.textcnn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.data.TaggedSentences;
import org.hybridbench.api.model.ParameterBlock;
import org.hybridbench.api.model.StructuredLoss;

/**
 * A CNN encoder under a structured loss, trained end to end: scores = encoder(sentences), the loss returns d loss /
 * d scores ("scores in, gradients out"; a CRF: marginals − gold indicators, Collobert et al. 2011 eq. 12–13; a
 * softmax: probabilities − gold indicators), the encoder back-propagates it. The loss's own parameters (a CRF's
 * transition, start and end scores) are trained alongside.
 */
final class CnnTagger {
    final CnnEncoder encoder;
    final StructuredLoss loss;
    final List<ParameterBlock> blocks;

    /** Time spent in the loss (forward-backward + its gradient) and in the network, for throughput reports. */
    long lossNanos;
    long networkNanos;

    CnnTagger(CnnEncoder encoder, StructuredLoss loss) {
        this.encoder = encoder;
        this.loss = loss;
        List<ParameterBlock> all = new ArrayList<>(encoder.parameters());
        all.addAll(loss.parameters());
        this.blocks = List.copyOf(all);
    }

    /** A data set as feature ids, tags and sentence offsets. */
    final class Data {
        final TaggedSentences sentences;
        final int[][] ids;
        final int[] tags;
        final int[] offsets;

        Data(TaggedSentences s) {
            this.sentences = s;
            this.ids = encoder.features.encode(s);
            this.offsets = new int[s.size() + 1];
            this.tags = new int[s.totalTokens()];
            for (int i = 0; i < s.size(); i++) {
                offsets[i + 1] = offsets[i] + s.length(i);
                System.arraycopy(s.tags(i), 0, tags, offsets[i], s.length(i));
            }
        }

        int size() {
            return sentences.size();
        }

        int tokens() {
            return tags.length;
        }
    }

    /**
     * Loss of the sentences {@code batch} of {@code data} and, with {@code gradient}, its gradient (scaled by
     * {@code scale}) in every block. Rare words are replaced by the unknown word with probability {@code unkRate} when
     * {@code rng} is given (training), so the unknown word's embedding learns what unseen test words look like.
     *
     * @return the summed (unscaled) loss of the batch
     */
    double lossAndGradient(Data data, int[] batch, double scale, boolean gradient, SplittableRandom rng, double unkRate) {
        int[] starts = new int[batch.length];
        int[] lengths = new int[batch.length];
        int rows = 0;
        for (int b = 0; b < batch.length; b++) {
            starts[b] = data.offsets[batch[b]];
            lengths[b] = data.offsets[batch[b] + 1] - starts[b];
            rows += lengths[b];
        }
        int[] targets = new int[rows];
        int[] wordIds = rng == null ? null : new int[rows];
        int r = 0;
        for (int b = 0; b < batch.length; b++) {
            System.arraycopy(data.tags, starts[b], targets, r, lengths[b]);
            if (wordIds != null) {
                for (int t = 0; t < lengths[b]; t++) {
                    int id = data.ids[0][starts[b] + t];
                    wordIds[r + t] = unkRate > 0 && encoder.features.trainingCount(id) == 1 && rng.nextDouble() < unkRate
                            ? TokenFeatures.UNKNOWN : id;
                }
            }
            r += lengths[b];
        }
        long t0 = System.nanoTime();
        Matrix scores = encoder.forward(data.ids, starts, lengths, wordIds, gradient);
        long t1 = System.nanoTime();
        for (ParameterBlock p : loss.parameters()) {
            Arrays.fill(p.gradient(), 0);
        }
        Matrix g = gradient ? new Matrix(rows, encoder.tags) : null;
        double[] losses = loss.lossAndGradient(scores, lengths, targets, g);
        long t2 = System.nanoTime();
        double sum = 0;
        for (double l : losses) {
            sum += l;
        }
        if (gradient) {
            double[] gd = g.data();
            for (int i = 0; i < gd.length; i++) {
                gd[i] *= scale;
            }
            for (ParameterBlock p : loss.parameters()) {
                double[] pg = p.gradient();
                for (int i = 0; i < pg.length; i++) {
                    pg[i] *= scale;
                }
            }
            encoder.backward(g);
        }
        long t3 = System.nanoTime();
        lossNanos += t2 - t1;
        networkNanos += (t1 - t0) + (t3 - t2);
        return sum;
    }

    /** Predicted tags of every token of {@code data} (the loss's decoder: Viterbi for a CRF), in chunks of sentences. */
    int[] decode(Data data, int chunk) {
        int[] out = new int[data.tokens()];
        for (int from = 0; from < data.size(); from += chunk) {
            int to = Math.min(data.size(), from + chunk);
            int[] starts = new int[to - from];
            int[] lengths = new int[to - from];
            for (int i = from; i < to; i++) {
                starts[i - from] = data.offsets[i];
                lengths[i - from] = data.offsets[i + 1] - data.offsets[i];
            }
            Matrix scores = encoder.forward(data.ids, starts, lengths, null, false);
            int[] tags = loss.decode(scores, lengths);
            System.arraycopy(tags, 0, out, data.offsets[from], tags.length);
        }
        return out;
    }
}

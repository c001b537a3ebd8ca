package org.hybridbench.api.model;

import java.util.Arrays;
import java.util.List;

import org.hybridbench.api.data.Matrix;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The graphical-model end of a hybrid: takes a network's per-position scores and returns a loss and its
 * gradient with respect to those scores ("scores in, gradients out"). For an HMM whose scores are log b the
 * gradient of −log p(y) is −γ; for a CRF it is expected − observed counts. The network back-propagates it; the
 * loss's own parameters (a CRF's transition scores) are trained by the same optimizer through
 * {@link #parameters()}.
 */
@ConsumerType
public interface StructuredLoss {

    /**
     * @param scores T × K scores of one sequence
     * @param targets reference labels per position, or {@code null} for unsupervised losses
     * @param gradient T × K, overwritten with d loss / d scores
     * @return the loss (to be minimised)
     */
    double lossAndGradient(Matrix scores, int[] targets, Matrix gradient);

    /**
     * A ragged mini-batch: sequences end to end, as a network produces them for a batch. The default runs
     * {@link #lossAndGradient(Matrix, int[], Matrix)} sequence by sequence; implementations batch the inference.
     *
     * @param scores (Σ lengths) × K scores
     * @param lengths length of every sequence (0 allowed: loss 0)
     * @param targets Σ lengths reference labels end to end, or {@code null}
     * @param gradient (Σ lengths) × K, overwritten with d loss / d scores; {@code null} when only losses are needed
     * @return the loss of every sequence
     */
    default double[] lossAndGradient(Matrix scores, int[] lengths, int[] targets, Matrix gradient) {
        int k = scores.cols();
        double[] losses = new double[lengths.length];
        int offset = 0;
        for (int b = 0; b < lengths.length; b++) {
            int t = lengths[b];
            if (t < 0 || offset + t > scores.rows()) {
                throw new IllegalArgumentException("sequence " + b + ": length " + t + " does not fit the " + scores.rows()
                        + " score rows after offset " + offset);
            }
            Matrix s = new Matrix(t, k, Arrays.copyOfRange(scores.data(), offset * k, (offset + t) * k));
            Matrix g = new Matrix(t, k);
            losses[b] = lossAndGradient(s, targets == null ? null : Arrays.copyOfRange(targets, offset, offset + t), g);
            if (gradient != null) {
                System.arraycopy(g.data(), 0, gradient.data(), offset * k, t * k);
            }
            offset += t;
        }
        return losses;
    }

    /**
     * The best label of every position under the loss's model, for a ragged batch laid out as in
     * {@link #lossAndGradient(Matrix, int[], int[], Matrix)}. The default takes each row's highest score (what a
     * per-position softmax predicts); a structured loss decodes jointly (a CRF: Viterbi, honouring its forbidden
     * transitions).
     *
     * @param scores (Σ lengths) × K scores
     * @param lengths length of every sequence (0 allowed)
     * @return Σ lengths labels, end to end
     */
    default int[] decode(Matrix scores, int[] lengths) {
        int k = scores.cols();
        int total = 0;
        for (int b = 0; b < lengths.length; b++) {
            if (lengths[b] < 0) {
                throw new IllegalArgumentException("sequence " + b + ": negative length " + lengths[b]);
            }
            total += lengths[b];
        }
        if (total != scores.rows()) {
            throw new IllegalArgumentException("the lengths add up to " + total + " positions but there are " + scores.rows()
                    + " score rows");
        }
        double[] s = scores.data();
        int[] out = new int[total];
        for (int r = 0; r < total; r++) {
            int best = 0;
            for (int j = 1; j < k; j++) {
                if (s[r * k + j] > s[r * k + best]) {
                    best = j;
                }
            }
            out[r] = best;
        }
        return out;
    }

    /** The loss's own trainable parameters (e.g. transition scores), as views; none by default. */
    default List<ParameterBlock> parameters() {
        return List.of();
    }
}

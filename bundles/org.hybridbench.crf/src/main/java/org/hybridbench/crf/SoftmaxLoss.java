package org.hybridbench.crf;

import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.ChainInputException;
import org.hybridbench.api.model.StructuredLoss;

/**
 * The word-level log-likelihood (WLL) of Collobert et al. 2011: every position is classified on its own by a
 * softmax over the K scores, loss = Σ_t −log softmax(u_t)[y_t] = Σ_t (log Σ_j exp u[t, j]) − u[t, y_t], gradient
 * d/du[t, ·] = softmax(u_t) − onehot(y_t). The CRF's sentence-level likelihood without transitions; it has no
 * parameters of its own, and decoding is the per-position argmax (the {@link StructuredLoss} default).
 *
 * <p>The log-sum-exp is shifted by the row maximum so that scores of any magnitude neither overflow nor lose the
 * target's term. Stateless, hence thread-safe.
 */
public final class SoftmaxLoss implements StructuredLoss {
    private final int k;

    public SoftmaxLoss(int numTags) {
        if (numTags < 1) {
            throw new IllegalArgumentException("a softmax loss needs at least one tag, got " + numTags);
        }
        this.k = numTags;
    }

    public int numTags() {
        return k;
    }

    /**
     * Loss and gradient of one sequence.
     *
     * @param scores T × K scores
     * @param targets T reference tags
     * @param gradient T × K, overwritten with softmax − onehot(target)
     */
    @Override
    public double lossAndGradient(Matrix scores, int[] targets, Matrix gradient) {
        if (targets != null && targets.length != scores.rows()) {
            throw new IllegalArgumentException("sequence 0: " + scores.rows() + " positions of scores but " + targets.length + " tags");
        }
        return lossAndGradient(scores, new int[] {scores.rows()}, targets, gradient)[0];
    }

    /**
     * The ragged batch (sequences end to end) in one pass; the positions are independent, so this is exactly the
     * sequence-by-sequence result.
     *
     * @param gradient (Σ lengths) × K, overwritten; {@code null} when only the losses are needed
     */
    @Override
    public double[] lossAndGradient(Matrix scores, int[] lengths, int[] targets, Matrix gradient) {
        int total = checkLayout(scores, lengths);
        if (targets == null) {
            throw new IllegalArgumentException("the softmax loss needs reference tags");
        }
        if (targets.length != total) {
            throw new IllegalArgumentException(total + " positions of scores but " + targets.length + " tags");
        }
        if (gradient != null && (gradient.rows() != total || gradient.cols() != k)) {
            throw new IllegalArgumentException("gradient is " + gradient + ", scores are " + scores);
        }
        double[] s = scores.data();
        double[] g = gradient == null ? null : gradient.data();
        double[] losses = new double[lengths.length];
        int row = 0;
        for (int b = 0; b < lengths.length; b++) {
            double sum = 0;
            for (int t = 0; t < lengths[b]; t++, row++) {
                int base = row * k;
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < k; j++) {
                    double v = s[base + j];
                    if (!Double.isFinite(v)) {
                        throw new ChainInputException(b, t, "sequence " + b + " position " + t + ": score of tag " + j + " is " + v
                                + " (scores must be finite)");
                    }
                    max = Math.max(max, v);
                }
                int y = targets[row];
                if (y < 0 || y >= k) {
                    throw new ChainInputException(b, t, "sequence " + b + " position " + t + ": tag " + y + " outside [0, " + k + ")");
                }
                double z = 0;
                for (int j = 0; j < k; j++) {
                    z += Math.exp(s[base + j] - max);
                }
                double logZ = Math.log(z);
                // −log p(y) = log Σ exp(u − max) − (u_y − max); z ≥ 1 because the maximum contributes exp(0)
                sum += logZ - (s[base + y] - max);
                if (g != null) {
                    for (int j = 0; j < k; j++) {
                        g[base + j] = Math.exp(s[base + j] - max - logZ);
                    }
                    g[base + y] -= 1;
                }
            }
            losses[b] = sum;
        }
        return losses;
    }

    /** The per-position argmax (the {@link StructuredLoss} default), after checking the scores have K columns. */
    @Override
    public int[] decode(Matrix scores, int[] lengths) {
        checkLayout(scores, lengths);
        return StructuredLoss.super.decode(scores, lengths);
    }

    /** Checks lengths against the rows and the columns against K; returns Σ lengths. */
    private int checkLayout(Matrix scores, int[] lengths) {
        int total = 0;
        for (int b = 0; b < lengths.length; b++) {
            if (lengths[b] < 0) {
                throw new IllegalArgumentException("sequence " + b + " has negative length " + lengths[b]);
            }
            total = Math.addExact(total, lengths[b]);
        }
        if (total != scores.rows()) {
            throw new IllegalArgumentException("sequence lengths sum to " + total + " but there are " + scores.rows() + " rows of scores");
        }
        if (scores.cols() != k) {
            throw new IllegalArgumentException("scores have " + scores.cols() + " columns, the softmax loss has " + k + " tags");
        }
        return total;
    }
}

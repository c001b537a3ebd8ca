package org.hybridbench.tagger;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.data.TaggedSentences;
import org.hybridbench.api.model.Objective;
import org.hybridbench.api.model.ParameterBlock;
import org.hybridbench.api.model.StructuredLoss;

/**
 * A feature-based tagger: unary scores u[t, k] = Σ_{f ∈ φ(x_t)} W[f, k] (binary features, so W·φ(x_t) is a sum of
 * rows of W, computed sparsely), fed to the wired {@link StructuredLoss}. With {@code loss.crf} it is a linear-chain
 * CRF whose transition, start and end scores are the loss's {@link StructuredLoss#parameters() parameter blocks}
 * {@code crf.transition} (K × K, row = from), {@code crf.start}, {@code crf.end}; with {@code loss.softmax} (no
 * blocks) it is a per-token maximum-entropy tagger. Decoding is the loss's own ({@link StructuredLoss#decode}:
 * the CRF's Viterbi with its forbidden transitions, or the per-token argmax).
 *
 * <p>Objective (minimised): Σ_sentences loss + λ/2 (‖W‖² + ‖loss blocks‖²). The gradient with respect to W is
 * Σ_t φ(x_t) ⊗ d loss / d u_t (for the CRF γ_t − onehot(y_t)), from the unary gradient the loss returns; the loss
 * adds its own blocks' gradients.
 */
final class FeatureCrf {
    final Features features;
    final int k;
    final double[] w;
    final double[] gradW;
    final StructuredLoss loss;
    final ParameterBlock weights;
    final ParameterBlock transition;
    final ParameterBlock start;
    final ParameterBlock end;
    final List<ParameterBlock> blocks;

    /**
     * @throws IllegalArgumentException when the loss does not take K columns of scores, or has a partial or
     *             mis-sized set of CRF blocks
     */
    FeatureCrf(Features features, int k, StructuredLoss loss) {
        this.features = features;
        this.k = k;
        this.loss = loss;
        this.w = new double[Math.multiplyExact(features.size(), k)];
        this.gradW = new double[w.length];
        this.weights = new ParameterBlock("tagger.W", new int[] {features.size(), k}, w, gradW);
        // a one-token probe: a loss built for another tag count refuses K columns here rather than mid-training
        loss.decode(new Matrix(1, k), new int[] {1});
        this.transition = optionalBlock(loss, "crf.transition", k * k);
        this.start = optionalBlock(loss, "crf.start", k);
        this.end = optionalBlock(loss, "crf.end", k);
        if ((transition == null) != (start == null) || (start == null) != (end == null)) {
            throw new IllegalArgumentException("the wired loss has only some of the CRF blocks crf.transition, crf.start, crf.end: "
                    + loss.parameters().stream().map(ParameterBlock::name).toList());
        }
        List<ParameterBlock> all = new ArrayList<>();
        all.add(weights);
        all.addAll(loss.parameters());
        this.blocks = List.copyOf(all);
    }

    /** The loss's block {@code name}, or null when it has none (a loss without transitions, e.g. loss.softmax). */
    private static ParameterBlock optionalBlock(StructuredLoss loss, String name, int size) {
        for (ParameterBlock b : loss.parameters()) {
            if (b.name().equals(name)) {
                if (b.size() != size) {
                    throw new IllegalArgumentException("the loss's block " + name + " has " + b.size() + " values, expected " + size);
                }
                return b;
            }
        }
        return null;
    }

    /** Whether the wired loss is a chain (CRF blocks present) rather than a per-token loss. */
    boolean hasTransitions() {
        return transition != null;
    }

    /** Unary scores of tokens [from, to) of an encoded data set, (to − from) × K. */
    Matrix scores(Features.Encoded enc, int from, int to) {
        double[] u = new double[(to - from) * k];
        int[] off = enc.offsets();
        int[] ids = enc.ids();
        for (int r = from; r < to; r++) {
            int base = (r - from) * k;
            for (int p = off[r]; p < off[r + 1]; p++) {
                int wb = ids[p] * k;
                for (int j = 0; j < k; j++) {
                    u[base + j] += w[wb + j];
                }
            }
        }
        return new Matrix(to - from, k, u);
    }

    /** Adds Σ_t φ(x_t) ⊗ g_t over tokens [from, to) into gradW. */
    void accumulate(Features.Encoded enc, int from, Matrix g) {
        double[] gd = g.data();
        int[] off = enc.offsets();
        int[] ids = enc.ids();
        for (int r = 0; r < g.rows(); r++) {
            int base = r * k;
            for (int p = off[from + r]; p < off[from + r + 1]; p++) {
                int wb = ids[p] * k;
                for (int j = 0; j < k; j++) {
                    gradW[wb + j] += gd[base + j];
                }
            }
        }
    }

    /** A training set prepared for repeated evaluation: encoded features, tags, sentence boundaries, chunks. */
    final class Data {
        final TaggedSentences sentences;
        final Features.Encoded enc;
        final int[] tags;
        final int[] sentenceOffsets;

        Data(TaggedSentences s) {
            this.sentences = s;
            this.enc = features.encode(s);
            this.tags = new int[s.totalTokens()];
            this.sentenceOffsets = new int[s.size() + 1];
            for (int i = 0; i < s.size(); i++) {
                System.arraycopy(s.tags(i), 0, tags, s.offset(i), s.length(i));
                sentenceOffsets[i + 1] = s.offset(i) + s.length(i);
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
     * The regularised loss of sentences [from, to) of {@code data}; fills every block's gradient (overwriting). The
     * penalty is scaled by {@code penaltyWeight} (1 for the full batch, |batch| / N for a mini-batch).
     */
    double lossAndGradient(Data data, int[] sentenceIds, double l2, double penaltyWeight, int chunks) {
        Arrays.fill(gradW, 0);
        for (ParameterBlock b : loss.parameters()) {
            Arrays.fill(b.gradient(), 0);
        }
        int n = sentenceIds.length;
        int c = Math.max(1, Math.min(chunks, n));
        Matrix[] grads = new Matrix[c];
        int[][] firstTokens = new int[c][];
        int[][] lens = new int[c][];
        double[] sums = new double[c];
        IntStream.range(0, c).parallel().forEach(ci -> {
            int a = (int) ((long) n * ci / c);
            int b = (int) ((long) n * (ci + 1) / c);
            int total = 0;
            int[] lengths = new int[b - a];
            int[] first = new int[b - a];
            for (int i = a; i < b; i++) {
                int s = sentenceIds[i];
                first[i - a] = data.sentenceOffsets[s];
                lengths[i - a] = data.sentenceOffsets[s + 1] - data.sentenceOffsets[s];
                total += lengths[i - a];
            }
            double[] u = new double[total * k];
            int[] y = new int[total];
            int pos = 0;
            for (int i = 0; i < lengths.length; i++) {
                Matrix si = scores(data.enc, first[i], first[i] + lengths[i]);
                System.arraycopy(si.data(), 0, u, pos * k, lengths[i] * k);
                System.arraycopy(data.tags, first[i], y, pos, lengths[i]);
                pos += lengths[i];
            }
            Matrix g = new Matrix(total, k);
            double[] losses = loss.lossAndGradient(new Matrix(total, k, u), lengths, y, g);
            double sum = 0;
            for (double l : losses) {
                sum += l;
            }
            sums[ci] = sum;
            grads[ci] = g;
            firstTokens[ci] = first;
            lens[ci] = lengths;
        });
        double f = 0;
        for (int ci = 0; ci < c; ci++) {
            f += sums[ci];
            int pos = 0;
            double[] gd = grads[ci].data();
            for (int i = 0; i < lens[ci].length; i++) {
                Matrix gi = new Matrix(lens[ci][i], k, Arrays.copyOfRange(gd, pos * k, (pos + lens[ci][i]) * k));
                accumulate(data.enc, firstTokens[ci][i], gi);
                pos += lens[ci][i];
            }
        }
        double lambda = l2 * penaltyWeight;
        if (lambda > 0) {
            for (ParameterBlock b : blocks) {
                double[] v = b.values();
                double[] g = b.gradient();
                double sq = 0;
                for (int i = 0; i < v.length; i++) {
                    sq += v[i] * v[i];
                    g[i] += lambda * v[i];
                }
                f += 0.5 * lambda * sq;
            }
        }
        return f;
    }

    /** The full-batch objective over all of {@code data}, caching the last point (a line search may re-ask). */
    Objective objective(Data data, double l2, int chunks, Runnable onEvaluate) {
        int[] all = IntStream.range(0, data.size()).toArray();
        return new Objective() {
            private double[] lastX;
            private double[] lastG;
            private double lastF;

            @Override
            public List<ParameterBlock> parameters() {
                return blocks;
            }

            @Override
            public double evaluate() {
                double[] x = gather(false);
                if (lastX != null && Arrays.equals(x, lastX)) {
                    scatterGradient(lastG);
                    return lastF;
                }
                onEvaluate.run();
                lastF = lossAndGradient(data, all, l2, 1.0, chunks);
                lastX = x;
                lastG = gather(true);
                return lastF;
            }
        };
    }

    double[] gather(boolean gradient) {
        int n = 0;
        for (ParameterBlock b : blocks) {
            n += b.size();
        }
        double[] out = new double[n];
        int p = 0;
        for (ParameterBlock b : blocks) {
            double[] src = gradient ? b.gradient() : b.values();
            System.arraycopy(src, 0, out, p, src.length);
            p += src.length;
        }
        return out;
    }

    private void scatterGradient(double[] g) {
        int p = 0;
        for (ParameterBlock b : blocks) {
            System.arraycopy(g, p, b.gradient(), 0, b.size());
            p += b.size();
        }
    }

    /**
     * The loss's decoding of every sentence of {@code data} (Viterbi for a CRF, argmax per token for a softmax):
     * predicted tag per token, end to end. Sentences go in {@code chunks} ragged batches of consecutive sentences
     * (contiguous tokens), decoded in parallel.
     */
    int[] decode(Data data, int chunks) {
        int[] out = new int[data.tokens()];
        int n = data.size();
        int c = Math.max(1, Math.min(chunks, n));
        IntStream.range(0, c).parallel().forEach(ci -> {
            int a = (int) ((long) n * ci / c);
            int b = (int) ((long) n * (ci + 1) / c);
            int[] lengths = new int[b - a];
            for (int i = a; i < b; i++) {
                lengths[i - a] = data.sentenceOffsets[i + 1] - data.sentenceOffsets[i];
            }
            int first = data.sentenceOffsets[a];
            int[] tags = loss.decode(scores(data.enc, first, data.sentenceOffsets[b]), lengths);
            System.arraycopy(tags, 0, out, first, tags.length);
        });
        return out;
    }

    /** Fraction of tokens whose predicted tag equals the reference. */
    static double accuracy(int[] predicted, int[] reference) {
        int right = 0;
        for (int i = 0; i < predicted.length; i++) {
            if (predicted[i] == reference[i]) {
                right++;
            }
        }
        return predicted.length == 0 ? Double.NaN : (double) right / predicted.length;
    }
}

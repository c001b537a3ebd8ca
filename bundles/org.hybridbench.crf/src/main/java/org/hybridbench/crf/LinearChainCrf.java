package org.hybridbench.crf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.ChainBatch;
import org.hybridbench.api.model.ChainBatchMarginals;
import org.hybridbench.api.model.ChainInference;
import org.hybridbench.api.model.ChainInputException;
import org.hybridbench.api.model.ChainMarginals;
import org.hybridbench.api.model.ChainPath;
import org.hybridbench.api.model.ChainPotentials;
import org.hybridbench.api.model.ParameterBlock;
import org.hybridbench.api.model.StructuredLoss;

/**
 * A linear-chain CRF over K tags on top of a {@link ChainInference} ("scores in, gradients out"). An encoder
 * supplies unary scores u (T × K) per sentence; the CRF owns learned transition scores A (K × K, row = from),
 * start scores s and end scores e (K each). The score of a tag sequence y is
 * s[y_0] + Σ_t u[t, y_t] + Σ_t A[y_t, y_t+1] + e[y_T−1], and p(y | x) = exp(score(y)) / Z.
 *
 * <p>The chain dynamic program has no end potential, so e is folded into the last position's unary: the chain
 * sees u'[T−1, k] = u[T−1, k] + e[k]. That is exact: every path ends at T−1 and collects e[y_T−1] exactly once, and
 * d log Z / d e = γ_T−1.
 *
 * <p>Loss (sentence-level log-likelihood, Collobert et al. 2011): log Z − score(gold). Its gradients are expected −
 * observed: d/du = γ − onehot(gold), d/dA = ξ − gold transition counts, d/ds = γ_0 − onehot(gold_0),
 * d/de = γ_T−1 − onehot(gold_T−1). The unary gradient is returned to the caller (to back-propagate into the
 * encoder); the parameter gradients are <em>added</em> to the {@link #parameters() parameter blocks}' gradient
 * arrays (zero them with {@link #zeroGradients()} before each step). An empty sentence has loss 0 and no gradient.
 *
 * <p>Structural forbidden transitions ({@link #forbidTransition}) hold −∞ in every use (training and decoding)
 * and are not learned (their gradient stays 0); a gold sequence that uses one is an error. Loss and decoding are
 * thread-safe as long as parameters are not being updated; accumulation into the gradients is synchronised.
 */
public final class LinearChainCrf implements StructuredLoss {
    private final int k;
    private final ChainInference inference;
    private final double[] transition;
    private final double[] start;
    private final double[] end;
    private final double[] dTransition;
    private final double[] dStart;
    private final double[] dEnd;
    private final boolean[] forbidden;
    private final List<ParameterBlock> blocks;

    /** A CRF over {@code numTags} tags with all scores 0 (the uniform chain), computed by {@code inference}. */
    public LinearChainCrf(int numTags, ChainInference inference) {
        if (numTags < 1) {
            throw new IllegalArgumentException("a CRF needs at least one tag, got " + numTags);
        }
        this.k = numTags;
        this.inference = Objects.requireNonNull(inference, "inference");
        transition = new double[k * k];
        start = new double[k];
        end = new double[k];
        dTransition = new double[k * k];
        dStart = new double[k];
        dEnd = new double[k];
        forbidden = new boolean[k * k];
        blocks = List.of(new ParameterBlock("crf.transition", new int[] {k, k}, transition, dTransition),
                new ParameterBlock("crf.start", new int[] {k}, start, dStart),
                new ParameterBlock("crf.end", new int[] {k}, end, dEnd));
    }

    public int numTags() {
        return k;
    }

    public ChainInference inference() {
        return inference;
    }

    /** Transition (K × K, row = from), start (K) and end (K) scores with their gradients, as views. */
    @Override
    public List<ParameterBlock> parameters() {
        return blocks;
    }

    /** Sets every parameter gradient to 0. */
    public synchronized void zeroGradients() {
        Arrays.fill(dTransition, 0);
        Arrays.fill(dStart, 0);
        Arrays.fill(dEnd, 0);
    }

    /** Draws every learnable score from N(0, scale²). */
    public void initialize(RandomGenerator rng, double scale) {
        for (int i = 0; i < transition.length; i++) {
            transition[i] = forbidden[i] ? 0 : scale * rng.nextGaussian();
        }
        for (int i = 0; i < k; i++) {
            start[i] = scale * rng.nextGaussian();
            end[i] = scale * rng.nextGaussian();
        }
    }

    /** Makes {@code from → to} impossible everywhere (e.g. I-X after O in BIO tagging); it is no longer learned. */
    public void forbidTransition(int from, int to) {
        checkTag(from, "from");
        checkTag(to, "to");
        forbidden[from * k + to] = true;
        transition[from * k + to] = 0;
    }

    public boolean isForbidden(int from, int to) {
        return forbidden[from * k + to];
    }

    public double transition(int from, int to) {
        return forbidden[from * k + to] ? Double.NEGATIVE_INFINITY : transition[from * k + to];
    }

    public void setTransition(int from, int to, double score) {
        checkFinite(score, "transition " + from + "→" + to);
        transition[from * k + to] = score;
    }

    public double start(int tag) {
        return start[tag];
    }

    public void setStart(int tag, double score) {
        checkFinite(score, "start score of tag " + tag);
        start[tag] = score;
    }

    public double end(int tag) {
        return end[tag];
    }

    public void setEnd(int tag, double score) {
        checkFinite(score, "end score of tag " + tag);
        end[tag] = score;
    }

    private void checkTag(int tag, String what) {
        if (tag < 0 || tag >= k) {
            throw new IllegalArgumentException(what + " tag " + tag + " outside [0, " + k + ")");
        }
    }

    private static void checkFinite(double v, String what) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(what + " must be finite, got " + v);
        }
    }

    // ---------------------------------------------------------------- potentials

    private double[] transitionPotentials(Constraints c) {
        double[] a = transition.clone();
        for (int i = 0; i < a.length; i++) {
            if (forbidden[i]) {
                a[i] = Double.NEGATIVE_INFINITY;
            }
        }
        if (c != null) {
            c.applyToTransitions(a, k);
        }
        return a;
    }

    /** Checks the encoder's scores of one sentence: K columns, every value finite. */
    private void checkScores(Matrix scores, int sentence, int rowOffset, int length) {
        if (scores.cols() != k) {
            throw new IllegalArgumentException("sentence " + sentence + ": scores have " + scores.cols() + " columns, the CRF has "
                    + k + " tags");
        }
        double[] d = scores.data();
        for (int t = 0; t < length; t++) {
            for (int j = 0; j < k; j++) {
                double v = d[(rowOffset + t) * k + j];
                if (!Double.isFinite(v)) {
                    throw new ChainInputException(sentence, t, "sentence " + sentence + " position " + t + ": score of tag " + j
                            + " is " + v + " (encoder scores must be finite)");
                }
            }
        }
    }

    /** u' = u with e added to the last row (and constraints applied), as a fresh array. */
    private double[] unaryPotentials(double[] src, int from, int length, Constraints c) {
        double[] u = Arrays.copyOfRange(src, from * k, (from + length) * k);
        if (length > 0) {
            int last = (length - 1) * k;
            for (int j = 0; j < k; j++) {
                u[last + j] += end[j];
            }
        }
        if (c != null) {
            c.applyToUnaries(u, length, k);
        }
        return u;
    }

    /** The chain this CRF defines for one sentence's unary scores (end folded in, constraints applied). */
    public ChainPotentials potentials(Matrix scores, Constraints constraints) {
        checkScores(scores, 0, 0, scores.rows());
        return new ChainPotentials(start.clone(), new Matrix(k, k, transitionPotentials(constraints)),
                new Matrix(scores.rows(), k, unaryPotentials(scores.data(), 0, scores.rows(), constraints)));
    }

    /** score(tags) = s[y_0] + Σ u[t, y_t] + Σ A[y_t, y_t+1] + e[y_T−1] (−∞ if it uses a forbidden transition). */
    public double score(Matrix scores, int[] tags) {
        checkScores(scores, 0, 0, scores.rows());
        checkTags(tags, scores.rows(), 0, 0, tags.length);
        return goldScore(scores.data(), 0, tags, 0, tags.length);
    }

    private double goldScore(double[] u, int rowOffset, int[] tags, int tagOffset, int length) {
        if (length == 0) {
            return 0;
        }
        double s = start[tags[tagOffset]] + end[tags[tagOffset + length - 1]];
        for (int t = 0; t < length; t++) {
            int y = tags[tagOffset + t];
            s += u[(rowOffset + t) * k + y];
            if (t + 1 < length) {
                int y1 = tags[tagOffset + t + 1];
                s += forbidden[y * k + y1] ? Double.NEGATIVE_INFINITY : transition[y * k + y1];
            }
        }
        return s;
    }

    private void checkTags(int[] tags, int rows, int sentence, int offset, int length) {
        if (tags == null) {
            throw new IllegalArgumentException("sentence " + sentence + ": the CRF loss needs gold tags");
        }
        if (tags.length - offset < length) {
            throw new IllegalArgumentException("sentence " + sentence + ": " + length + " positions of scores but "
                    + Math.max(0, tags.length - offset) + " tags");
        }
        for (int t = 0; t < length; t++) {
            int y = tags[offset + t];
            if (y < 0 || y >= k) {
                throw new ChainInputException(sentence, t, "sentence " + sentence + " position " + t + ": tag " + y + " outside [0, " + k + ")");
            }
            if (t > 0 && forbidden[tags[offset + t - 1] * k + y]) {
                throw new ChainInputException(sentence, t, "sentence " + sentence + " position " + t + ": gold transition "
                        + tags[offset + t - 1] + "→" + y + " is forbidden in this CRF");
            }
        }
    }

    // ---------------------------------------------------------------- loss

    /**
     * Loss and gradient of one sentence (see the class comment); the parameter gradients are accumulated.
     *
     * @param scores T × K unary scores from the encoder
     * @param targets T gold tags
     * @param gradient T × K, overwritten with γ − onehot(gold)
     */
    @Override
    public double lossAndGradient(Matrix scores, int[] targets, Matrix gradient) {
        if (targets != null && targets.length != scores.rows()) {
            throw new IllegalArgumentException("sentence 0: " + scores.rows() + " positions of scores but " + targets.length + " tags");
        }
        return lossAndGradient(scores, new int[] {scores.rows()}, targets, gradient)[0];
    }

    /**
     * Loss and gradient of a ragged batch in one call to the chain's batched forward-backward.
     *
     * @param scores (Σ lengths) × K unary scores, sentences end to end
     * @param lengths length of every sentence (0 allowed: loss 0)
     * @param targets Σ lengths gold tags, end to end
     * @param gradient (Σ lengths) × K, overwritten with γ − onehot(gold); may be {@code null} when only the loss is needed
     *            (the parameter gradients are still accumulated)
     * @return the loss of every sentence (their sum is the batch loss)
     */
    @Override
    public double[] lossAndGradient(Matrix scores, int[] lengths, int[] targets, Matrix gradient) {
        int n = lengths.length;
        int total = 0;
        for (int b = 0; b < n; b++) {
            if (lengths[b] < 0) {
                throw new IllegalArgumentException("sentence " + b + " has negative length " + lengths[b]);
            }
            total = Math.addExact(total, lengths[b]);
        }
        if (total != scores.rows()) {
            throw new IllegalArgumentException("sentence lengths sum to " + total + " but there are " + scores.rows() + " rows of scores");
        }
        if (scores.cols() != k) {
            throw new IllegalArgumentException("scores have " + scores.cols() + " columns, the CRF has " + k + " tags");
        }
        if (targets == null) {
            throw new IllegalArgumentException("the CRF loss needs gold tags");
        }
        if (targets.length != total) {
            throw new IllegalArgumentException(total + " positions of scores but " + targets.length + " tags");
        }
        if (gradient != null && (gradient.rows() != total || gradient.cols() != k)) {
            throw new IllegalArgumentException("gradient is " + gradient + ", scores are " + scores);
        }
        double[] u = new double[total * k];
        int off = 0;
        for (int b = 0; b < n; b++) {
            checkScores(scores, b, off, lengths[b]);
            checkTags(targets, total, b, off, lengths[b]);
            System.arraycopy(unaryPotentials(scores.data(), off, lengths[b], null), 0, u, off * k, lengths[b] * k);
            off += lengths[b];
        }
        double[] losses = new double[n];
        if (n == 0) {
            return losses;
        }
        ChainBatch batch = new ChainBatch(start.clone(), new Matrix(k, k, transitionPotentials(null)), new Matrix(total, k, u), lengths);
        ChainBatchMarginals m = inference.marginals(batch);
        double[] gamma = m.posteriors().data();
        double[] xi = m.expectedTransitions().data();
        double[] gStart = m.expectedInitial().clone();
        double[] gEnd = new double[k];
        double[] gTrans = new double[k * k];
        for (int i = 0; i < xi.length; i++) {
            gTrans[i] = forbidden[i] ? 0 : xi[i];
        }
        off = 0;
        for (int b = 0; b < n; b++) {
            int len = lengths[b];
            if (len == 0) {
                continue;
            }
            losses[b] = m.logPartition()[b] - goldScore(scores.data(), off, targets, off, len);
            gStart[targets[off]] -= 1;
            int last = off + len - 1;
            for (int j = 0; j < k; j++) {
                gEnd[j] += gamma[last * k + j];
            }
            gEnd[targets[last]] -= 1;
            for (int t = 0; t + 1 < len; t++) {
                gTrans[targets[off + t] * k + targets[off + t + 1]] -= 1;
            }
            off += len;
        }
        if (gradient != null) {
            double[] g = gradient.data();
            System.arraycopy(gamma, 0, g, 0, total * k);
            for (int r = 0; r < total; r++) {
                g[r * k + targets[r]] -= 1;
            }
        }
        synchronized (this) {
            for (int i = 0; i < k * k; i++) {
                dTransition[i] += gTrans[i];
            }
            for (int j = 0; j < k; j++) {
                dStart[j] += gStart[j];
                dEnd[j] += gEnd[j];
            }
        }
        return losses;
    }

    /**
     * The batch form for sentences held separately: checks each sentence's scores against its tags (naming the
     * sentence), then runs one batched forward-backward.
     *
     * @param gradients one T_b × K matrix per sentence, overwritten; or {@code null}
     */
    public double[] lossAndGradient(List<Matrix> scores, List<int[]> targets, List<Matrix> gradients) {
        if (scores.size() != targets.size() || (gradients != null && gradients.size() != scores.size())) {
            throw new IllegalArgumentException(scores.size() + " sentences of scores, " + targets.size() + " of tags"
                    + (gradients == null ? "" : ", " + gradients.size() + " gradients"));
        }
        int n = scores.size();
        int[] lengths = new int[n];
        int total = 0;
        for (int b = 0; b < n; b++) {
            Matrix s = scores.get(b);
            int[] y = targets.get(b);
            if (y == null) {
                throw new IllegalArgumentException("sentence " + b + ": the CRF loss needs gold tags");
            }
            if (y.length != s.rows()) {
                throw new IllegalArgumentException("sentence " + b + ": " + s.rows() + " positions of scores but " + y.length + " tags");
            }
            if (s.cols() != k) {
                throw new IllegalArgumentException("sentence " + b + ": scores have " + s.cols() + " columns, the CRF has " + k + " tags");
            }
            lengths[b] = s.rows();
            total = Math.addExact(total, lengths[b]);
        }
        double[] u = new double[total * k];
        int[] tags = new int[total];
        int off = 0;
        for (int b = 0; b < n; b++) {
            System.arraycopy(scores.get(b).data(), 0, u, off * k, lengths[b] * k);
            System.arraycopy(targets.get(b), 0, tags, off, lengths[b]);
            off += lengths[b];
        }
        Matrix g = gradients == null ? null : new Matrix(total, k);
        double[] losses = lossAndGradient(new Matrix(total, k, u), lengths, tags, g);
        if (gradients != null) {
            off = 0;
            for (int b = 0; b < n; b++) {
                Matrix gb = gradients.get(b);
                if (gb.rows() != lengths[b] || gb.cols() != k) {
                    throw new IllegalArgumentException("sentence " + b + ": gradient is " + gb + ", scores are " + scores.get(b));
                }
                System.arraycopy(g.data(), off * k, gb.data(), 0, lengths[b] * k);
                off += lengths[b];
            }
        }
        return losses;
    }

    // ---------------------------------------------------------------- decoding

    /** The best tag sequence and its score. */
    public ChainPath viterbi(Matrix scores) {
        return viterbi(scores, (Constraints) null);
    }

    /** The best tag sequence allowed by {@code constraints}. */
    public ChainPath viterbi(Matrix scores, Constraints constraints) {
        if (scores.rows() == 0) {
            return new ChainPath(new int[0], 0);
        }
        return inference.viterbi(potentials(scores, constraints));
    }

    /** The Viterbi paths of a ragged batch (one batched call). */
    public List<ChainPath> viterbiBatch(Matrix scores, int[] lengths) {
        int total = 0;
        for (int len : lengths) {
            total = Math.addExact(total, len);
        }
        if (total != scores.rows()) {
            throw new IllegalArgumentException("sentence lengths sum to " + total + " but there are " + scores.rows() + " rows of scores");
        }
        double[] u = new double[total * k];
        int off = 0;
        for (int b = 0; b < lengths.length; b++) {
            checkScores(scores, b, off, lengths[b]);
            System.arraycopy(unaryPotentials(scores.data(), off, lengths[b], null), 0, u, off * k, lengths[b] * k);
            off += lengths[b];
        }
        if (lengths.length == 0) {
            return List.of();
        }
        return inference.viterbi(new ChainBatch(start.clone(), new Matrix(k, k, transitionPotentials(null)), new Matrix(total, k, u), lengths));
    }

    /**
     * The {@link StructuredLoss} decoding: the Viterbi path of every sentence of a ragged batch (one batched call
     * to the chain program), so forbidden transitions, start and end scores are honoured exactly as in training.
     *
     * @param scores (Σ lengths) × K unary scores, sentences end to end
     * @param lengths length of every sentence (0 allowed)
     * @return Σ lengths tags, end to end
     * @throws ChainInputException when a score is not finite, or when the forbidden transitions leave a sentence no path
     */
    @Override
    public int[] decode(Matrix scores, int[] lengths) {
        int total = 0;
        for (int b = 0; b < lengths.length; b++) {
            if (lengths[b] < 0) {
                throw new IllegalArgumentException("sentence " + b + " has negative length " + lengths[b]);
            }
            total = Math.addExact(total, lengths[b]);
        }
        if (total != scores.rows()) {
            throw new IllegalArgumentException("sentence lengths sum to " + total + " but there are " + scores.rows() + " rows of scores");
        }
        if (scores.cols() != k) {
            throw new IllegalArgumentException("scores have " + scores.cols() + " columns, the CRF has " + k + " tags");
        }
        int[] out = new int[total];
        if (total == 0) {
            return out; // only empty sentences (or none): nothing for the chain program to do
        }
        int off = 0;
        for (ChainPath p : viterbiBatch(scores, lengths)) {
            int[] states = p.states();
            System.arraycopy(states, 0, out, off, states.length);
            off += states.length;
        }
        return out;
    }

    /** The {@code n} best tag sequences, best first. */
    public List<ChainPath> nBest(Matrix scores, int n, Constraints constraints) {
        if (n < 1) {
            throw new IllegalArgumentException("n-best needs n ≥ 1, got " + n);
        }
        if (scores.rows() == 0) {
            return List.of(new ChainPath(new int[0], 0));
        }
        return inference.nBest(potentials(scores, constraints), n);
    }

    /** p(tag_t = k | sentence), T × K. */
    public Matrix marginals(Matrix scores, Constraints constraints) {
        if (scores.rows() == 0) {
            return new Matrix(0, k);
        }
        return inference.marginals(potentials(scores, constraints)).posteriors();
    }

    /** log Z of one sentence. */
    public double logPartition(Matrix scores, Constraints constraints) {
        if (scores.rows() == 0) {
            return 0;
        }
        return inference.logPartition(potentials(scores, constraints));
    }

    /** Viterbi path, marginals, log Z, confidence p(best) and entropy of one sentence. */
    public SentenceAnalysis analyse(Matrix scores, Constraints constraints) {
        int len = scores.rows();
        if (len == 0) {
            return new SentenceAnalysis(new ChainPath(new int[0], 0), new Matrix(0, k), 0, 1, 0);
        }
        ChainPotentials p = potentials(scores, constraints);
        ChainPath best = inference.viterbi(p);
        ChainMarginals m = inference.marginals(p);
        double logZ = m.logPartition();
        double expected = expectation(m.initialPosterior(), p.logInitial());
        expected += expectation(m.posteriors().data(), p.logUnary().data());
        expected += expectation(m.expectedTransitions().data(), p.logTransition().data());
        double entropy = Math.max(0, logZ - expected);
        double confidence = Math.min(1, Math.exp(best.logScore() - logZ));
        return new SentenceAnalysis(best, m.posteriors(), logZ, confidence, entropy);
    }

    /** Σ w_i x_i over entries with w_i ≠ 0 (so that impossible entries, 0 · −∞, contribute nothing). */
    private static double expectation(double[] w, double[] x) {
        double s = 0;
        for (int i = 0; i < w.length; i++) {
            if (w[i] != 0 && x[i] != Double.NEGATIVE_INFINITY) {
                s += w[i] * x[i];
            }
        }
        return s;
    }

    /** Analyses of many sentences. */
    public List<SentenceAnalysis> analyse(List<Matrix> sentences) {
        List<SentenceAnalysis> out = new ArrayList<>(sentences.size());
        for (int b = 0; b < sentences.size(); b++) {
            try {
                out.add(analyse(sentences.get(b), null));
            } catch (ChainInputException e) {
                throw new ChainInputException(b, e.position(), e.getMessage().replaceFirst("^sentence 0", "sentence " + b));
            }
        }
        return out;
    }
}

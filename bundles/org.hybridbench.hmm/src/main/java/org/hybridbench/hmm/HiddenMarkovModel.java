package org.hybridbench.hmm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.random.RandomGenerator;

import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.data.SequenceBatch;
import org.hybridbench.api.model.ChainBatch;
import org.hybridbench.api.model.ChainBatchMarginals;
import org.hybridbench.api.model.ChainInference;
import org.hybridbench.api.model.ChainPath;
import org.hybridbench.api.model.EmissionModel;
import org.hybridbench.api.model.LabelledSequences;

/**
 * A hidden Markov model λ = (π, A, B) (Rabiner 1989 §II; Bishop PRML §13.2): initial distribution π (K), transition
 * matrix A (K × K, row = from state) and any {@link EmissionModel} B. The model owns π and A and refers to the
 * emission model, whose parameters training changes in place.
 *
 * <p>π and each row of A must be probability vectors: non-negative and summing to 1 within {@value #SUM_TOLERANCE};
 * {@link #validate()} names the offending row and its sum. Zeros are structural: a left-to-right topology stays
 * left-to-right under every training method. Inference goes through {@link ChainInference} with log π, log A and
 * log b as the chain's potentials.
 */
public final class HiddenMarkovModel {
    /** How far π and the rows of A may be from summing to one. */
    public static final double SUM_TOLERANCE = 1e-9;

    private final int k;
    final double[] initial;
    final double[] transitions;
    private final EmissionModel emission;

    /** A model with the given π and A (copied) and emission model; validated. */
    public HiddenMarkovModel(double[] initial, double[][] transitions, EmissionModel emission) {
        this.emission = Objects.requireNonNull(emission, "emission");
        this.k = initial.length;
        if (emission.numStates() != k) {
            throw new IllegalArgumentException("the emission model has " + emission.numStates() + " states, π has " + k);
        }
        if (transitions.length != k) {
            throw new IllegalArgumentException("transition matrix has " + transitions.length + " rows for " + k + " states");
        }
        this.initial = initial.clone();
        this.transitions = new double[k * k];
        for (int i = 0; i < k; i++) {
            if (transitions[i].length != k) {
                throw new IllegalArgumentException("transition row " + i + " has " + transitions[i].length + " entries for " + k + " states");
            }
            System.arraycopy(transitions[i], 0, this.transitions, i * k, k);
        }
        validate();
    }

    /**
     * An ergodic model (π uniform, A_ii = selfTransition, the rest spread evenly) or a left-to-right one (π = e_0,
     * A_ii = selfTransition, A_i,i+1 = 1 − selfTransition, the last state absorbing).
     */
    public static HiddenMarkovModel initial(EmissionModel emission, boolean leftToRight, double selfTransition) {
        int k = emission.numStates();
        double[] pi = new double[k];
        double[][] a = new double[k][k];
        for (int i = 0; i < k; i++) {
            if (leftToRight) {
                pi[i] = i == 0 ? 1 : 0;
                if (i == k - 1) {
                    a[i][i] = 1;
                } else {
                    a[i][i] = selfTransition;
                    a[i][i + 1] = 1 - selfTransition;
                }
            } else {
                pi[i] = 1.0 / k;
                for (int j = 0; j < k; j++) {
                    a[i][j] = k == 1 ? 1 : i == j ? selfTransition : (1 - selfTransition) / (k - 1);
                }
            }
        }
        return new HiddenMarkovModel(pi, a, emission);
    }

    public int numStates() {
        return k;
    }

    public EmissionModel emission() {
        return emission;
    }

    /** π as a copy. */
    public double[] initialProbabilities() {
        return initial.clone();
    }

    /** A as a copy. */
    public double[][] transitionMatrix() {
        double[][] a = new double[k][];
        for (int i = 0; i < k; i++) {
            a[i] = Arrays.copyOfRange(transitions, i * k, (i + 1) * k);
        }
        return a;
    }

    /** Checks π and every row of A; the message names the row and its sum, or the entry and its value. */
    public void validate() {
        checkDistribution(initial, 0, "initial distribution π");
        for (int i = 0; i < k; i++) {
            checkDistribution(transitions, i * k, "transition row " + i);
        }
    }

    private void checkDistribution(double[] p, int from, String what) {
        double s = 0;
        for (int j = 0; j < k; j++) {
            double v = p[from + j];
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException(what + " has entry " + j + " = " + v + " (must be a probability)");
            }
            s += v;
        }
        if (Math.abs(s - 1) > SUM_TOLERANCE) {
            throw new IllegalArgumentException(what + " sums to " + s + " (must be 1 within " + SUM_TOLERANCE + ")");
        }
    }

    double[] logInitial() {
        double[] l = new double[k];
        for (int i = 0; i < k; i++) {
            l[i] = Math.log(initial[i]);
        }
        return l;
    }

    Matrix logTransition() {
        Matrix m = new Matrix(k, k);
        for (int q = 0; q < k * k; q++) {
            m.data()[q] = Math.log(transitions[q]);
        }
        return m;
    }

    /** Free parameters for AIC/BIC: non-zero entries of π and of each row of A, less one each, plus the emission's. */
    public long freeParameters() {
        long p = nonZero(initial, 0) - 1;
        for (int i = 0; i < k; i++) {
            p += nonZero(transitions, i * k) - 1;
        }
        return p + emission.freeParameters();
    }

    private long nonZero(double[] a, int from) {
        long n = 0;
        for (int j = 0; j < k; j++) {
            if (a[from + j] > 0) {
                n++;
            }
        }
        return n;
    }

    /** The rows of a sequence batch as one matrix (no copy). */
    static Matrix rows(SequenceBatch s) {
        return new Matrix(s.totalLength(), s.dimension(), s.data());
    }

    /**
     * log b for every position of every sequence ((Σ T) × K), computed in up to {@code threads} contiguous blocks of
     * rows in parallel (log b of a row depends only on that row, so the result does not depend on the split). An
     * emission error is reported with the sequence and the position within it.
     */
    Matrix logEmissions(SequenceBatch seqs, int threads) {
        if (seqs.dimension() != emission.dimension()) {
            throw new IllegalArgumentException("the sequences have dimension " + seqs.dimension() + ", the emission model "
                    + emission.dimension());
        }
        int n = seqs.totalLength();
        int d = seqs.dimension();
        Matrix out = new Matrix(n, k);
        int blocks = Math.max(1, Math.min(threads, n / 4096));
        try {
            if (blocks == 1) {
                emission.logDensity(rows(seqs), out);
            } else {
                ExecutorService pool = Executors.newFixedThreadPool(blocks);
                try {
                    List<Future<?>> fs = new ArrayList<>();
                    for (int b = 0; b < blocks; b++) {
                        int from = (int) ((long) n * b / blocks);
                        int to = (int) ((long) n * (b + 1) / blocks);
                        fs.add(pool.submit(() -> {
                            Matrix y = new Matrix(to - from, d, Arrays.copyOfRange(seqs.data(), from * d, to * d));
                            Matrix o = new Matrix(to - from, k);
                            emission.logDensity(y, o);
                            System.arraycopy(o.data(), 0, out.data(), from * k, (to - from) * k);
                        }));
                    }
                    for (Future<?> f : fs) {
                        f.get();
                    }
                } finally {
                    pool.shutdown();
                }
            }
        } catch (IllegalArgumentException e) {
            throw locate(seqs, e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof IllegalArgumentException iae) {
                throw locate(seqs, iae);
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return out;
    }

    /** Re-runs the emission sequence by sequence to name the sequence in which it fails. */
    private IllegalArgumentException locate(SequenceBatch seqs, IllegalArgumentException original) {
        for (int s = 0; s < seqs.size(); s++) {
            try {
                emission.logDensity(seqs.sequence(s), new Matrix(seqs.length(s), k));
            } catch (IllegalArgumentException e) {
                return new IllegalArgumentException("sequence " + s + ": " + e.getMessage(), e);
            }
        }
        return original;
    }

    /** The chain batch of log π, log A and the given unaries for the sequences' lengths. */
    ChainBatch chain(SequenceBatch seqs, Matrix logB) {
        int[] lengths = new int[seqs.size()];
        for (int s = 0; s < lengths.length; s++) {
            lengths[s] = seqs.length(s);
        }
        return new ChainBatch(logInitial(), logTransition(), logB, lengths);
    }

    /** log p(y) of every sequence (forward algorithm, Rabiner eq. 21). */
    public double[] logLikelihood(SequenceBatch seqs, ChainInference inference, int threads) {
        return inference.logPartition(chain(seqs, logEmissions(seqs, threads)));
    }

    /** Forward-backward (Rabiner eqs. 27, 37): posteriors γ per position and expected counts. */
    public ChainBatchMarginals posteriors(SequenceBatch seqs, ChainInference inference, int threads) {
        return inference.marginals(chain(seqs, logEmissions(seqs, threads)));
    }

    /** The most probable state path of every sequence and its log p(y, path) (Viterbi, Rabiner eqs. 32–35). */
    public List<ChainPath> viterbi(SequenceBatch seqs, ChainInference inference, int threads) {
        return inference.viterbi(chain(seqs, logEmissions(seqs, threads)));
    }

    /** AIC = 2p − 2 log L (Akaike 1974). */
    public double aic(double logLikelihood) {
        return 2.0 * freeParameters() - 2 * logLikelihood;
    }

    /** BIC = p ln n − 2 log L (Schwarz 1978), n = number of observed positions. */
    public double bic(double logLikelihood, long positions) {
        return freeParameters() * Math.log(Math.max(1, positions)) - 2 * logLikelihood;
    }

    /** Draws sequences of the given lengths: states from π and A, observations from the emission model. */
    public LabelledSequences sample(int[] lengths, RandomGenerator rng) {
        int total = 0;
        for (int l : lengths) {
            total = Math.addExact(total, l);
        }
        int[] states = new int[total];
        int at = 0;
        for (int l : lengths) {
            for (int t = 0; t < l; t++) {
                states[at] = draw(t == 0 ? initial : transitions, t == 0 ? 0 : states[at - 1] * k, rng);
                at++;
            }
        }
        Matrix y = emission.sample(states, rng);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            names.add(Integer.toString(i));
        }
        return new LabelledSequences("sampled", new SequenceBatch(emission.dimension(), lengths.clone(), y.data()), states, names,
                java.util.Map.of("source", "HiddenMarkovModel.sample"));
    }

    private int draw(double[] p, int from, RandomGenerator rng) {
        double u = rng.nextDouble();
        int last = 0;
        for (int j = 0; j < k; j++) {
            if (p[from + j] > 0) {
                last = j;
                if ((u -= p[from + j]) < 0) {
                    return j;
                }
            }
        }
        return last;
    }
}

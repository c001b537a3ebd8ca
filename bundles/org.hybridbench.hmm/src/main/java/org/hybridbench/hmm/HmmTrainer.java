package org.hybridbench.hmm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.data.SequenceBatch;
import org.hybridbench.api.model.ChainBatchMarginals;
import org.hybridbench.api.model.ChainInference;
import org.hybridbench.api.model.ChainPath;
import org.hybridbench.api.model.LabelledSequences;
import org.hybridbench.api.model.Optimizer;
import org.hybridbench.api.model.ParameterBlock;

/**
 * Fits a {@link HiddenMarkovModel} to sequences, in place, by one of five methods sharing one loop. Iteration
 * i (i = start, start+1, …) evaluates the objective ℓ_i with the current parameters (E-step), reports it, stops
 * when |ℓ_i − ℓ_{i−1}| / (positions) &lt; tolerance or i = maxIterations, and otherwise updates the parameters.
 *
 * <ul>
 * <li>{@code baum-welch}: ℓ = Σ log p(y); E-step by forward-backward, M-step Rabiner 1989 eqs. 40a–c (PRML
 * eqs. 13.18–13.19) plus the emission's own M-step. EM never decreases ℓ (Baum et al. 1970; Dempster, Laird &amp;
 * Rubin 1977) — the trainer checks it and reports a decrease as a note. The exception is an update in which the
 * emission model re-seeded an emptied component (its report says {@value #RESEEDED}): that is not an EM step, so a
 * fall of ℓ right after it is noted but not flagged as a decrease.</li>
 * <li>{@code viterbi}: ℓ = Σ log p(y, ŝ) for the Viterbi paths ŝ; the M-step counts along ŝ ("segmental k-means",
 * Juang &amp; Rabiner 1990); ℓ never decreases either.</li>
 * <li>{@code semi-supervised}: labelled positions are clamped (log b of every other state set to −∞), so ℓ = Σ log p(y,
 * known states) and forward-backward gives exact counts where labels are known and expected ones elsewhere; it
 * is EM for the partly observed model, so ℓ never decreases.</li>
 * <li>{@code supervised}: every position must be labelled; the same clamped E-step gives exact counts and one
 * M-step is the maximum-likelihood estimate (the second iteration reports convergence).</li>
 * <li>{@code gradient}: minimises −ℓ/N (N = positions) with the optimizer: gradients d/d log b = −γ/N passed to the
 * emission's {@code parameterGradient}, and for π and A through softmax logits over their non-zero entries:
 * ∂ℓ/∂θ_ij = ξ_ij − A_ij Σ_j' ξ_ij' (ξ = expected transitions, the gradient of log Z). The logits are state of
 * their own (softmax forgets a constant per row), so {@link #resumeState()} hands them out for checkpoints next to
 * the optimizer's {@link Optimizer#state()}; a fit given both continues exactly as the saved one.</li>
 * </ul>
 * Pseudocounts (Dirichlet priors) are added to the expected counts of the non-zero entries of π and A only, so
 * structural zeros (left-to-right topologies) stay zero. Everything is deterministic: log b is computed in
 * parallel blocks of rows but each row independently, and statistics are accumulated in sequence order.
 */
public final class HmmTrainer {
    /**
     * The word by which an emission model's {@code lastMaximizeReport} line says that it re-seeded a component (moved
     * it to new data instead of taking the M-step's estimate, e.g. by splitting another one): the objective may fall
     * once after such an update, so that fall is noted but not flagged as {@code decreased}.
     */
    public static final String RESEEDED = "re-seeded";

    /** Names of the gradient method's parameter blocks for the softmax logits of π and A (also its resume state). */
    static final String INITIAL_LOGITS = "initialLogits";
    static final String TRANSITION_LOGITS = "transitionLogits";

    /** The training method. */
    public enum Method {
        BAUM_WELCH, VITERBI, SUPERVISED, SEMI_SUPERVISED, GRADIENT;

        /** The name used in configuration: {@code baum-welch}, {@code viterbi}, … */
        public String configName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public static Method fromConfig(String s) {
            return valueOf(s.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    /**
     * @param tolerance stop when the objective changes by less than this per position
     * @param initialPseudocount added to the expected count of every non-zero entry of π
     * @param transitionPseudocount added to the expected count of every non-zero entry of A
     * @param threads threads for the emission log-densities
     */
    public record Options(Method method, int maxIterations, double tolerance, double initialPseudocount,
            double transitionPseudocount, int threads) {
    }

    /** What one iteration saw: the objective with the parameters before this iteration's update. */
    public record Iteration(int iteration, double objective, double delta, boolean decreased, List<String> notes) {
    }

    /** Called after every evaluated iteration (metrics, progress, cancellation) and after every update (checkpoints). */
    public interface Listener {
        void evaluated(Iteration it) throws Exception;

        /** The parameters now are those after {@code updates} updates. */
        default void updated(int updates, double previousObjective) throws Exception {
        }
    }

    /** Outcome of {@link #fit}. */
    public record Result(int iterations, boolean converged, double objective, List<Double> history) {
    }

    private final ChainInference inference;
    private final Options options;
    private final Optimizer optimizer;
    /** The logits of the running (or last) gradient fit; null for the other methods. */
    private GradientState gradient;

    /** @param optimizer used by {@code gradient} only (may be null for the other methods) */
    public HmmTrainer(ChainInference inference, Options options, Optimizer optimizer) {
        this.inference = inference;
        this.options = options;
        this.optimizer = optimizer;
        if (options.method() == Method.GRADIENT && optimizer == null) {
            throw new IllegalArgumentException("gradient training needs an optimizer");
        }
    }

    /** Fits from scratch. */
    public Result fit(HiddenMarkovModel model, LabelledSequences data, Listener listener) throws Exception {
        return fit(model, data, 0, Double.NaN, listener);
    }

    /**
     * Fits starting at iteration {@code start} (after {@code start} updates, e.g. restored from a checkpoint), with
     * {@code previous} the objective of iteration start − 1 (NaN if unknown).
     */
    public Result fit(HiddenMarkovModel model, LabelledSequences data, int start, double previous, Listener listener)
            throws Exception {
        return fit(model, data, start, previous, Map.of(), listener);
    }

    /**
     * Fits starting at iteration {@code start}, as {@link #fit(HiddenMarkovModel, LabelledSequences, int, double,
     * Listener)}, with the trainer state {@code resume} saved by {@link #resumeState()} at that point (empty: none;
     * gradient training then starts its logits at log π and log A). The optimizer's own state is the caller's to
     * restore.
     *
     * @throws IllegalArgumentException if {@code resume} has entries this method does not keep or of the wrong length
     */
    public Result fit(HiddenMarkovModel model, LabelledSequences data, int start, double previous, Map<String, double[]> resume,
            Listener listener) throws Exception {
        SequenceBatch seqs = data.observations();
        int[] labels = switch (options.method()) {
            case SUPERVISED -> requireAllLabelled(data);
            case SEMI_SUPERVISED -> data.states();
            default -> null;
        };
        if (labels != null) {
            for (int p = 0; p < labels.length; p++) {
                if (labels[p] >= model.numStates()) {
                    throw new IllegalArgumentException(at(seqs, p) + ": state label " + labels[p] + " but the model has "
                            + model.numStates() + " states");
                }
            }
        }
        long n = Math.max(1, seqs.totalLength());
        GradientState grad = options.method() == Method.GRADIENT ? new GradientState(model) : null;
        if (grad != null) {
            grad.restore(resume);
        } else if (!resume.isEmpty()) {
            throw new IllegalArgumentException(options.method().configName() + " training keeps no trainer state but was given "
                    + resume.keySet());
        }
        gradient = grad;
        List<Double> history = new ArrayList<>();
        int i = start;
        double prev = previous;
        boolean converged = false;
        boolean reseeded = false;
        double objective;
        while (true) {
            Estep e = eStep(model, seqs, labels);
            objective = e.objective;
            history.add(objective);
            double delta = Double.isNaN(prev) ? Double.NaN : objective - prev;
            boolean fell = options.method() != Method.GRADIENT && delta < -1e-9 * Math.abs(prev);
            // an update that re-seeded emission components is not an EM step: a fall after it is expected, not a fault
            boolean decreased = fell && !reseeded;
            List<String> notes = new ArrayList<>();
            if (decreased) {
                notes.add(String.format(Locale.ROOT, "the objective decreased at iteration %d (%.12g -> %.12g)", i, prev, objective));
            } else if (fell) {
                notes.add(String.format(Locale.ROOT, "the objective fell at iteration %d (%.12g -> %.12g) after the previous update "
                        + "re-seeded emission components (a re-seed is not an EM step; EM is monotone again from here)", i, prev,
                        objective));
            }
            listener.evaluated(new Iteration(i, objective, delta, decreased, notes));
            if (i > start && Math.abs(delta) / n < options.tolerance()) {
                converged = true;
                break;
            }
            if (i >= options.maxIterations()) {
                break;
            }
            List<String> updateNotes = grad != null ? grad.step(model, seqs, e) : mStep(model, seqs, e);
            reseeded = updateNotes.stream().anyMatch(note -> note.contains(RESEEDED));
            i++;
            prev = objective;
            if (!updateNotes.isEmpty()) {
                listener.evaluated(new Iteration(i, Double.NaN, Double.NaN, false, updateNotes));
            }
            listener.updated(i, prev);
        }
        return new Result(i, converged, objective, history);
    }

    /**
     * What this trainer needs besides the model and the optimizer to continue a fit after the last update exactly:
     * for {@code gradient} the softmax logits of π and A (copies, keyed {@code initialLogits}, {@code transitionLogits}),
     * for the other methods nothing. Read it in {@link Listener#updated}; pass it back to
     * {@link #fit(HiddenMarkovModel, LabelledSequences, int, double, Map, Listener)}.
     */
    public Map<String, double[]> resumeState() {
        if (gradient == null) {
            return Map.of();
        }
        Map<String, double[]> m = new LinkedHashMap<>();
        m.put(INITIAL_LOGITS, gradient.initialLogits.clone());
        m.put(TRANSITION_LOGITS, gradient.transitionLogits.clone());
        return m;
    }

    /**
     * One iteration for a caller that drives its own loop (or a benchmark): the E-step with the current parameters,
     * then the update of this trainer's method (M-step, or a gradient step). Unsupervised methods only.
     *
     * @return the objective (log-likelihood, or Viterbi path score) before the update
     */
    public double iterate(HiddenMarkovModel model, SequenceBatch seqs) {
        if (options.method() != Method.BAUM_WELCH && options.method() != Method.VITERBI) {
            throw new IllegalArgumentException("iterate() runs Baum-Welch or Viterbi training; " + options.method().configName()
                    + " needs labels or optimizer state between iterations: use fit()");
        }
        Estep e = eStep(model, seqs, null);
        mStep(model, seqs, e);
        return e.objective;
    }

    private static int[] requireAllLabelled(LabelledSequences data) {
        int[] s = data.states();
        SequenceBatch seqs = data.observations();
        if (s == null) {
            throw new IllegalArgumentException("supervised training needs the state of every position, and '" + data.name()
                    + "' has no state labels");
        }
        for (int p = 0; p < s.length; p++) {
            if (s[p] == LabelledSequences.UNLABELLED) {
                throw new IllegalArgumentException("supervised training needs the state of every position: " + at(seqs, p)
                        + " of '" + data.name() + "' is unlabelled (use semi-supervised)");
            }
        }
        return s;
    }

    /** "sequence s, position t" for a global row index. */
    static String at(SequenceBatch seqs, int row) {
        int s = 0;
        while (s + 1 < seqs.size() && seqs.offset(s + 1) <= row) {
            s++;
        }
        return "sequence " + s + ", position " + (row - seqs.offset(s));
    }

    /** Expected (or counted) statistics of one E-step. */
    static final class Estep {
        double objective;
        Matrix gamma;
        double[] initialCounts;
        double[] transitionCounts;
    }

    Estep eStep(HiddenMarkovModel model, SequenceBatch seqs, int[] labels) {
        int k = model.numStates();
        Matrix logB = model.logEmissions(seqs, options.threads());
        if (labels != null) {
            double[] u = logB.data();
            for (int p = 0; p < labels.length; p++) {
                if (labels[p] != LabelledSequences.UNLABELLED) {
                    for (int j = 0; j < k; j++) {
                        if (j != labels[p]) {
                            u[p * k + j] = Double.NEGATIVE_INFINITY;
                        }
                    }
                }
            }
        }
        Estep e = new Estep();
        if (options.method() == Method.VITERBI) {
            List<ChainPath> paths = inference.viterbi(model.chain(seqs, logB));
            e.gamma = new Matrix(seqs.totalLength(), k);
            e.initialCounts = new double[k];
            e.transitionCounts = new double[k * k];
            for (int s = 0; s < paths.size(); s++) {
                ChainPath path = paths.get(s);
                int[] z = path.states();
                e.objective += path.logScore();
                int o = seqs.offset(s);
                for (int t = 0; t < z.length; t++) {
                    e.gamma.set(o + t, z[t], 1);
                    if (t == 0) {
                        e.initialCounts[z[0]]++;
                    } else {
                        e.transitionCounts[z[t - 1] * k + z[t]]++;
                    }
                }
            }
        } else {
            ChainBatchMarginals m = inference.marginals(model.chain(seqs, logB));
            e.objective = m.totalLogPartition();
            e.gamma = m.posteriors();
            e.initialCounts = m.expectedInitial().clone();
            e.transitionCounts = m.expectedTransitions().data().clone();
        }
        return e;
    }

    /** π, A from counts plus pseudocounts on non-zero entries (Rabiner eqs. 40a–b), then the emission M-step. */
    List<String> mStep(HiddenMarkovModel model, SequenceBatch seqs, Estep e) {
        int k = model.numStates();
        List<String> notes = new ArrayList<>();
        normalise(model.initial, 0, k, e.initialCounts, 0, options.initialPseudocount(), "initial distribution", notes);
        for (int i = 0; i < k; i++) {
            normalise(model.transitions, i * k, k, e.transitionCounts, i * k, options.transitionPseudocount(),
                    "transition row " + i, notes);
        }
        model.emission().accumulate(HiddenMarkovModel.rows(seqs), e.gamma);
        model.emission().maximize();
        notes.addAll(model.emission().lastMaximizeReport());
        return notes;
    }

    private static void normalise(double[] p, int from, int k, double[] counts, int cfrom, double pseudo, String what,
            List<String> notes) {
        double[] c = new double[k];
        double s = 0;
        for (int j = 0; j < k; j++) {
            if (p[from + j] > 0) {
                c[j] = counts[cfrom + j] + pseudo;
                s += c[j];
            }
        }
        if (!(s > 0)) {
            notes.add(what + ": no expected counts (the state is never left or no sequence starts); kept as it was");
            return;
        }
        for (int j = 0; j < k; j++) {
            p[from + j] = c[j] / s;
        }
    }

    /** Softmax logits for π and A (over their non-zero entries) as parameter blocks next to the emission's. */
    private final class GradientState {
        final int k;
        final boolean[] initialMask;
        final boolean[] transitionMask;
        final double[] initialLogits;
        final double[] transitionLogits;
        final double[] initialGrad;
        final double[] transitionGrad;
        final List<ParameterBlock> blocks = new ArrayList<>();

        GradientState(HiddenMarkovModel model) {
            k = model.numStates();
            initialMask = new boolean[k];
            transitionMask = new boolean[k * k];
            initialLogits = new double[k];
            transitionLogits = new double[k * k];
            initialGrad = new double[k];
            transitionGrad = new double[k * k];
            for (int j = 0; j < k; j++) {
                initialMask[j] = model.initial[j] > 0;
                initialLogits[j] = initialMask[j] ? Math.log(model.initial[j]) : 0;
            }
            for (int q = 0; q < k * k; q++) {
                transitionMask[q] = model.transitions[q] > 0;
                transitionLogits[q] = transitionMask[q] ? Math.log(model.transitions[q]) : 0;
            }
            blocks.add(new ParameterBlock(INITIAL_LOGITS, new int[] {k}, initialLogits, initialGrad));
            blocks.add(new ParameterBlock(TRANSITION_LOGITS, new int[] {k, k}, transitionLogits, transitionGrad));
            blocks.addAll(model.emission().parameters());
        }

        /** Takes the logits of a saved fit (π and A already restored are their softmax); empty keeps log π, log A. */
        void restore(Map<String, double[]> saved) {
            if (saved.isEmpty()) {
                return;
            }
            if (!saved.keySet().equals(java.util.Set.of(INITIAL_LOGITS, TRANSITION_LOGITS))) {
                throw new IllegalArgumentException("gradient training resumes from " + INITIAL_LOGITS + " and " + TRANSITION_LOGITS
                        + ", was given " + saved.keySet());
            }
            copy(saved.get(INITIAL_LOGITS), initialLogits, INITIAL_LOGITS);
            copy(saved.get(TRANSITION_LOGITS), transitionLogits, TRANSITION_LOGITS);
        }

        private static void copy(double[] from, double[] to, String name) {
            if (from.length != to.length) {
                throw new IllegalArgumentException("saved " + name + " has " + from.length + " entries, the model needs " + to.length);
            }
            System.arraycopy(from, 0, to, 0, to.length);
        }

        List<String> step(HiddenMarkovModel model, SequenceBatch seqs, Estep e) {
            for (ParameterBlock b : blocks) {
                Arrays.fill(b.gradient(), 0);
            }
            double n = Math.max(1, seqs.totalLength());
            Matrix dLogB = new Matrix(e.gamma.rows(), e.gamma.cols());
            for (int q = 0; q < dLogB.data().length; q++) {
                dLogB.data()[q] = -e.gamma.data()[q] / n;
            }
            model.emission().parameterGradient(HiddenMarkovModel.rows(seqs), dLogB);
            softmaxGradient(initialGrad, 0, initialMask, model.initial, e.initialCounts, n);
            for (int i = 0; i < k; i++) {
                softmaxGradient(transitionGrad, i * k, transitionMask, model.transitions, e.transitionCounts, n);
            }
            optimizer.step(blocks);
            softmax(initialLogits, 0, initialMask, model.initial);
            for (int i = 0; i < k; i++) {
                softmax(transitionLogits, i * k, transitionMask, model.transitions);
            }
            return List.of();
        }

        /** d(−ℓ/n)/dθ_j = −(c_j − p_j Σ c)/n over allowed entries; 0 for structural zeros. */
        private void softmaxGradient(double[] g, int from, boolean[] mask, double[] p, double[] counts, double n) {
            double total = 0;
            for (int j = 0; j < k; j++) {
                total += counts[from + j];
            }
            for (int j = 0; j < k; j++) {
                g[from + j] = mask[from + j] ? -(counts[from + j] - p[from + j] * total) / n : 0;
            }
        }

        private void softmax(double[] logits, int from, boolean[] mask, double[] p) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                if (mask[from + j]) {
                    max = Math.max(max, logits[from + j]);
                }
            }
            double s = 0;
            for (int j = 0; j < k; j++) {
                p[from + j] = mask[from + j] ? Math.exp(logits[from + j] - max) : 0;
                s += p[from + j];
            }
            for (int j = 0; j < k; j++) {
                p[from + j] /= s;
            }
        }
    }
}

package org.hybridbench.phone;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.data.SequenceBatch;
import org.hybridbench.api.model.ChainInference;
import org.hybridbench.api.model.ChainMarginals;
import org.hybridbench.api.model.EmissionModel;
import org.hybridbench.api.model.LabelledSequences;

/**
 * Embedded Baum-Welch (HTK's HERest): every utterance's composite HMM ({@link CompositeHmm}) built from its
 * transcript alone, forward-backward through the {@link ChainInference} service, and the posteriors pooled per
 * phone state: γ-weighted statistics into the emission model's {@code accumulate}/{@code maximize} (Rabiner 1989
 * eqs. 52–54 for mixtures) and expected stays and exits into each phone state's self-loop, a = E[stays] /
 * (E[stays] + E[exits]). One iteration is an EM step for log p(all utterances | transcripts), so the
 * log-likelihood never decreases (except after the emission re-seeded an emptied mixture component, which it
 * reports). Utterances run in parallel; their statistics are added in utterance order, so results do not depend
 * on the thread count.
 */
final class EmbeddedTrainer {
    /** A self-loop start taken from a segmentation is kept in this range, so no transition starts at 0 or 1. */
    static final double MIN_INITIAL_SELF_LOOP = 0.1;
    static final double MAX_INITIAL_SELF_LOOP = 0.95;
    /** Self-loop of a phone state no segmentation visited (HTK's prototype value). */
    static final double DEFAULT_SELF_LOOP = 0.6;
    /** Utterances whose statistics are held in memory at once. */
    static final int CHUNK = 32;
    /** The word of an emission report line that says a component was re-seeded (not an EM step). */
    static final String RESEEDED = "re-seeded";

    /** How the models start. */
    enum Init {
        /** Each utterance cut into equal parts, one per state of its transcript's phone models. */
        FLAT,
        /** Each labelled phone segment cut into equal parts, one per state of the phone. */
        LABELS;

        static Init fromConfig(String s) {
            return switch (s) {
                case "flat" -> FLAT;
                case "labels" -> LABELS;
                default -> throw new IllegalArgumentException("unknown init '" + s + "' (flat, labels)");
            };
        }
    }

    /** What one E-step saw, reported before the M-step that follows it. */
    record Iteration(int iteration, double logLikelihood, long frames, int skipped, boolean decreased, List<String> notes) {
    }

    /** Hears every evaluation and every update (for metrics, progress, checkpoints, cancellation). */
    interface Listener {
        void evaluated(Iteration it) throws Exception;

        /** After update number {@code updates}; {@code logLikelihood} is the E-step's that led to it. */
        void updated(int updates, double logLikelihood) throws Exception;
    }

    record Result(int iterations, boolean converged, double logLikelihood, long frames, int skipped) {
    }

    private final ChainInference inference;
    private final int threads;

    EmbeddedTrainer(ChainInference inference, int threads) {
        this.inference = inference;
        this.threads = Math.max(1, threads);
    }

    /**
     * Starts the phone models from a fixed segmentation: every frame assigned to one phone state (flat: uniform over
     * the transcript's states; labels: uniform within each labelled phone segment), then {@code emissionRounds}
     * M-steps of the emission model with those one-hot weights (more than one lets mixtures settle) and self-loops
     * from the segment lengths. Returns the emission's report lines.
     */
    static List<String> initialise(PhoneModelSet m, LabelledSequences data, List<int[]> transcripts, Init init,
            int emissionRounds) {
        SequenceBatch obs = data.observations();
        int k = m.numStates();
        int[][] seg = new int[obs.size()][];
        double[] stays = new double[k];
        double[] exits = new double[k];
        for (int u = 0; u < obs.size(); u++) {
            seg[u] = init == Init.FLAT ? flat(m, transcripts.get(u), obs.length(u)) : labelled(m, data, u);
            for (int t = 0; t < seg[u].length; t++) {
                boolean stay = t + 1 < seg[u].length && seg[u][t + 1] == seg[u][t];
                (stay ? stays : exits)[seg[u][t]] += 1;
            }
        }
        List<String> notes = new ArrayList<>();
        EmissionModel e = m.emission();
        for (int round = 0; round < Math.max(1, emissionRounds); round++) {
            for (int u = 0; u < obs.size(); u++) {
                if (seg[u].length == 0) {
                    continue;
                }
                Matrix w = new Matrix(seg[u].length, k);
                for (int t = 0; t < seg[u].length; t++) {
                    w.set(t, seg[u][t], 1);
                }
                try {
                    e.accumulate(obs.sequence(u), w);
                } catch (IllegalArgumentException ex) {
                    throw new IllegalArgumentException("utterance " + u + ": " + ex.getMessage(), ex);
                }
            }
            e.maximize();
            notes.addAll(e.lastMaximizeReport());
        }
        double[] a = new double[k];
        for (int i = 0; i < k; i++) {
            double n = stays[i] + exits[i];
            a[i] = n > 0 ? Math.min(MAX_INITIAL_SELF_LOOP, Math.max(MIN_INITIAL_SELF_LOOP, stays[i] / n)) : DEFAULT_SELF_LOOP;
        }
        m.setSelfLoops(a);
        return notes;
    }

    /** Frame t of T goes to composite state ⌊t·K/T⌋ of the transcript's K = N·S states. */
    static int[] flat(PhoneModelSet m, int[] transcript, int frames) {
        int[] e = CompositeHmm.emissionStates(m, transcript);
        int[] out = new int[frames];
        for (int t = 0; t < frames; t++) {
            out[t] = e[(int) ((long) t * e.length / frames)];
        }
        return out;
    }

    /** Frame i of a labelled phone segment of d frames goes to the phone's state ⌊i·S/d⌋. */
    static int[] labelled(PhoneModelSet m, LabelledSequences data, int u) {
        int[] states = data.states();
        int offset = data.observations().offset(u);
        int frames = data.observations().length(u);
        int[] out = new int[frames];
        int start = 0;
        while (start < frames) {
            int p = states[offset + start];
            if (p == LabelledSequences.UNLABELLED) {
                throw new IllegalArgumentException(data.name() + ": utterance " + u + ", frame " + start
                        + " has no phone label (init = labels needs every frame labelled)");
            }
            int end = start;
            while (end < frames && states[offset + end] == p) {
                end++;
            }
            int d = end - start;
            for (int i = 0; i < d; i++) {
                out[start + i] = m.emissionState(p, (int) ((long) i * m.statesPerPhone() / d));
            }
            start = end;
        }
        return out;
    }

    /** The statistics of one utterance. */
    private record Stats(double logLikelihood, Matrix weights, double[] stays, double[] exits) {
    }

    /**
     * Runs EM iterations {@code start}…{@code maxIterations}: each evaluates log p(utterances | transcripts) (E-step),
     * reports it and, unless it is the last or the change per frame fell below {@code tolerance}, updates the models.
     * Utterances with fewer frames than their transcript has states cannot be aligned and are skipped (counted).
     */
    Result train(PhoneModelSet m, SequenceBatch obs, List<int[]> transcripts, int start, double previous, int maxIterations,
            double tolerance, Listener listener) throws Exception {
        int k = m.numStates();
        long frames = 0;
        int skipped = 0;
        List<Integer> usable = new ArrayList<>();
        for (int u = 0; u < obs.size(); u++) {
            if (obs.length(u) == 0) {
                continue;
            }
            if (obs.length(u) < transcripts.get(u).length * m.statesPerPhone()) {
                skipped++;
                continue;
            }
            usable.add(u);
            frames += obs.length(u);
        }
        EmissionModel e = m.emission();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            boolean lastReseeded = false;
            double ll = previous;
            for (int it = start;; it++) {
                double[] stays = new double[k];
                double[] exits = new double[k];
                double sum = 0;
                for (int c = 0; c < usable.size(); c += CHUNK) {
                    List<Future<Stats>> futures = new ArrayList<>();
                    for (int i = c; i < Math.min(usable.size(), c + CHUNK); i++) {
                        int u = usable.get(i);
                        futures.add(pool.submit(() -> expect(m, obs.sequence(u), transcripts.get(u), u)));
                    }
                    for (int i = 0; i < futures.size(); i++) {
                        Stats s = get(futures.get(i));
                        sum += s.logLikelihood();
                        if (it < maxIterations) { // the last evaluation updates nothing
                            e.accumulate(obs.sequence(usable.get(c + i)), s.weights());
                        }
                        for (int j = 0; j < k; j++) {
                            stays[j] += s.stays()[j];
                            exits[j] += s.exits()[j];
                        }
                    }
                }
                boolean decreased = !Double.isNaN(ll) && sum < ll - 1e-9 * Math.abs(ll) && !lastReseeded;
                boolean converged = !Double.isNaN(ll) && Math.abs(sum - ll) < tolerance * Math.max(1, frames);
                listener.evaluated(new Iteration(it, sum, frames, skipped, decreased, List.of()));
                if (it >= maxIterations) {
                    return new Result(it, false, sum, frames, skipped);
                }
                // the statistics are in the emission now and it cannot drop them, so a converged run still applies
                // this (valid, monotone) EM update before it stops
                e.maximize();
                List<String> notes = e.lastMaximizeReport();
                lastReseeded = notes.stream().anyMatch(n -> n.contains(RESEEDED));
                double[] a = m.selfLoops();
                for (int j = 0; j < k; j++) {
                    double n = stays[j] + exits[j];
                    if (n > 0) {
                        a[j] = stays[j] / n;
                    }
                }
                m.setSelfLoops(a);
                if (!notes.isEmpty()) {
                    listener.evaluated(new Iteration(it, Double.NaN, frames, skipped, false, notes));
                }
                ll = sum;
                listener.updated(it + 1, sum);
                if (converged) {
                    return new Result(it + 1, true, sum, frames, skipped);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static Stats get(Future<Stats> f) throws Exception {
        try {
            return f.get();
        } catch (java.util.concurrent.ExecutionException ex) {
            if (ex.getCause() instanceof Exception c) {
                throw c;
            }
            throw ex;
        }
    }

    /** Forward-backward over one utterance's composite HMM: log p(y | transcript), γ per phone state, stays and exits. */
    private Stats expect(PhoneModelSet m, Matrix y, int[] transcript, int u) {
        int k = m.numStates();
        Matrix logB = new Matrix(y.rows(), k);
        try {
            m.emission().logDensity(y, logB);
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("utterance " + u + ": " + ex.getMessage(), ex);
        }
        int[] e = CompositeHmm.emissionStates(m, transcript);
        ChainMarginals g;
        try {
            g = inference.marginals(CompositeHmm.potentials(m, transcript, logB));
        } catch (RuntimeException ex) {
            throw new IllegalArgumentException("utterance " + u + " (" + y.rows() + " frames, " + transcript.length
                    + " phones): " + ex.getMessage(), ex);
        }
        int kc = e.length;
        Matrix w = new Matrix(y.rows(), k);
        double[] gd = g.posteriors().data();
        double[] wd = w.data();
        for (int t = 0; t < y.rows(); t++) {
            for (int j = 0; j < kc; j++) {
                wd[t * k + e[j]] += gd[t * kc + j];
            }
        }
        double[] stays = new double[k];
        double[] exits = new double[k];
        Matrix xi = g.expectedTransitions();
        for (int j = 0; j < kc; j++) {
            stays[e[j]] += xi.get(j, j);
            exits[e[j]] += j + 1 < kc ? xi.get(j, j + 1) : 1; // the utterance leaves its last state once
        }
        return new Stats(g.logPartition(), w, stays, exits);
    }
}

package org.hybridbench.chain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.ChainBatch;
import org.hybridbench.api.model.ChainBatchMarginals;
import org.hybridbench.api.model.ChainInference;
import org.hybridbench.api.model.ChainInputException;
import org.hybridbench.api.model.ChainMarginals;
import org.hybridbench.api.model.ChainNumerics;
import org.hybridbench.api.model.ChainPath;
import org.hybridbench.api.model.ChainPotentials;

/**
 * {@link ChainInference} on the one dynamic program of {@link ChainDp}: log-sum-exp or scaled sum-product for
 * log Z, marginals and sampling, max for Viterbi, k-max for n-best. Batches are cut into groups of
 * {@value #GROUP} consecutive sequences, each run in lock-step (one (rows × K)·(K × K) product per position);
 * groups run on up to {@code threads} threads and their sums are added in group order, so the result does not
 * depend on the number of threads. Immutable and thread-safe.
 */
public final class ChainEngine implements ChainInference {
    /** Sequences per lock-step group: enough rows for the 4-row product kernel, few enough to balance threads. */
    static final int GROUP = 32;
    /**
     * Fewest states for which dense batches of several sequences take the lock-step blocked kernels of
     * {@link Blocked} rather than {@link Fused} sequence by sequence (whose K = 3 path is unrolled).
     */
    static final int BLOCKED_MIN_K = 8;

    private final ChainNumerics numerics;
    private final int threads;
    /** null: sparse kernels when at most half the transitions are possible; else forced (for tests). */
    final Boolean forceSparse;
    /** Whether single dense chains take the hand-inlined kernels of {@link Fused} (off in tests of the generic DP). */
    final boolean fused;

    /** Single-threaded inference with the given numerics. */
    public ChainEngine(ChainNumerics numerics) {
        this(numerics, 1, null);
    }

    /**
     * @param threads threads for batches (at least 1)
     */
    public ChainEngine(ChainNumerics numerics, int threads) {
        this(numerics, threads, null);
    }

    ChainEngine(ChainNumerics numerics, int threads, Boolean forceSparse) {
        this(numerics, threads, forceSparse, true);
    }

    ChainEngine(ChainNumerics numerics, int threads, Boolean forceSparse, boolean fused) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        this.numerics = numerics;
        this.threads = threads;
        this.forceSparse = forceSparse;
        this.fused = fused;
    }

    @Override
    public ChainNumerics numerics() {
        return numerics;
    }

    @Override
    public ChainEngine withNumerics(ChainNumerics n) {
        return n == numerics ? this : new ChainEngine(n, threads, forceSparse, fused);
    }

    /** The same inference on {@code n} threads. */
    public ChainEngine withThreads(int n) {
        return n == threads ? this : new ChainEngine(numerics, n, forceSparse, fused);
    }

    public int threads() {
        return threads;
    }

    // ---------------------------------------------------------------- single chains

    @Override
    public double logPartition(ChainPotentials potentials) {
        Structure a = fusedStructure(potentials, ChainNumerics.SCALED);
        if (a != null) {
            try {
                return Fused.scaled(potentials.logInitial(), a, potentials.logUnary().data(), potentials.length(),
                        potentials.numStates(), null, null);
            } catch (ChainDp.DeadChain d) {
                // vanished, or NaN/+Infinity in the unaries: the generic log-space path reports or decides
            }
        }
        a = fusedStructure(potentials, ChainNumerics.LOG);
        if (a != null) {
            try {
                return Fused.log(potentials.logInitial(), a, potentials.logUnary().data(), potentials.length(),
                        potentials.numStates(), null, null);
            } catch (ChainDp.DeadChain d) {
                // impossible, or NaN/+Infinity in the unaries: the generic path reports
            }
        }
        return logPartition(single(potentials))[0];
    }

    @Override
    public ChainMarginals marginals(ChainPotentials potentials) {
        Structure a = fusedStructure(potentials, ChainNumerics.SCALED);
        if (a != null) {
            int k = potentials.numStates();
            double[] gamma = new double[Math.multiplyExact(potentials.length(), k)];
            double[] xi = new double[k * k];
            try {
                double z = Fused.scaled(potentials.logInitial(), a, potentials.logUnary().data(), potentials.length(), k, gamma, xi);
                if (Double.isFinite(z) && allFinite(xi)) {
                    return new ChainMarginals(z, new Matrix(potentials.length(), k, gamma), new Matrix(k, k, xi));
                }
            } catch (ChainDp.DeadChain d) {
                // as in logPartition
            }
        }
        a = fusedStructure(potentials, ChainNumerics.LOG);
        if (a != null) {
            int k = potentials.numStates();
            double[] gamma = new double[Math.multiplyExact(potentials.length(), k)];
            double[] xi = new double[k * k];
            try {
                double z = Fused.log(potentials.logInitial(), a, potentials.logUnary().data(), potentials.length(), k, gamma, xi);
                return new ChainMarginals(z, new Matrix(potentials.length(), k, gamma), new Matrix(k, k, xi));
            } catch (ChainDp.DeadChain d) {
                // as in logPartition
            }
        }
        ChainBatchMarginals m = marginals(single(potentials));
        return new ChainMarginals(m.logPartition()[0], m.posteriors(), m.expectedTransitions(), m.disagreement());
    }

    @Override
    public ChainPath viterbi(ChainPotentials potentials) {
        Structure a = fusedStructure(potentials, numerics);
        if (a != null) {
            int[] states = new int[potentials.length()];
            double score = Fused.viterbi(potentials.logInitial(), a.log, potentials.logUnary().data(), potentials.length(),
                    potentials.numStates(), states, new int[1]);
            if (Double.isFinite(score)) {
                return new ChainPath(states, score);
            }
            // else impossible or bad input: the generic path names sequence, position and value
        }
        return viterbi(single(potentials)).get(0);
    }

    /**
     * The transition structure when a hand-inlined kernel applies (fused on, the given numerics in use, dense
     * transitions), else null. Checks the initial and transition potentials; the kernels themselves turn NaN or
     * +Infinity in the unaries into a fall-back to the generic path, which reports them.
     */
    private Structure fusedStructure(ChainPotentials c, ChainNumerics wanted) {
        if (!fused || numerics != wanted) {
            return null;
        }
        checkShared(c.logInitial(), c.logTransition().data(), c.numStates());
        Structure a = Structure.of(c.logTransition().data(), c.numStates(), false, forceSparse);
        return a.sparse ? null : a;
    }

    @Override
    public List<ChainPath> nBest(ChainPotentials potentials, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n-best needs n >= 1, was " + n);
        }
        ChainBatch batch = single(potentials);
        int k = batch.numStates();
        int len = batch.length(0);
        if (len == 0) {
            return List.of(new ChainPath(new int[0], 0));
        }
        ChainDp.Prepared p = prepare(batch, false);
        ChainDp.Group g = ChainDp.Group.of(new int[] {0, len}, 0, 1);
        Semiring.KMax s = new Semiring.KMax(k, n);
        int[] back = new int[Math.multiplyExact(Math.multiplyExact(len, k), n)];
        double[] last = new double[k * n];
        double[] logZ = new double[1];
        try {
            ChainDp.run(s, p, g, false, null, null, back, null, logZ, last);
        } catch (ChainDp.DeadChain d) {
            throw impossible(batch, d);
        }
        // The n best of the K lists of the last position (each sorted), ties to the lower state.
        List<ChainPath> out = new ArrayList<>();
        int[] rank = new int[k];
        while (out.size() < n) {
            int best = -1;
            for (int j = 0; j < k; j++) {
                if (rank[j] < n && last[j * n + rank[j]] != Semiring.NEG_INF
                        && (best < 0 || last[j * n + rank[j]] > last[best * n + rank[best]])) {
                    best = j;
                }
            }
            if (best < 0) {
                break;
            }
            int[] states = new int[len];
            int j = best;
            int q = rank[best];
            double score = logZ[0] + last[j * n + q];
            rank[best]++;
            for (int t = len - 1; t > 0; t--) {
                states[t] = j;
                int code = back[(t * k + j) * n + q];
                j = code / n;
                q = code % n;
            }
            states[0] = j;
            out.add(new ChainPath(states, score));
        }
        return out;
    }

    @Override
    public ChainPath sample(ChainPotentials potentials, RandomGenerator rng) {
        ChainBatch batch = single(potentials);
        int k = batch.numStates();
        int len = batch.length(0);
        if (len == 0) {
            return new ChainPath(new int[0], 0);
        }
        boolean prob = numerics == ChainNumerics.SCALED;
        ChainDp.Group g = ChainDp.Group.of(new int[] {0, len}, 0, 1);
        double[] alpha = new double[len * k];
        ChainDp.Prepared p;
        try {
            p = prepare(batch, prob);
            ChainDp.run(prob ? new Semiring.Scaled(k) : new Semiring.Log(k), p, g, false, alpha, null, null, null, null, null);
        } catch (ChainDp.DeadChain d) {
            if (!prob) {
                throw impossible(batch, d);
            }
            prob = false;
            p = prepare(batch, false);
            try {
                ChainDp.run(new Semiring.Log(k), p, g, false, alpha, null, null, null, null, null);
            } catch (ChainDp.DeadChain d2) {
                throw impossible(batch, d2);
            }
        }
        // Backward sampling: s_{T−1} ~ α_{T−1}, s_t ~ α_t(i) A(i, s_{t+1}) (forward filter, backward sample).
        int[] states = new int[len];
        double[] wts = new double[k];
        for (int t = len - 1; t >= 0; t--) {
            int a = t * k;
            double mx = Semiring.NEG_INF;
            for (int i = 0; i < k; i++) {
                double v;
                if (t == len - 1) {
                    v = alpha[a + i];
                } else if (prob) {
                    v = alpha[a + i] * p.fwd.prob[i * k + states[t + 1]];
                } else {
                    v = alpha[a + i] + p.fwd.log[i * k + states[t + 1]];
                }
                wts[i] = v;
                mx = Math.max(mx, v);
            }
            double total = 0;
            for (int i = 0; i < k; i++) {
                wts[i] = prob ? wts[i] : (wts[i] == Semiring.NEG_INF ? 0 : Math.exp(wts[i] - mx));
                total += wts[i];
            }
            double u = rng.nextDouble() * total;
            int pick = -1;
            double acc = 0;
            for (int i = 0; i < k; i++) {
                if (wts[i] > 0) {
                    pick = i; // the last possible state absorbs rounding at the top of the range
                    acc += wts[i];
                    if (u < acc) {
                        break;
                    }
                }
            }
            states[t] = pick;
        }
        return new ChainPath(states, score(potentials, states));
    }

    /** The score of a path: logInitial[s_0] + Σ_t logUnary[t, s_t] + Σ_t logTransition[s_t, s_{t+1}]. */
    static double score(ChainPotentials c, int[] states) {
        if (states.length == 0) {
            return 0;
        }
        int k = c.numStates();
        double[] u = c.logUnary().data();
        double[] a = c.logTransition().data();
        double s = c.logInitial()[states[0]] + u[states[0]];
        for (int t = 1; t < states.length; t++) {
            s += a[states[t - 1] * k + states[t]] + u[t * k + states[t]];
        }
        return s;
    }

    // ---------------------------------------------------------------- batches

    @Override
    public double[] logPartition(ChainBatch batch) {
        if (numerics == ChainNumerics.VERIFY) {
            return withNumerics(ChainNumerics.LOG).logPartition(batch);
        }
        int k = batch.numStates();
        double[] out = new double[batch.size()];
        boolean prob = numerics == ChainNumerics.SCALED;
        if (prob && fused) {
            checkShared(batch.logInitial(), batch.logTransition().data(), k);
            Structure a = Structure.of(batch.logTransition().data(), k, false, forceSparse);
            if (!a.sparse) {
                try {
                    forGroups(batch, (g, gi) -> {
                        double[] z = new double[g.rows()];
                        Blocked.scaled(batch.logInitial(), a, null, batch.logUnary().data(), k, g, null, null, z);
                        for (int r = 0; r < g.rows(); r++) {
                            if (!Double.isFinite(z[r])) {
                                throw new ChainDp.DeadChain(g.seq[r], 0);
                            }
                            out[g.seq[r]] = z[r];
                        }
                    });
                    return out;
                } catch (ChainDp.DeadChain d) {
                    // vanished, or NaN/+Infinity in the unaries: log space decides or reports
                    return withNumerics(ChainNumerics.LOG).logPartition(batch);
                }
            }
        }
        ChainDp.Prepared p = prepare(batch, prob);
        try {
            forGroups(batch, (g, gi) -> {
                double[] z = new double[g.rows()];
                ChainDp.run(prob ? new Semiring.Scaled(k) : new Semiring.Log(k), p, g, false, null, null, null, null, z, null);
                for (int r = 0; r < g.rows(); r++) {
                    out[g.seq[r]] = z[r];
                }
            });
        } catch (ChainDp.DeadChain d) {
            if (!prob) {
                throw impossible(batch, d);
            }
            return withNumerics(ChainNumerics.LOG).logPartition(batch); // scaled messages vanished: redo in log space
        }
        return out;
    }

    @Override
    public ChainBatchMarginals marginals(ChainBatch batch) {
        switch (numerics) {
        case LOG:
            return forwardBackward(batch, false);
        case SCALED:
            try {
                ChainBatchMarginals f = fusedForwardBackward(batch);
                return f != null ? f : forwardBackward(batch, true);
            } catch (ChainDp.DeadChain d) {
                return forwardBackward(batch, false); // vanished in probability space; log space decides
            }
        default:
            ChainBatchMarginals ref = forwardBackward(batch, false);
            ChainBatchMarginals scaled;
            try {
                scaled = forwardBackward(batch, true);
            } catch (ChainDp.DeadChain d) {
                return new ChainBatchMarginals(ref.logPartition(), ref.posteriors(), ref.expectedTransitions(),
                        ref.expectedInitial(), OptionalDouble.of(Double.POSITIVE_INFINITY));
            }
            return new ChainBatchMarginals(ref.logPartition(), ref.posteriors(), ref.expectedTransitions(),
                    ref.expectedInitial(), OptionalDouble.of(disagreement(ref, scaled)));
        }
    }

    /**
     * Scaled forward-backward of a dense batch: with K ≥ {@value #BLOCKED_MIN_K} and several sequences, lock-step
     * groups as matrix products ({@link Blocked}); else through the fused single-sequence kernel, sequence by
     * sequence. Groups run on threads and ξ is summed in group order, so the result does not depend on the thread
     * count; null when the fused kernels do not apply. A sequence whose messages vanish or whose unaries hold
     * NaN/+Infinity throws DeadChain, and the caller redoes the batch in log space, which decides or reports the bad
     * input.
     */
    private ChainBatchMarginals fusedForwardBackward(ChainBatch batch) {
        if (!fused) {
            return null;
        }
        int k = batch.numStates();
        checkShared(batch.logInitial(), batch.logTransition().data(), k);
        Structure a = Structure.of(batch.logTransition().data(), k, false, forceSparse);
        if (a.sparse) {
            return null;
        }
        int n = batch.totalLength();
        double[] u = batch.logUnary().data();
        double[] gamma = new double[Math.multiplyExact(n, k)];
        double[] logZ = new double[batch.size()];
        double[][] xis = new double[groups(batch)][];
        if (k >= BLOCKED_MIN_K && batch.size() > 1) {
            double[] pt = transpose(a.prob, k);
            forGroups(batch, (g, gi) -> {
                double[] xi = new double[k * k];
                double[] z = new double[g.rows()];
                Blocked.scaled(batch.logInitial(), a, pt, u, k, g, gamma, xi, z);
                for (int r = 0; r < g.rows(); r++) {
                    if (!Double.isFinite(z[r])) {
                        throw new ChainDp.DeadChain(g.seq[r], 0);
                    }
                    logZ[g.seq[r]] = z[r];
                }
                if (!allFinite(xi)) {
                    throw new ChainDp.DeadChain(g.seq[0], 0);
                }
                xis[gi] = xi;
            });
        } else {
            forGroups(batch, (g, gi) -> {
                double[] xi = new double[k * k];
                double[] xb = new double[k * k];
                for (int r = 0; r < g.rows(); r++) {
                    int b = g.seq[r];
                    int len = batch.length(b);
                    if (len == 0) {
                        continue; // log Z of an empty chain is log 1
                    }
                    int off = batch.offset(b);
                    boolean whole = len == n; // one sequence: no copies of its unaries and posteriors
                    double[] ub = whole ? u : Arrays.copyOfRange(u, off * k, (off + len) * k);
                    double[] gb = whole ? gamma : new double[len * k];
                    Arrays.fill(xb, 0);
                    double z = Fused.scaled(batch.logInitial(), a, ub, len, k, gb, xb);
                    if (!Double.isFinite(z) || !allFinite(xb)) {
                        throw new ChainDp.DeadChain(b, 0);
                    }
                    logZ[b] = z;
                    if (!whole) {
                        System.arraycopy(gb, 0, gamma, off * k, len * k);
                    }
                    for (int e = 0; e < xi.length; e++) {
                        xi[e] += xb[e];
                    }
                }
                xis[gi] = xi;
            });
        }
        double[] xi = new double[k * k];
        for (double[] x : xis) {
            for (int e = 0; e < xi.length; e++) {
                xi[e] += x[e];
            }
        }
        double[] init = new double[k];
        for (int b = 0; b < batch.size(); b++) {
            if (batch.length(b) > 0) {
                int o = batch.offset(b) * k;
                for (int j = 0; j < k; j++) {
                    init[j] += gamma[o + j];
                }
            }
        }
        return new ChainBatchMarginals(logZ, new Matrix(n, k, gamma), new Matrix(k, k, xi), init, OptionalDouble.empty());
    }

    /** Largest difference: relative for log Z and ξ (counts grow with T), absolute for γ (a probability). */
    static double disagreement(ChainBatchMarginals a, ChainBatchMarginals b) {
        double d = 0;
        for (int i = 0; i < a.logPartition().length; i++) {
            d = Math.max(d, Math.abs(a.logPartition()[i] - b.logPartition()[i]) / Math.max(1, Math.abs(a.logPartition()[i])));
        }
        double[] ga = a.posteriors().data();
        double[] gb = b.posteriors().data();
        for (int i = 0; i < ga.length; i++) {
            d = Math.max(d, Math.abs(ga[i] - gb[i]));
        }
        double[] xa = a.expectedTransitions().data();
        double[] xb = b.expectedTransitions().data();
        for (int i = 0; i < xa.length; i++) {
            d = Math.max(d, Math.abs(xa[i] - xb[i]) / Math.max(1, Math.abs(xa[i])));
        }
        return d;
    }

    /** Forward-backward; throws DeadChain only in probability space (the caller then retries in log space). */
    private ChainBatchMarginals forwardBackward(ChainBatch batch, boolean prob) {
        int k = batch.numStates();
        int n = batch.totalLength();
        ChainDp.Prepared p = prepare(batch, prob);
        double[] alpha = new double[Math.multiplyExact(n, k)];
        double[] gamma = new double[alpha.length];
        double[] factors = new double[n];
        double[] logZ = new double[batch.size()];
        int groups = groups(batch);
        double[][] xis = new double[groups][];
        try {
            forGroups(batch, (g, gi) -> {
                double[] z = new double[g.rows()];
                Semiring s = prob ? new Semiring.Scaled(k) : new Semiring.Log(k);
                ChainDp.run(s, p, g, false, alpha, factors, null, null, z, null);
                for (int r = 0; r < g.rows(); r++) {
                    logZ[g.seq[r]] = z[r];
                }
                if (prob) {
                    Marginals.Scaled v = new Marginals.Scaled(p, g, alpha, factors, gamma);
                    ChainDp.run(s, p, g, true, null, null, null, v, null, null);
                    v.finish();
                    xis[gi] = v.xi;
                } else {
                    Marginals.Log v = new Marginals.Log(p, g, alpha, factors, gamma);
                    ChainDp.run(s, p, g, true, null, null, null, v, null, null);
                    xis[gi] = v.xi;
                }
            });
        } catch (ChainDp.DeadChain d) {
            if (prob) {
                throw d;
            }
            throw impossible(batch, d);
        }
        double[] xi = new double[k * k];
        for (double[] x : xis) {
            for (int e = 0; e < xi.length; e++) {
                xi[e] += x[e];
            }
        }
        double[] init = new double[k];
        for (int b = 0; b < batch.size(); b++) {
            if (batch.length(b) > 0) {
                int o = batch.offset(b) * k;
                for (int j = 0; j < k; j++) {
                    init[j] += gamma[o + j];
                }
            }
        }
        if (prob && !(allFinite(xi) && allFinite(logZ))) {
            throw new ChainDp.DeadChain(0, 0); // out of range in probability space: let log space decide
        }
        return new ChainBatchMarginals(logZ, new Matrix(n, k, gamma), new Matrix(k, k, xi), init, OptionalDouble.empty());
    }

    private static double[] transpose(double[] m, int k) {
        double[] t = new double[k * k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                t[j * k + i] = m[i * k + j];
            }
        }
        return t;
    }

    private static boolean allFinite(double[] v) {
        for (double x : v) {
            if (!Double.isFinite(x)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public List<ChainPath> viterbi(ChainBatch batch) {
        int k = batch.numStates();
        int n = batch.totalLength();
        ChainDp.Prepared p = prepare(batch, false);
        int[] back = new int[Math.multiplyExact(n, k)];
        ChainPath[] out = new ChainPath[batch.size()];
        try {
            forGroups(batch, (g, gi) -> {
                double[] z = new double[g.rows()];
                double[] last = new double[g.rows() * k];
                ChainDp.run(new Semiring.Max(k), p, g, false, null, null, back, null, z, last);
                for (int r = 0; r < g.rows(); r++) {
                    int len = g.len[r];
                    int[] states = new int[len];
                    if (len > 0) {
                        int j = 0;
                        for (int i = 1; i < k; i++) {
                            if (last[r * k + i] > last[r * k + j]) {
                                j = i;
                            }
                        }
                        for (int t = len - 1; t > 0; t--) {
                            states[t] = j;
                            j = back[(g.off[r] + t) * k + j];
                        }
                        states[0] = j;
                    }
                    out[g.seq[r]] = new ChainPath(states, z[r]);
                }
            });
        } catch (ChainDp.DeadChain d) {
            throw impossible(batch, d);
        }
        return Arrays.asList(out);
    }

    // ---------------------------------------------------------------- plumbing

    private static ChainBatch single(ChainPotentials c) {
        return new ChainBatch(c.logInitial(), c.logTransition(), c.logUnary(), new int[] {c.length()});
    }

    interface GroupTask {
        void run(ChainDp.Group g, int index);
    }

    private static int groups(ChainBatch batch) {
        return (batch.size() + GROUP - 1) / GROUP;
    }

    /** Runs the task on every group, on up to {@code threads} threads; rethrows the failure of the lowest group. */
    private void forGroups(ChainBatch batch, GroupTask task) {
        int groups = groups(batch);
        int[] offsets = new int[batch.size() + 1];
        for (int b = 0; b < batch.size(); b++) {
            offsets[b + 1] = offsets[b] + batch.length(b);
        }
        RuntimeException[] failures = new RuntimeException[groups];
        Runnable worker = new Runnable() {
            final AtomicInteger next = new AtomicInteger();

            @Override
            public void run() {
                for (int gi = next.getAndIncrement(); gi < groups; gi = next.getAndIncrement()) {
                    try {
                        task.run(ChainDp.Group.of(offsets, gi * GROUP, Math.min(batch.size(), (gi + 1) * GROUP)), gi);
                    } catch (RuntimeException e) {
                        failures[gi] = e;
                    }
                }
            }
        };
        int n = Math.min(threads, groups);
        if (n <= 1) {
            worker.run();
        } else {
            Thread[] pool = new Thread[n - 1];
            for (int i = 0; i < pool.length; i++) {
                pool[i] = new Thread(worker, "chain-inference-" + i);
                pool[i].setDaemon(true);
                pool[i].start();
            }
            worker.run();
            for (Thread t : pool) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for chain inference threads", e);
                }
            }
        }
        for (RuntimeException e : failures) {
            if (e != null) {
                throw e;
            }
        }
    }

    /**
     * Checks the potentials (NaN and +Infinity are errors, −Infinity means impossible) and converts them to the
     * domain of the semirings that will run: log values as they are, or probabilities exp(x − max) with the max of
     * each row kept in log, so every unary row has largest entry 1 however large the scores.
     */
    ChainDp.Prepared prepare(ChainBatch batch, boolean prob) {
        int k = batch.numStates();
        double[] init = batch.logInitial();
        double[] trans = batch.logTransition().data();
        double[] u = batch.logUnary().data();
        checkShared(init, trans, k);
        for (int b = 0; b < batch.size(); b++) {
            int o = batch.offset(b) * k;
            int end = o + batch.length(b) * k;
            for (int e = o; e < end; e++) {
                if (bad(u[e])) {
                    throw new ChainInputException(b, (e - o) / k, "sequence " + b + ", position " + (e - o) / k + ", state "
                            + (e - o) % k + ": log-unary is " + u[e]
                            + " (allowed: finite values, or -Infinity for an impossible state)");
                }
            }
        }
        Structure fwd = Structure.of(trans, k, false, forceSparse);
        return prepared(batch, prob, init, trans, u, k, fwd);
    }

    /** NaN and +Infinity in the initial or transition potentials are errors. */
    private static void checkShared(double[] init, double[] trans, int k) {
        for (int j = 0; j < k; j++) {
            if (bad(init[j])) {
                throw new ChainInputException(0, -1, "initial log-potential of state " + j + " is " + init[j]
                        + " (allowed: finite values, or -Infinity for an impossible state)");
            }
        }
        for (int e = 0; e < trans.length; e++) {
            if (bad(trans[e])) {
                throw new ChainInputException(0, -1, "transition log-potential from state " + e / k + " to state " + e % k
                        + " is " + trans[e] + " (allowed: finite values, or -Infinity for an impossible transition)");
            }
        }
    }

    /** Builds the per-semiring view of the potentials (see {@link #prepare}). */
    private ChainDp.Prepared prepared(ChainBatch batch, boolean prob, double[] init, double[] trans, double[] u, int k,
            Structure fwd) {
        Structure bwd = Structure.of(trans, k, true, forceSparse);
        if (!prob) {
            return new ChainDp.Prepared(k, init, u, null, 0, fwd, bwd);
        }
        double im = max(init, 0, k);
        double[] pi = new double[k];
        for (int j = 0; j < k; j++) {
            pi[j] = Math.exp(init[j] - im);
        }
        int rows = batch.totalLength();
        double[] pu = new double[u.length];
        double[] shift = new double[rows];
        for (int t = 0; t < rows; t++) {
            int o = t * k;
            double m = max(u, o, k);
            shift[t] = m;
            for (int j = 0; j < k; j++) {
                pu[o + j] = Math.exp(u[o + j] - m);
            }
        }
        return new ChainDp.Prepared(k, pi, pu, shift, im, fwd, bwd);
    }

    /** The largest of v[o … o+k−1], or 0 when all are −Infinity (then every exp(x − 0) is 0 and the DP reports it). */
    private static double max(double[] v, int o, int k) {
        double m = Semiring.NEG_INF;
        for (int j = 0; j < k; j++) {
            m = Math.max(m, v[o + j]);
        }
        return m == Semiring.NEG_INF ? 0 : m;
    }

    private static boolean bad(double x) {
        return Double.isNaN(x) || x == Double.POSITIVE_INFINITY;
    }

    private static ChainInputException impossible(ChainBatch batch, ChainDp.DeadChain d) {
        int k = batch.numStates();
        double[] row = Arrays.copyOfRange(batch.logUnary().data(), (batch.offset(d.sequence) + d.position) * k,
                (batch.offset(d.sequence) + d.position + 1) * k);
        String where = d.position == 0 ? " (with the initial log-potentials " + Arrays.toString(batch.logInitial()) + ")"
                : " given the positions before it and the transitions";
        return new ChainInputException(d.sequence, d.position, "sequence " + d.sequence + ", position " + d.position
                + ": no path is possible, every state has probability 0 there" + where + "; log-unaries at that position: "
                + Arrays.toString(row));
    }
}

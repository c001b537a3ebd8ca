package org.hybridbench.emission;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.EmissionModel;
import org.hybridbench.api.model.LabelledSequences;
import org.hybridbench.api.model.ParameterBlock;

/**
 * A categorical distribution over V symbols per state, b_i(v) = p_iv (Rabiner 1989's discrete b_j(k)). One
 * observation is one column holding a symbol index 0 … V−1; anything else (negative, fractional, ≥ V, NaN) is
 * rejected naming the position and value.
 *
 * <p>Parameter block {@code logits} [K, V] with p_i = softmax(θ_i), unconstrained for gradient training;
 * ∂ log b_i(v)/∂θ_iu = δ_uv − p_iu. M-step (Rabiner eq. 40c): p_iv = (Σ_t γ_ti [y_t = v] + α) / (Σ_t γ_ti + Vα)
 * with pseudocount α ≥ 0 (0 = maximum likelihood; a symbol never seen in a state then has probability 0 there, logit
 * −∞, so an HMM reports an observation impossible under every state instead of silently scoring it). A state with no weight keeps its parameters
 * (reported). The observations are discrete, so log b is piecewise constant in y: {@link #observationGradient}
 * returns zeros (documented, not an error, so a hybrid with mixed emissions still runs).
 */
public final class CategoricalEmission implements EmissionModel {
    private static final String NAME = "categorical emission";
    private final int k;
    private final int v;
    private final double pseudocount;
    final double[] logits;
    private final double[] grad;
    private final double[] counts;
    private final List<String> report = new ArrayList<>();

    /** Uniform probabilities. */
    public CategoricalEmission(int states, int symbols, double pseudocount) {
        if (states < 1 || symbols < 1) {
            throw new IllegalArgumentException("need at least one state and one symbol, got " + states + " and " + symbols);
        }
        if (!(pseudocount >= 0) || Double.isInfinite(pseudocount)) {
            throw new IllegalArgumentException("pseudocount must be finite and non-negative, was " + pseudocount);
        }
        this.k = states;
        this.v = symbols;
        this.pseudocount = pseudocount;
        logits = new double[k * v];
        grad = new double[k * v];
        counts = new double[k * v];
    }

    public int symbols() {
        return v;
    }

    public double pseudocount() {
        return pseudocount;
    }

    /** p_i as a copy. */
    public double[] probabilities(int state) {
        double[] p = new double[v];
        double lse = Observations.logSumExp(logits, state * v, v);
        for (int s = 0; s < v; s++) {
            p[s] = Math.exp(logits[state * v + s] - lse);
        }
        return p;
    }

    public void setProbabilities(int state, double[] p) {
        if (p.length != v) {
            throw new IllegalArgumentException(p.length + " probabilities for " + v + " symbols");
        }
        for (int s = 0; s < v; s++) {
            logits[state * v + s] = Math.log(p[s]);
        }
    }

    @Override
    public int numStates() {
        return k;
    }

    @Override
    public int dimension() {
        return 1;
    }

    private double[] logProbabilities() {
        double[] lp = new double[k * v];
        for (int i = 0; i < k; i++) {
            double lse = Observations.logSumExp(logits, i * v, v);
            for (int s = 0; s < v; s++) {
                lp[i * v + s] = logits[i * v + s] - lse;
            }
        }
        return lp;
    }

    @Override
    public void logDensity(Matrix observations, Matrix out) {
        Observations.requireCounts(observations, 1, v, NAME);
        Observations.requirePerState(observations, out, k, "log-density output");
        double[] lp = logProbabilities();
        double[] y = observations.data();
        double[] o = out.data();
        for (int t = 0; t < y.length; t++) {
            int s = (int) y[t];
            for (int i = 0; i < k; i++) {
                o[t * k + i] = lp[i * v + s];
            }
        }
    }

    @Override
    public void accumulate(Matrix observations, Matrix weights) {
        Observations.requireCounts(observations, 1, v, NAME);
        Observations.requirePerState(observations, weights, k, "weights");
        double[] y = observations.data();
        double[] g = weights.data();
        for (int t = 0; t < y.length; t++) {
            int s = (int) y[t];
            for (int i = 0; i < k; i++) {
                double w = g[t * k + i];
                if (!(w >= 0) || Double.isInfinite(w)) {
                    throw new IllegalArgumentException(NAME + ": weight " + w + " at position " + t + ", state " + i
                            + " (weights must be finite and non-negative)");
                }
                counts[i * v + s] += w;
            }
        }
    }

    @Override
    public void maximize() {
        report.clear();
        for (int i = 0; i < k; i++) {
            double n = 0;
            for (int s = 0; s < v; s++) {
                n += counts[i * v + s];
            }
            if (n <= GaussianEmissionBase.EMPTY_WEIGHT && pseudocount == 0) {
                report.add("state " + i + " received total weight " + n + ": it keeps its previous symbol probabilities");
                continue;
            }
            for (int s = 0; s < v; s++) {
                logits[i * v + s] = Math.log((counts[i * v + s] + pseudocount) / (n + v * pseudocount));
            }
        }
        Arrays.fill(counts, 0);
    }

    @Override
    public List<String> lastMaximizeReport() {
        return List.copyOf(report);
    }

    @Override
    public List<ParameterBlock> parameters() {
        return List.of(new ParameterBlock("logits", new int[] {k, v}, logits, grad));
    }

    @Override
    public void parameterGradient(Matrix observations, Matrix dLogB) {
        Observations.requireCounts(observations, 1, v, NAME);
        Observations.requirePerState(observations, dLogB, k, "dLogB");
        double[] lp = logProbabilities();
        double[] y = observations.data();
        double[] g = dLogB.data();
        for (int t = 0; t < y.length; t++) {
            int s = (int) y[t];
            for (int i = 0; i < k; i++) {
                double gi = g[t * k + i];
                if (gi == 0) {
                    continue;
                }
                for (int u = 0; u < v; u++) {
                    grad[i * v + u] -= gi * Math.exp(lp[i * v + u]);
                }
                grad[i * v + s] += gi;
            }
        }
    }

    /** Zeros: log b is piecewise constant in a symbol index (see the class comment). */
    @Override
    public void observationGradient(Matrix observations, Matrix dLogB, Matrix out) {
        Observations.requireCounts(observations, 1, v, NAME);
        Observations.requirePerState(observations, dLogB, k, "dLogB");
        Arrays.fill(out.data(), 0);
    }

    @Override
    public Matrix sample(int[] states, RandomGenerator rng) {
        double[] lp = logProbabilities();
        Matrix out = new Matrix(states.length, 1);
        for (int t = 0; t < states.length; t++) {
            int i = states[t];
            double u = rng.nextDouble();
            int s = 0;
            while (s < v - 1 && (u -= Math.exp(lp[i * v + s])) >= 0) {
                s++;
            }
            out.data()[t] = s;
        }
        return out;
    }

    @Override
    public long freeParameters() {
        return (long) k * (v - 1);
    }

    /**
     * Initialises from data: each state gets the symbol frequencies of the data (plus the pseudocount, and at
     * least 1e-3 of a count) multiplied by independent factors drawn uniformly from [0.5, 1.5], then
     * normalised, so states differ and EM can break their symmetry.
     */
    public void initialize(Matrix data, RandomGenerator rng) {
        Observations.requireCounts(data, 1, v, NAME);
        double[] f = new double[v];
        for (double y : data.data()) {
            f[(int) y]++;
        }
        for (int i = 0; i < k; i++) {
            double[] p = new double[v];
            double sum = 0;
            for (int s = 0; s < v; s++) {
                p[s] = Math.max(f[s] + pseudocount, 1e-3) * (0.5 + rng.nextDouble());
                sum += p[s];
            }
            for (int s = 0; s < v; s++) {
                p[s] /= sum;
            }
            setProbabilities(i, p);
        }
    }

    /**
     * Initialises every state from its own labelled symbols: p_i ∝ max(count_i + pseudocount, 10⁻³) (the floor keeps
     * symbols unseen in a state possible). A state without labelled positions starts from the frequencies of all
     * symbols × U[0.5, 1.5] (as {@link #initialize}) and is listed in the returned lines.
     */
    public List<String> initializeFromLabels(Matrix data, int[] labels, List<String> stateNames, RandomGenerator rng) {
        Observations.requireCounts(data, 1, v, NAME);
        int[] n = Observations.labelCounts(labels, data.rows(), k, NAME);
        double[] all = new double[v];
        double[][] f = new double[k][v];
        for (int t = 0; t < data.rows(); t++) {
            int y = (int) data.get(t, 0);
            all[y]++;
            if (labels[t] != LabelledSequences.UNLABELLED) {
                f[labels[t]][y]++;
            }
        }
        List<String> notes = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            boolean none = n[i] == 0;
            if (none) {
                notes.add(Observations.stateName(i, stateNames) + ": no labelled positions; it starts from the frequencies of all "
                        + "symbols, perturbed");
            }
            double[] p = new double[v];
            double sum = 0;
            for (int s = 0; s < v; s++) {
                p[s] = none ? Math.max(all[s] + pseudocount, 1e-3) * (0.5 + rng.nextDouble()) : Math.max(f[i][s] + pseudocount, 1e-3);
                sum += p[s];
            }
            for (int s = 0; s < v; s++) {
                p[s] /= sum;
            }
            setProbabilities(i, p);
        }
        return notes;
    }
}

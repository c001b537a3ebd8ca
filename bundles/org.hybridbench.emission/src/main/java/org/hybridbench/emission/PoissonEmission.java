package org.hybridbench.emission;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

import org.apache.commons.math3.special.Gamma;
import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.EmissionModel;
import org.hybridbench.api.model.LabelledSequences;
import org.hybridbench.api.model.ParameterBlock;

/**
 * Independent Poisson counts in each of d columns, b_i(y) = Π_j λ_ij^{y_j} e^{−λ_ij} / y_j!. Observations must be
 * non-negative integers (an error names the position, column and value otherwise).
 *
 * <p>Parameter block {@code logRates} [K, d] (unconstrained): ∂ log b_i/∂ log λ_ij = y_j − λ_ij. M-step:
 * λ_ij = Σ_t γ_ti y_tj / Σ_t γ_ti, floored at {@code rateFloor} (a rate of 0 would make any later positive count
 * impossible; the floor is the exact constrained maximiser since the objective is concave in λ). A state with
 * no weight keeps its rates (reported). {@link #observationGradient} differentiates the continuous extension
 * y log λ − λ − ln Γ(y + 1): ∂/∂y = log λ − ψ(y + 1) (ψ = digamma), useful when a network produces rates-like y.
 */
public final class PoissonEmission implements EmissionModel {
    private static final String NAME = "Poisson emission";
    private final int k;
    private final int d;
    private final double rateFloor;
    final double[] logRates;
    private final double[] grad;
    private final double[] statN;
    private final double[] statY;
    private final List<String> report = new ArrayList<>();

    /** All rates 1. */
    public PoissonEmission(int states, int dimension, double rateFloor) {
        if (states < 1 || dimension < 1) {
            throw new IllegalArgumentException("need at least one state and one dimension, got " + states + " and " + dimension);
        }
        if (!(rateFloor > 0)) {
            throw new IllegalArgumentException("rateFloor must be positive, was " + rateFloor);
        }
        this.k = states;
        this.d = dimension;
        this.rateFloor = rateFloor;
        logRates = new double[k * d];
        grad = new double[k * d];
        statN = new double[k];
        statY = new double[k * d];
    }

    public double rateFloor() {
        return rateFloor;
    }

    /** λ_i as a copy. */
    public double[] rates(int state) {
        double[] r = new double[d];
        for (int j = 0; j < d; j++) {
            r[j] = Math.exp(logRates[state * d + j]);
        }
        return r;
    }

    public void setRates(int state, double[] rates) {
        for (int j = 0; j < d; j++) {
            if (!(rates[j] > 0)) {
                throw new IllegalArgumentException("rate " + rates[j] + " of state " + state + ", column " + j + " must be positive");
            }
            logRates[state * d + j] = Math.log(rates[j]);
        }
    }

    @Override
    public int numStates() {
        return k;
    }

    @Override
    public int dimension() {
        return d;
    }

    @Override
    public void logDensity(Matrix observations, Matrix out) {
        Observations.requireCounts(observations, d, 0, NAME);
        Observations.requirePerState(observations, out, k, "log-density output");
        double[] y = observations.data();
        double[] o = out.data();
        double[] rate = new double[k * d];
        for (int q = 0; q < rate.length; q++) {
            rate[q] = Math.exp(logRates[q]);
        }
        for (int t = 0; t < observations.rows(); t++) {
            double lf = 0;
            for (int j = 0; j < d; j++) {
                lf += Gamma.logGamma(y[t * d + j] + 1);
            }
            for (int i = 0; i < k; i++) {
                double s = -lf;
                for (int j = 0; j < d; j++) {
                    double yj = y[t * d + j];
                    s += (yj == 0 ? 0 : yj * logRates[i * d + j]) - rate[i * d + j];
                }
                o[t * k + i] = s;
            }
        }
    }

    @Override
    public void accumulate(Matrix observations, Matrix weights) {
        Observations.requireCounts(observations, d, 0, NAME);
        Observations.requirePerState(observations, weights, k, "weights");
        double[] y = observations.data();
        double[] g = weights.data();
        for (int t = 0; t < observations.rows(); t++) {
            for (int i = 0; i < k; i++) {
                double w = g[t * k + i];
                if (!(w >= 0) || Double.isInfinite(w)) {
                    throw new IllegalArgumentException(NAME + ": weight " + w + " at position " + t + ", state " + i
                            + " (weights must be finite and non-negative)");
                }
                statN[i] += w;
                for (int j = 0; j < d; j++) {
                    statY[i * d + j] += w * y[t * d + j];
                }
            }
        }
    }

    @Override
    public void maximize() {
        report.clear();
        for (int i = 0; i < k; i++) {
            if (statN[i] <= GaussianEmissionBase.EMPTY_WEIGHT) {
                report.add("state " + i + " received total weight " + statN[i] + ": it keeps its previous rates");
                continue;
            }
            int floored = 0;
            for (int j = 0; j < d; j++) {
                double rate = statY[i * d + j] / statN[i];
                if (rate < rateFloor) {
                    floored++;
                }
                logRates[i * d + j] = Math.log(Math.max(rate, rateFloor));
            }
            if (floored > 0) {
                report.add("state " + i + ": " + floored + " rate(s) raised to the floor " + rateFloor);
            }
        }
        Arrays.fill(statN, 0);
        Arrays.fill(statY, 0);
    }

    @Override
    public List<String> lastMaximizeReport() {
        return List.copyOf(report);
    }

    @Override
    public List<ParameterBlock> parameters() {
        return List.of(new ParameterBlock("logRates", new int[] {k, d}, logRates, grad));
    }

    @Override
    public void parameterGradient(Matrix observations, Matrix dLogB) {
        Observations.requireCounts(observations, d, 0, NAME);
        Observations.requirePerState(observations, dLogB, k, "dLogB");
        double[] y = observations.data();
        double[] g = dLogB.data();
        for (int t = 0; t < observations.rows(); t++) {
            for (int i = 0; i < k; i++) {
                double gi = g[t * k + i];
                if (gi == 0) {
                    continue;
                }
                for (int j = 0; j < d; j++) {
                    grad[i * d + j] += gi * (y[t * d + j] - Math.exp(logRates[i * d + j]));
                }
            }
        }
    }

    @Override
    public void observationGradient(Matrix observations, Matrix dLogB, Matrix out) {
        Observations.requireCounts(observations, d, 0, NAME);
        Observations.requirePerState(observations, dLogB, k, "dLogB");
        double[] y = observations.data();
        double[] g = dLogB.data();
        double[] o = out.data();
        for (int t = 0; t < observations.rows(); t++) {
            for (int j = 0; j < d; j++) {
                double psi = Gamma.digamma(y[t * d + j] + 1);
                double s = 0;
                for (int i = 0; i < k; i++) {
                    s += g[t * k + i] * (logRates[i * d + j] - psi);
                }
                o[t * d + j] = s;
            }
        }
    }

    /** Knuth's multiplication method for small rates, normal approximation rounded above 1e4 (documented). */
    @Override
    public Matrix sample(int[] states, RandomGenerator rng) {
        Matrix out = new Matrix(states.length, d);
        for (int t = 0; t < states.length; t++) {
            for (int j = 0; j < d; j++) {
                double lambda = Math.exp(logRates[states[t] * d + j]);
                out.data()[t * d + j] = poisson(lambda, rng);
            }
        }
        return out;
    }

    static double poisson(double lambda, RandomGenerator rng) {
        if (lambda > 1e4) {
            return Math.max(0, Math.rint(lambda + Math.sqrt(lambda) * rng.nextGaussian()));
        }
        // split large rates into chunks of at most 500 so e^{-λ} does not underflow (sum of Poissons is Poisson)
        double total = 0;
        double rest = lambda;
        while (rest > 0) {
            double chunk = Math.min(rest, 500);
            rest -= chunk;
            double limit = Math.exp(-chunk);
            double p = rng.nextDouble();
            int n = 0;
            while (p > limit) {
                p *= rng.nextDouble();
                n++;
            }
            total += n;
        }
        return total;
    }

    @Override
    public long freeParameters() {
        return (long) k * d;
    }

    /**
     * Initialises from data: positions sorted by their total count are cut into K equal groups and state i gets
     * the mean counts of group i (floored), so states are ordered by rate.
     */
    public void initialize(Matrix data, RandomGenerator rng) {
        Observations.requireCounts(data, d, 0, NAME);
        int n = data.rows();
        if (n == 0) {
            throw new IllegalArgumentException(NAME + ": cannot initialise from data without observations");
        }
        Integer[] order = new Integer[n];
        double[] total = new double[n];
        for (int t = 0; t < n; t++) {
            order[t] = t;
            for (int j = 0; j < d; j++) {
                total[t] += data.get(t, j);
            }
            total[t] += 1e-9 * rng.nextDouble(); // random tie-break among equal totals
        }
        Arrays.sort(order, (a, b) -> Double.compare(total[a], total[b]));
        for (int i = 0; i < k; i++) {
            int from = (int) ((long) i * n / k);
            int to = Math.max(from + 1, (int) ((long) (i + 1) * n / k));
            double[] r = new double[d];
            for (int q = from; q < Math.min(to, n); q++) {
                for (int j = 0; j < d; j++) {
                    r[j] += data.get(order[q], j);
                }
            }
            for (int j = 0; j < d; j++) {
                r[j] = Math.max(r[j] / (Math.min(to, n) - from), rateFloor);
            }
            setRates(i, r);
        }
    }

    /**
     * Initialises every state's rates as the mean of its own labelled counts, floored at the rate floor. A state
     * without labelled positions starts at the mean of all counts and is listed in the returned lines.
     */
    public List<String> initializeFromLabels(Matrix data, int[] labels, List<String> stateNames) {
        Observations.requireCounts(data, d, 0, NAME);
        int[] n = Observations.labelCounts(labels, data.rows(), k, NAME);
        if (data.rows() == 0) {
            throw new IllegalArgumentException(NAME + ": cannot initialise from data without observations");
        }
        double[] all = new double[d];
        double[][] sum = new double[k][d];
        for (int t = 0; t < data.rows(); t++) {
            for (int j = 0; j < d; j++) {
                double y = data.get(t, j);
                all[j] += y;
                if (labels[t] != LabelledSequences.UNLABELLED) {
                    sum[labels[t]][j] += y;
                }
            }
        }
        List<String> notes = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            if (n[i] == 0) {
                notes.add(Observations.stateName(i, stateNames) + ": no labelled positions; it starts at the mean of all counts");
            }
            double[] r = new double[d];
            for (int j = 0; j < d; j++) {
                r[j] = Math.max(n[i] == 0 ? all[j] / data.rows() : sum[i][j] / n[i], rateFloor);
            }
            setRates(i, r);
        }
        return notes;
    }
}

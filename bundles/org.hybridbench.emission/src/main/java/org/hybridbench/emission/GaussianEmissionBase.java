package org.hybridbench.emission;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.EmissionModel;
import org.hybridbench.api.model.ParameterBlock;

/**
 * K states, each a mixture of M Gaussians in d dimensions: b_i(y) = Σ_m Z_im N(y; μ_im, Σ_im) (Bishop PRML
 * eq. 9.7; M = 1 is the plain Gaussian emission of PRML §13.2). Shared code of {@link GaussianEmission} and
 * {@link GaussianMixtureEmission}.
 *
 * <p><b>Parametrisation.</b> Every covariance is stored as the Cholesky factor of its precision, Σ⁻¹ = U Uᵀ with
 * U upper triangular (diagonal for spherical/diagonal covariances; one U for all Gaussians when tied), and the
 * mixture weights as logits, Z_i = softmax(θ_i). Both are unconstrained for gradient training: any U with a
 * non-zero diagonal is a valid precision (log|U_aa| is used in the normaliser), any θ a valid weight vector.
 * The density needs no solve: log N = −½ d log 2π + Σ_a log|U_aa| − ½ |Uᵀ(y − μ)|².
 *
 * <p><b>M-step</b> (PRML eqs. 9.24–9.27, 13.20–13.21) with weights γ_ti · ρ_tim, ρ the responsibility of component
 * m within state i. Covariances are floored: clamp for spherical/diagonal, eigenvalue clamp for full/tied (the
 * exact constrained maximiser, so EM stays monotone); factorisation with Cholesky retried with jitter. A state
 * with accumulated weight at most {@value #EMPTY_WEIGHT} keeps its parameters; a mixture component that empties in a
 * state with data is re-seeded by splitting the state's heaviest component; every such event is listed by
 * {@link #lastMaximizeReport()} instead of producing NaN.
 *
 * <p><b>Initialisation</b> from data ({@link #initialize}: k-means over all rows) or, for labelled data, per state
 * from its own rows ({@link #initializeFromLabels}).
 */
public abstract class GaussianEmissionBase implements EmissionModel {
    /** A state or component whose accumulated weight is at most this is empty. */
    public static final double EMPTY_WEIGHT = 1e-6;
    /** How far (in standard deviations per coordinate) the two halves of a split component move apart from its mean. */
    public static final double SPLIT_OFFSET = 0.2;
    /** The word in a {@link #lastMaximizeReport()} line that says a component was re-seeded (not an EM step). */
    public static final String RESEEDED = "re-seeded";
    /** Labelled rows per mixture component below which label initialisation uses the data's covariance. */
    public static final int MIN_ROWS_PER_COMPONENT = 2;
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    final int k;
    final int m;
    final int d;
    final int comps;
    final int groups;
    final CovarianceType type;
    final double floor;
    private final int psize;
    final double[] logits;
    final double[] means;
    final double[] prec;
    private final double[] logitsGrad;
    private final double[] meansGrad;
    private final double[] precGrad;

    private final double[] statN;
    private final double[] statX;
    private final double[] statXX;
    private final double[] shift;
    private boolean accumulating;
    private final List<String> report = new ArrayList<>();

    GaussianEmissionBase(int states, int components, int dimension, CovarianceType type, double covarianceFloor) {
        if (states < 1 || components < 1 || dimension < 1) {
            throw new IllegalArgumentException("need at least one state, component and dimension, got " + states + ", "
                    + components + ", " + dimension);
        }
        if (!(covarianceFloor > 0)) {
            throw new IllegalArgumentException("covarianceFloor must be positive, was " + covarianceFloor);
        }
        this.k = states;
        this.m = components;
        this.d = dimension;
        this.comps = states * components;
        this.type = type;
        this.floor = covarianceFloor;
        this.groups = type == CovarianceType.TIED ? 1 : comps;
        this.psize = switch (type) {
            case SPHERICAL -> 1;
            case DIAGONAL -> d;
            case FULL, TIED -> d * d;
        };
        logits = new double[comps];
        means = new double[comps * d];
        prec = new double[groups * psize];
        for (int g = 0; g < groups; g++) {
            setIdentityPrecision(g, 1);
        }
        logitsGrad = new double[logits.length];
        meansGrad = new double[means.length];
        precGrad = new double[prec.length];
        statN = new double[comps];
        statX = new double[comps * d];
        statXX = new double[comps * psize];
        shift = new double[comps * d];
    }

    abstract String modelName();

    @Override
    public int numStates() {
        return k;
    }

    @Override
    public int dimension() {
        return d;
    }

    public CovarianceType covarianceType() {
        return type;
    }

    public double covarianceFloor() {
        return floor;
    }

    /** Mixture components per state (1 for a plain Gaussian). */
    public int componentsPerState() {
        return m;
    }

    int group(int c) {
        return type == CovarianceType.TIED ? 0 : c;
    }

    private void setIdentityPrecision(int g, double u) {
        int o = g * psize;
        Arrays.fill(prec, o, o + psize, 0);
        switch (type) {
            case SPHERICAL -> prec[o] = u;
            case DIAGONAL -> Arrays.fill(prec, o, o + d, u);
            case FULL, TIED -> {
                for (int a = 0; a < d; a++) {
                    prec[o + a * d + a] = u;
                }
            }
        }
    }

    // ---------------------------------------------------------------- parameters in natural form

    /** A copy of μ of component {@code comp} of state {@code state}. */
    public double[] mean(int state, int comp) {
        int c = state * m + comp;
        return Arrays.copyOfRange(means, c * d, (c + 1) * d);
    }

    public void setMean(int state, int comp, double[] mean) {
        if (mean.length != d) {
            throw new IllegalArgumentException("mean of length " + mean.length + " for dimension " + d);
        }
        System.arraycopy(mean, 0, means, (state * m + comp) * d, d);
    }

    /** Mixture weight Z of component {@code comp} in state {@code state}. */
    public double mixtureWeight(int state, int comp) {
        double lse = Observations.logSumExp(logits, state * m, m);
        return Math.exp(logits[state * m + comp] - lse);
    }

    public void setMixtureWeights(int state, double[] weights) {
        for (int j = 0; j < m; j++) {
            logits[state * m + j] = Observations.safeLog(weights[j]);
        }
    }

    /** Σ of a component as a dense d × d array (for tied covariances the shared one). */
    public double[] covariance(int state, int comp) {
        return covarianceOfGroup(group(state * m + comp));
    }

    private double[] covarianceOfGroup(int g) {
        double[] u = denseU(g);
        double[] ut = transpose(u);
        double[] w = LinearAlgebra.inverseTranspose(ut, d); // U⁻¹ (upper)
        double[] s = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double v = 0;
                for (int q = 0; q < d; q++) {
                    v += w[q * d + i] * w[q * d + j];
                }
                s[i * d + j] = v; // Σ = U⁻ᵀ U⁻¹
            }
        }
        return s;
    }

    /**
     * Sets the covariance of a component from a dense symmetric positive-definite d × d matrix, reduced to the
     * storage type (spherical: mean of the diagonal; diagonal: the diagonal; tied: sets the shared one).
     */
    public void setCovariance(int state, int comp, double[] sigma) {
        setCovarianceOfGroup(group(state * m + comp), sigma.clone());
    }

    /** Returns the jitter Cholesky needed (0 normally). */
    private double setCovarianceOfGroup(int g, double[] sigma) {
        int o = g * psize;
        switch (type) {
            case SPHERICAL -> {
                double t = 0;
                for (int a = 0; a < d; a++) {
                    t += sigma[a * d + a];
                }
                prec[o] = 1 / Math.sqrt(t / d);
                return 0;
            }
            case DIAGONAL -> {
                for (int a = 0; a < d; a++) {
                    prec[o + a] = 1 / Math.sqrt(sigma[a * d + a]);
                }
                return 0;
            }
            default -> {
                LinearAlgebra.Factor f = LinearAlgebra.choleskyWithJitter(sigma, d, floor);
                System.arraycopy(LinearAlgebra.inverseTranspose(f.lower(), d), 0, prec, o, d * d);
                return f.jitter();
            }
        }
    }

    private double[] denseU(int g) {
        int o = g * psize;
        double[] u = new double[d * d];
        for (int a = 0; a < d; a++) {
            switch (type) {
                case SPHERICAL -> u[a * d + a] = prec[o];
                case DIAGONAL -> u[a * d + a] = prec[o + a];
                default -> System.arraycopy(prec, o, u, 0, d * d);
            }
        }
        return u;
    }

    private double[] transpose(double[] a) {
        double[] t = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                t[j * d + i] = a[i * d + j];
            }
        }
        return t;
    }

    // ---------------------------------------------------------------- density kernels

    /** Per group the log-normaliser −½ d log 2π + log|det U|; per component log Z (0 when M = 1). */
    private final class Prepared {
        final double[] logNorm = new double[groups];
        final double[] logZ = new double[comps];

        Prepared() {
            for (int g = 0; g < groups; g++) {
                int o = g * psize;
                double logDet = switch (type) {
                    case SPHERICAL -> d * Math.log(Math.abs(prec[o]));
                    case DIAGONAL -> {
                        double s = 0;
                        for (int a = 0; a < d; a++) {
                            s += Math.log(Math.abs(prec[o + a]));
                        }
                        yield s;
                    }
                    default -> {
                        double s = 0;
                        for (int a = 0; a < d; a++) {
                            s += Math.log(Math.abs(prec[o + a * d + a]));
                        }
                        yield s;
                    }
                };
                logNorm[g] = -0.5 * d * LOG_2PI + logDet;
            }
            if (m > 1) {
                for (int i = 0; i < k; i++) {
                    double lse = Observations.logSumExp(logits, i * m, m);
                    for (int j = 0; j < m; j++) {
                        logZ[i * m + j] = logits[i * m + j] - lse;
                    }
                }
            }
        }

        /** r ← y_t − μ_c, v ← Uᵀ r; returns log N(y_t; μ_c, Σ_c). */
        double component(double[] y, int t, int c, double[] r, double[] v) {
            int yo = t * d;
            int mo = c * d;
            int o = group(c) * psize;
            for (int a = 0; a < d; a++) {
                r[a] = y[yo + a] - means[mo + a];
            }
            double q = 0;
            switch (type) {
                case SPHERICAL -> {
                    for (int a = 0; a < d; a++) {
                        v[a] = prec[o] * r[a];
                        q += v[a] * v[a];
                    }
                }
                case DIAGONAL -> {
                    for (int a = 0; a < d; a++) {
                        v[a] = prec[o + a] * r[a];
                        q += v[a] * v[a];
                    }
                }
                default -> {
                    for (int b = 0; b < d; b++) {
                        double s = 0;
                        for (int a = 0; a <= b; a++) {
                            s += prec[o + a * d + b] * r[a];
                        }
                        v[b] = s;
                        q += s * s;
                    }
                }
            }
            return logNorm[group(c)] - 0.5 * q;
        }

        /** out ← Σ_c⁻¹ r = U v. */
        void precisionTimes(int c, double[] v, double[] out) {
            int o = group(c) * psize;
            switch (type) {
                case SPHERICAL -> {
                    for (int a = 0; a < d; a++) {
                        out[a] = prec[o] * v[a];
                    }
                }
                case DIAGONAL -> {
                    for (int a = 0; a < d; a++) {
                        out[a] = prec[o + a] * v[a];
                    }
                }
                default -> {
                    for (int a = 0; a < d; a++) {
                        double s = 0;
                        for (int b = a; b < d; b++) {
                            s += prec[o + a * d + b] * v[b];
                        }
                        out[a] = s;
                    }
                }
            }
        }

        /**
         * log b_i(y_t) by log-sum-exp over the state's components; {@code rho} (length M) receives the
         * responsibilities ρ_im = Z_im N_im / b_i.
         */
        double state(double[] y, int t, int i, double[] r, double[] v, double[] rho) {
            if (m == 1) {
                rho[0] = 1;
                return component(y, t, i, r, v);
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < m; j++) {
                int c = i * m + j;
                rho[j] = logZ[c] + component(y, t, c, r, v);
                max = Math.max(max, rho[j]);
            }
            double s = 0;
            for (int j = 0; j < m; j++) {
                rho[j] = Math.exp(rho[j] - max);
                s += rho[j];
            }
            for (int j = 0; j < m; j++) {
                rho[j] /= s;
            }
            return max + Math.log(s);
        }
    }

    // ---------------------------------------------------------------- EmissionModel

    @Override
    public void logDensity(Matrix observations, Matrix out) {
        Observations.requireFinite(observations, d, modelName());
        Observations.requirePerState(observations, out, k, "log-density output");
        Prepared p = new Prepared();
        double[] y = observations.data();
        double[] o = out.data();
        if (m == 1 && (type == CovarianceType.DIAGONAL || type == CovarianceType.SPHERICAL)) {
            logDensityAxisAligned(p, y, observations.rows(), o);
            return;
        }
        double[] r = new double[d];
        double[] v = new double[d];
        double[] rho = new double[m];
        for (int t = 0; t < observations.rows(); t++) {
            for (int i = 0; i < k; i++) {
                o[t * k + i] = p.state(y, t, i, r, v, rho);
            }
        }
    }

    /**
     * The common HMM case (one diagonal or spherical Gaussian per state) without the generic kernel's scratch
     * vectors and per-element type switch: log N = log-normaliser − ½ Σ_a (u_a (y_a − μ_a))², u = 1/σ. The same
     * arithmetic as {@link Prepared#component}, in the same order, so both give identical bits.
     */
    private void logDensityAxisAligned(Prepared p, double[] y, int rows, double[] o) {
        boolean spherical = type == CovarianceType.SPHERICAL;
        for (int t = 0; t < rows; t++) {
            int yo = t * d;
            for (int i = 0; i < k; i++) {
                int mo = i * d;
                int po = i * psize;
                double q = 0;
                for (int a = 0; a < d; a++) {
                    double va = prec[spherical ? po : po + a] * (y[yo + a] - means[mo + a]);
                    q += va * va;
                }
                o[t * k + i] = p.logNorm[i] - 0.5 * q;
            }
        }
    }

    @Override
    public void accumulate(Matrix observations, Matrix weights) {
        Observations.requireFinite(observations, d, modelName());
        Observations.requirePerState(observations, weights, k, "weights");
        if (!accumulating) {
            // statistics are taken around the current means, which keeps Σ w r rᵀ − N m mᵀ free of cancellation
            System.arraycopy(means, 0, shift, 0, means.length);
            accumulating = true;
        }
        double[] y = observations.data();
        double[] g = weights.data();
        if (m == 1 && type == CovarianceType.DIAGONAL) {
            accumulateDiagonal(y, observations.rows(), g);
            return;
        }
        Prepared p = new Prepared();
        double[] r = new double[d];
        double[] v = new double[d];
        double[] rho = new double[m];
        for (int t = 0; t < observations.rows(); t++) {
            for (int i = 0; i < k; i++) {
                double w = g[t * k + i];
                if (w == 0) {
                    continue;
                }
                if (!(w > 0) || Double.isInfinite(w)) {
                    throw badWeight(w, t, i);
                }
                if (m > 1) {
                    p.state(y, t, i, r, v, rho);
                }
                for (int j = 0; j < m; j++) {
                    int c = i * m + j;
                    double wc = m > 1 ? w * rho[j] : w;
                    if (wc == 0) {
                        continue;
                    }
                    statN[c] += wc;
                    int mo = c * d;
                    for (int a = 0; a < d; a++) {
                        r[a] = y[t * d + a] - shift[mo + a];
                        statX[mo + a] += wc * r[a];
                    }
                    int so = c * psize;
                    switch (type) {
                        case SPHERICAL -> {
                            double q = 0;
                            for (int a = 0; a < d; a++) {
                                q += r[a] * r[a];
                            }
                            statXX[so] += wc * q;
                        }
                        case DIAGONAL -> {
                            for (int a = 0; a < d; a++) {
                                statXX[so + a] += wc * r[a] * r[a];
                            }
                        }
                        default -> {
                            for (int a = 0; a < d; a++) {
                                double wr = wc * r[a];
                                for (int b = a; b < d; b++) {
                                    statXX[so + a * d + b] += wr * r[b];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private IllegalArgumentException badWeight(double w, int t, int i) {
        return new IllegalArgumentException(modelName() + ": weight " + w + " at position " + t + ", state " + i
                + " (weights must be finite and non-negative)");
    }

    /** Weighted sufficient statistics of one diagonal Gaussian per state, in the generic loop's order of operations. */
    private void accumulateDiagonal(double[] y, int rows, double[] g) {
        for (int t = 0; t < rows; t++) {
            int yo = t * d;
            for (int i = 0; i < k; i++) {
                double w = g[t * k + i];
                if (w == 0) {
                    continue;
                }
                if (!(w > 0) || Double.isInfinite(w)) {
                    throw badWeight(w, t, i);
                }
                statN[i] += w;
                int mo = i * d;
                int so = i * psize;
                for (int a = 0; a < d; a++) {
                    double ra = y[yo + a] - shift[mo + a];
                    statX[mo + a] += w * ra;
                    statXX[so + a] += w * ra * ra;
                }
            }
        }
    }

    @Override
    public void maximize() {
        report.clear();
        if (!accumulating) {
            return;
        }
        boolean[] skip = new boolean[comps];
        for (int i = 0; i < k; i++) {
            double ni = 0;
            for (int j = 0; j < m; j++) {
                ni += statN[i * m + j];
            }
            if (ni <= EMPTY_WEIGHT) {
                report.add("state " + i + " received total weight " + ni + " (at most " + EMPTY_WEIGHT
                        + "): it keeps its previous parameters");
                Arrays.fill(skip, i * m, (i + 1) * m, true);
                continue;
            }
            for (int j = 0; j < m; j++) {
                int c = i * m + j;
                if (m > 1) {
                    logits[c] = Observations.safeLog(statN[c] / ni);
                }
                if (statN[c] <= EMPTY_WEIGHT) {
                    skip[c] = true; // re-seeded below (reseedEmptyComponents)
                }
            }
        }
        // means μ = s + Σw(y−s)/N (PRML eq. 9.24) and the centred scatter S_c = Σw(y−s)(y−s)ᵀ/N − (μ−s)(μ−s)ᵀ
        double[][] scatter = new double[comps][];
        for (int c = 0; c < comps; c++) {
            if (skip[c]) {
                continue;
            }
            double n = statN[c];
            int mo = c * d;
            double[] mu = new double[d];
            for (int a = 0; a < d; a++) {
                mu[a] = statX[mo + a] / n;
                means[mo + a] = shift[mo + a] + mu[a];
            }
            int so = c * psize;
            double[] s = new double[psize];
            switch (type) {
                case SPHERICAL -> {
                    double mm = 0;
                    for (int a = 0; a < d; a++) {
                        mm += mu[a] * mu[a];
                    }
                    s[0] = (statXX[so] / n - mm) / d;
                }
                case DIAGONAL -> {
                    for (int a = 0; a < d; a++) {
                        s[a] = statXX[so + a] / n - mu[a] * mu[a];
                    }
                }
                default -> {
                    for (int a = 0; a < d; a++) {
                        for (int b = a; b < d; b++) {
                            s[a * d + b] = statXX[so + a * d + b] / n - mu[a] * mu[b];
                            s[b * d + a] = s[a * d + b];
                        }
                    }
                }
            }
            scatter[c] = s;
        }
        if (type == CovarianceType.TIED) {
            // pooled within-component covariance Σ = Σ_c N_c S_c / Σ_c N_c
            double total = 0;
            double[] pooled = new double[d * d];
            for (int c = 0; c < comps; c++) {
                if (scatter[c] != null) {
                    total += statN[c];
                    for (int q = 0; q < d * d; q++) {
                        pooled[q] += statN[c] * scatter[c][q];
                    }
                }
            }
            if (total > EMPTY_WEIGHT) {
                for (int q = 0; q < d * d; q++) {
                    pooled[q] /= total;
                }
                setFullCovariance(0, pooled, "the tied covariance");
            }
        } else {
            for (int c = 0; c < comps; c++) {
                if (scatter[c] != null) {
                    setFlooredCovariance(c, scatter[c]);
                }
            }
        }
        if (m > 1) {
            reseedEmptyComponents(skip);
        }
        Arrays.fill(statN, 0);
        Arrays.fill(statX, 0);
        Arrays.fill(statXX, 0);
        accumulating = false;
    }

    /**
     * Gives every emptied component of a non-empty state new data to explain: it takes over half of the heaviest
     * component of the same state (HTK's mixture splitting): both get half of that component's weight and its
     * covariance, their means move apart to μ ± {@value #SPLIT_OFFSET} standard deviations per coordinate. Several
     * empty components of one state split the then heaviest one in turn. The likelihood of the update that splits
     * may be lower than before (a split is not an EM step); every later EM step is monotone again. Each split is
     * reported by a line containing {@value #RESEEDED}.
     */
    private void reseedEmptyComponents(boolean[] skip) {
        for (int i = 0; i < k; i++) {
            double ni = 0;
            for (int j = 0; j < m; j++) {
                ni += statN[i * m + j];
            }
            if (ni <= EMPTY_WEIGHT) {
                continue; // an empty state keeps everything; nothing of it can be split
            }
            for (int j = 0; j < m; j++) {
                int c = i * m + j;
                if (statN[c] > EMPTY_WEIGHT) {
                    continue;
                }
                int h = -1;
                for (int q = 0; q < m; q++) {
                    int cq = i * m + q;
                    if (!skip[cq] && (h < 0 || logits[cq] > logits[h])) {
                        h = cq;
                    }
                }
                if (h < 0) {
                    report.add(name(c) + " received weight " + statN[c]
                            + ": it keeps its mean and covariance, its mixture weight is now 0");
                    continue;
                }
                double zh = Math.exp(logits[h] - Observations.logSumExp(logits, i * m, m));
                double[] sd = standardDeviations(group(h));
                int mh = h * d;
                int mc = c * d;
                for (int a = 0; a < d; a++) {
                    double delta = SPLIT_OFFSET * sd[a];
                    means[mc + a] = means[mh + a] + delta;
                    means[mh + a] -= delta;
                }
                if (type != CovarianceType.TIED) {
                    System.arraycopy(prec, group(h) * psize, prec, group(c) * psize, psize);
                }
                logits[h] -= Math.log(2);
                logits[c] = logits[h];
                skip[c] = false;
                report.add(String.format(Locale.ROOT, "%s received weight %s: %s by splitting component %d (weight %.4g, now"
                        + " %.4g each; means at its mean \u00b1 %.1f standard deviations)", name(c),
                        statN[c] == 0 ? "0" : String.format(Locale.ROOT, "%.3g", statN[c]), RESEEDED, h % m, zh,
                        zh / 2, SPLIT_OFFSET));
            }
        }
    }

    /** √Σ_aa of a covariance group, from its precision factor. */
    private double[] standardDeviations(int g) {
        int o = g * psize;
        double[] sd = new double[d];
        switch (type) {
            case SPHERICAL -> Arrays.fill(sd, 1 / Math.abs(prec[o]));
            case DIAGONAL -> {
                for (int a = 0; a < d; a++) {
                    sd[a] = 1 / Math.abs(prec[o + a]);
                }
            }
            default -> {
                double[] s = covarianceOfGroup(g);
                for (int a = 0; a < d; a++) {
                    sd[a] = Math.sqrt(s[a * d + a]);
                }
            }
        }
        return sd;
    }

    private String name(int c) {
        return m == 1 ? "state " + c : "state " + c / m + ", component " + c % m;
    }

    private void setFlooredCovariance(int c, double[] s) {
        int o = c * psize;
        switch (type) {
            case SPHERICAL -> {
                if (s[0] < floor) {
                    report.add(name(c) + ": variance " + s[0] + " raised to the floor " + floor);
                }
                prec[o] = 1 / Math.sqrt(Math.max(s[0], floor));
            }
            case DIAGONAL -> {
                int floored = 0;
                for (int a = 0; a < d; a++) {
                    if (s[a] < floor) {
                        floored++;
                    }
                    prec[o + a] = 1 / Math.sqrt(Math.max(s[a], floor));
                }
                if (floored > 0) {
                    report.add(name(c) + ": " + floored + " variance(s) raised to the floor " + floor);
                }
            }
            default -> setFullCovariance(c, s, name(c));
        }
    }

    private void setFullCovariance(int g, double[] s, String who) {
        int clamped = LinearAlgebra.clampEigenvalues(s, d, floor);
        if (clamped > 0) {
            report.add(who + ": " + clamped + " covariance eigenvalue(s) raised to the floor " + floor);
        }
        double jitter = setCovarianceOfGroup(g, s);
        if (jitter > 0) {
            report.add(who + ": covariance needed jitter " + jitter + " on its diagonal to factorise");
        }
    }

    @Override
    public List<String> lastMaximizeReport() {
        return List.copyOf(report);
    }

    @Override
    public List<ParameterBlock> parameters() {
        List<ParameterBlock> blocks = new ArrayList<>();
        if (m > 1) {
            blocks.add(new ParameterBlock("mixtureLogits", new int[] {k, m}, logits, logitsGrad));
        }
        blocks.add(new ParameterBlock("means", m > 1 ? new int[] {k, m, d} : new int[] {k, d}, means, meansGrad));
        int[] lead = m > 1 ? new int[] {k, m} : new int[] {k};
        int[] shape = switch (type) {
            case SPHERICAL -> lead;
            case DIAGONAL -> append(lead, d);
            case FULL -> append(append(lead, d), d);
            case TIED -> new int[] {d, d};
        };
        blocks.add(new ParameterBlock("precisionCholesky", shape, prec, precGrad));
        return blocks;
    }

    private static int[] append(int[] a, int v) {
        int[] b = Arrays.copyOf(a, a.length + 1);
        b[a.length] = v;
        return b;
    }

    /**
     * ∂ log N/∂μ = Σ⁻¹ r = U Uᵀ r; ∂ log N/∂U_ab = δ_ab/U_aa − r_a (Uᵀ r)_b for a ≤ b (from
     * log N = const + Σ log|U_aa| − ½|Uᵀr|²); ∂ log b_i/∂θ_im = ρ_im − Z_im; component terms weighted by ρ_im.
     */
    @Override
    public void parameterGradient(Matrix observations, Matrix dLogB) {
        Observations.requireFinite(observations, d, modelName());
        Observations.requirePerState(observations, dLogB, k, "dLogB");
        Prepared p = new Prepared();
        double[] y = observations.data();
        double[] g = dLogB.data();
        double[] r = new double[d];
        double[] v = new double[d];
        double[] pv = new double[d];
        double[] rho = new double[m];
        for (int t = 0; t < observations.rows(); t++) {
            for (int i = 0; i < k; i++) {
                double gi = g[t * k + i];
                if (gi == 0) {
                    continue;
                }
                p.state(y, t, i, r, v, rho);
                for (int j = 0; j < m; j++) {
                    int c = i * m + j;
                    if (m > 1) {
                        logitsGrad[c] += gi * (rho[j] - Math.exp(p.logZ[c]));
                    }
                    double w = gi * rho[j];
                    if (w == 0) {
                        continue;
                    }
                    p.component(y, t, c, r, v);
                    p.precisionTimes(c, v, pv);
                    int mo = c * d;
                    for (int a = 0; a < d; a++) {
                        meansGrad[mo + a] += w * pv[a];
                    }
                    int o = group(c) * psize;
                    switch (type) {
                        case SPHERICAL -> {
                            double q = 0;
                            for (int a = 0; a < d; a++) {
                                q += r[a] * r[a];
                            }
                            precGrad[o] += w * (d / prec[o] - prec[o] * q);
                        }
                        case DIAGONAL -> {
                            for (int a = 0; a < d; a++) {
                                precGrad[o + a] += w * (1 / prec[o + a] - r[a] * v[a]);
                            }
                        }
                        default -> {
                            for (int a = 0; a < d; a++) {
                                for (int b = a; b < d; b++) {
                                    precGrad[o + a * d + b] += w * ((a == b ? 1 / prec[o + a * d + a] : 0) - r[a] * v[b]);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** ∂ log b_i(y)/∂y = −Σ_m ρ_im Σ_im⁻¹ (y − μ_im), weighted by dLogB and summed over states. */
    @Override
    public void observationGradient(Matrix observations, Matrix dLogB, Matrix out) {
        Observations.requireFinite(observations, d, modelName());
        Observations.requirePerState(observations, dLogB, k, "dLogB");
        if (out.rows() != observations.rows() || out.cols() != d) {
            throw new IllegalArgumentException("out must be " + observations.rows() + "x" + d + ", is " + out);
        }
        Prepared p = new Prepared();
        double[] y = observations.data();
        double[] g = dLogB.data();
        double[] o = out.data();
        Arrays.fill(o, 0);
        double[] r = new double[d];
        double[] v = new double[d];
        double[] pv = new double[d];
        double[] rho = new double[m];
        for (int t = 0; t < observations.rows(); t++) {
            for (int i = 0; i < k; i++) {
                double gi = g[t * k + i];
                if (gi == 0) {
                    continue;
                }
                p.state(y, t, i, r, v, rho);
                for (int j = 0; j < m; j++) {
                    int c = i * m + j;
                    p.component(y, t, c, r, v);
                    p.precisionTimes(c, v, pv);
                    double w = gi * rho[j];
                    for (int a = 0; a < d; a++) {
                        o[t * d + a] -= w * pv[a];
                    }
                }
            }
        }
    }

    /** Component m ~ Z_i, then y = μ + x with Uᵀ x = z, z ~ N(0, I), so Cov x = U⁻ᵀU⁻¹ = Σ. */
    @Override
    public Matrix sample(int[] states, RandomGenerator rng) {
        Matrix out = new Matrix(states.length, d);
        double[] o = out.data();
        double[] z = new double[d];
        double[] x = new double[d];
        for (int t = 0; t < states.length; t++) {
            int i = states[t];
            if (i < 0 || i >= k) {
                throw new IllegalArgumentException("state " + i + " at position " + t + " is outside [0, " + k + ")");
            }
            int j = 0;
            if (m > 1) {
                double u = rng.nextDouble();
                while (j < m - 1 && (u -= mixtureWeight(i, j)) >= 0) {
                    j++;
                }
            }
            int c = i * m + j;
            int po = group(c) * psize;
            for (int a = 0; a < d; a++) {
                z[a] = rng.nextGaussian();
            }
            for (int b = 0; b < d; b++) {
                x[b] = switch (type) {
                    case SPHERICAL -> z[b] / prec[po];
                    case DIAGONAL -> z[b] / prec[po + b];
                    default -> {
                        double s = z[b];
                        for (int a = 0; a < b; a++) {
                            s -= prec[po + a * d + b] * x[a];
                        }
                        yield s / prec[po + b * d + b];
                    }
                };
            }
            for (int a = 0; a < d; a++) {
                o[t * d + a] = means[c * d + a] + x[a];
            }
        }
        return out;
    }

    @Override
    public long freeParameters() {
        long cov = switch (type) {
            case SPHERICAL -> comps;
            case DIAGONAL -> (long) comps * d;
            case FULL -> (long) comps * d * (d + 1) / 2;
            case TIED -> (long) d * (d + 1) / 2;
        };
        return (long) k * (m - 1) + (long) comps * d + cov;
    }

    /**
     * Initialises from data: k-means++ and Lloyd iterations (on at most 20,000 rows drawn with {@code rng}) give
     * K·M centres, sorted by their first coordinate so state order is reproducible (state i gets centres
     * iM … iM+M−1); every covariance starts as the data's covariance (floored), mixture weights equal.
     */
    public void initialize(Matrix data, RandomGenerator rng) {
        Observations.requireFinite(data, d, modelName());
        if (data.rows() == 0) {
            throw new IllegalArgumentException(modelName() + ": cannot initialise from data without observations");
        }
        double[][] centres = KMeans.centres(data, comps, 20, 20_000, rng);
        Arrays.sort(centres, (a, b) -> Double.compare(a[0], b[0]));
        for (int c = 0; c < comps; c++) {
            System.arraycopy(centres[c], 0, means, c * d, d);
        }
        Arrays.fill(logits, 0);
        double[] cov = flooredCopy(KMeans.covariance(data));
        for (int g = 0; g < groups; g++) {
            setCovarianceOfGroup(g, cov.clone());
        }
    }

    /**
     * Initialises every state from its own labelled observations (supervised initialisation): state i's M means are
     * k-means++ and Lloyd centres of the rows labelled i (on at most 20,000 of them, drawn with {@code rng}; M = 1: their
     * mean), its covariances start as the covariance of those rows (tied: the pooled within-state covariance),
     * mixture weights equal. Rows labelled {@code LabelledSequences.UNLABELLED} are ignored.
     * A state with no labelled rows starts from k-means centres of all rows and the data's covariance; one with fewer
     * than {@value #MIN_ROWS_PER_COMPONENT} rows per component (or, for full covariances, fewer rows than d + 1) starts
     * with the data's covariance — both are listed in the returned lines, which name the state (and its name from
     * {@code stateNames}, when there is one).
     *
     * @param labels one state per row, in [0, K) or {@code UNLABELLED}
     * @return one line per state that had too few rows (empty when every state had enough)
     */
    public List<String> initializeFromLabels(Matrix data, int[] labels, List<String> stateNames, RandomGenerator rng) {
        Observations.requireFinite(data, d, modelName());
        int rows = data.rows();
        int[] count = Observations.labelCounts(labels, rows, k, modelName());
        double[] global = KMeans.covariance(data);
        double[][] stateCov = new double[k][];
        double[] pooled = new double[d * d];
        long pooledRows = 0;
        List<String> notes = new ArrayList<>();
        double[][] pooledCentres = null;
        for (int i = 0; i < k; i++) {
            String who = Observations.stateName(i, stateNames);
            if (count[i] == 0) {
                if (pooledCentres == null) {
                    pooledCentres = KMeans.centres(data, m, 20, 20_000, rng);
                }
                for (int j = 0; j < m; j++) {
                    System.arraycopy(pooledCentres[j], 0, means, (i * m + j) * d, d);
                }
                stateCov[i] = global;
                notes.add(who + ": no labelled positions; its " + (m == 1 ? "Gaussian starts at the mean" : m
                        + " components start at k-means centres") + " of all positions with their covariance");
                continue;
            }
            Matrix own = new Matrix(count[i], d);
            for (int t = 0, r = 0; t < rows; t++) {
                if (labels[t] == i) {
                    System.arraycopy(data.data(), t * d, own.data(), r++ * d, d);
                }
            }
            double[][] centres = m == 1 ? new double[][] {KMeans.mean(own)} : KMeans.centres(own, m, 20, 20_000, rng);
            for (int j = 0; j < m; j++) {
                System.arraycopy(centres[j], 0, means, (i * m + j) * d, d);
            }
            double[] cov = KMeans.covariance(own);
            int needed = Math.max(MIN_ROWS_PER_COMPONENT * m, type == CovarianceType.FULL ? d + 1 : 0);
            if (count[i] < needed) {
                notes.add(who + ": only " + count[i] + " labelled position(s) for " + (m == 1 ? "its Gaussian" : m + " components")
                        + " (fewer than " + needed + "); it starts with the covariance of all positions"
                        + (count[i] < m ? ", and " + (m - count[i]) + " of its components duplicate others" : ""));
                cov = global;
            } else {
                for (int q = 0; q < d * d; q++) {
                    pooled[q] += count[i] * cov[q];
                }
                pooledRows += count[i];
            }
            stateCov[i] = cov;
        }
        Arrays.fill(logits, 0);
        if (type == CovarianceType.TIED) {
            double[] cov = pooledRows > 0 ? pooled : global;
            if (pooledRows > 0) {
                for (int q = 0; q < d * d; q++) {
                    cov[q] /= pooledRows;
                }
            }
            setCovarianceOfGroup(0, flooredCopy(cov));
        } else {
            for (int i = 0; i < k; i++) {
                double[] cov = flooredCopy(stateCov[i]);
                for (int j = 0; j < m; j++) {
                    setCovarianceOfGroup(i * m + j, cov.clone());
                }
            }
        }
        return notes;
    }

    /** A copy with the diagonal (and, for full/tied, every eigenvalue) raised to the floor. */
    private double[] flooredCopy(double[] s) {
        double[] cov = s.clone();
        for (int q = 0; q < d; q++) {
            cov[q * d + q] = Math.max(cov[q * d + q], floor);
        }
        if (type == CovarianceType.FULL || type == CovarianceType.TIED) {
            LinearAlgebra.clampEigenvalues(cov, d, floor);
        }
        return cov;
    }
}

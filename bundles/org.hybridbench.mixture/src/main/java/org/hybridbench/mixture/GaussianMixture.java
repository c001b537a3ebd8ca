package org.hybridbench.mixture;

import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.EmissionModel;
import org.hybridbench.api.model.ParameterBlock;

/**
 * A mixture of K Gaussians in d dimensions, p(y) = Σ_k π_k N(y | μ_k, Σ_k) (Bishop PRML eq. 9.7).
 *
 * <p>As an {@link EmissionModel} each component is a state: {@link #logDensity} gives log N(y | μ_k, Σ_k)
 * <em>without</em> the mixing weight (an HMM supplies its own state prior); {@link #accumulate} and
 * {@link #maximize} are the M-step from state posteriors (PRML eqs. 9.24–9.27), which also re-estimates the
 * mixing weights π_k = N_k / N; {@link #eStep} is the mixture's own E-step.
 *
 * <p>Robustness. Variances are floored at {@code covarianceFloor}: for spherical and diagonal covariances by
 * clamping, for full ones by clamping the eigenvalues of the ML estimate (Σ = V max(Λ, floor) Vᵀ), which is the
 * exact maximiser of the M-step objective subject to Σ ⪰ floor·I (Won, Lim, Kim &amp; Rajaratnam 2013), so EM
 * stays monotone. Full covariances are factorised by Cholesky, retried with growing jitter on the diagonal if a
 * pivot is not positive (round-off, or parameters set from outside). A component whose statistics carry
 * (almost) no weight keeps its previous parameters in {@link #maximize}; the EM stage re-seeds it.
 *
 * <p>Parameters are stored in plain arrays exposed as {@link ParameterBlock} views; derived quantities
 * (inverse variances, Cholesky factors, log-normalisers) are recomputed from them on every call that needs
 * them, so in-place updates by an optimizer are always seen.
 */
public final class GaussianMixture implements EmissionModel {
    /** A component whose accumulated weight N_k is at most this is treated as empty. */
    static final double EMPTY_WEIGHT = 1e-6;
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private final int k;
    private final int d;
    private final CovarianceType type;
    private final double floor;
    final double[] weights;
    final double[] means;
    /** Spherical: K variances; diagonal: K × d variances; full: K × d × d covariance matrices. */
    final double[] covariances;
    private final double[] weightsGrad;
    private final double[] meansGrad;
    private final double[] covariancesGrad;

    // sufficient statistics, taken around a shift (the means when accumulation started) to avoid cancellation
    private final double[] statN;
    private final double[] statX;
    private final double[] statXX;
    private final double[] shift;
    private boolean accumulating;

    /** Cholesky retries with jitter since creation (full covariances only). */
    int jitterRetries;

    /** A mixture with equal weights, all means 0 and unit covariances. */
    public GaussianMixture(int components, int dimension, CovarianceType type, double covarianceFloor) {
        if (components < 1 || dimension < 1) {
            throw new IllegalArgumentException("need at least one component and one dimension");
        }
        if (!(covarianceFloor > 0)) {
            throw new IllegalArgumentException("covarianceFloor must be positive, was " + covarianceFloor);
        }
        this.k = components;
        this.d = dimension;
        this.type = type;
        this.floor = covarianceFloor;
        this.weights = new double[k];
        Arrays.fill(weights, 1.0 / k);
        this.means = new double[k * d];
        this.covariances = new double[k * type.size(d)];
        for (int c = 0; c < k; c++) {
            setIdentityCovariance(c, 1);
        }
        this.weightsGrad = new double[weights.length];
        this.meansGrad = new double[means.length];
        this.covariancesGrad = new double[covariances.length];
        this.statN = new double[k];
        this.statX = new double[k * d];
        this.statXX = new double[covariances.length];
        this.shift = new double[k * d];
    }

    public CovarianceType covarianceType() {
        return type;
    }

    public double covarianceFloor() {
        return floor;
    }

    @Override
    public int numStates() {
        return k;
    }

    @Override
    public int dimension() {
        return d;
    }

    /** Mixing weight π_c. */
    public double weight(int c) {
        return weights[c];
    }

    /** A copy of μ_c. */
    public double[] mean(int c) {
        return Arrays.copyOfRange(means, c * d, (c + 1) * d);
    }

    /** A copy of Σ_c as a dense d × d row-major array, whatever the storage. */
    public double[] covarianceMatrix(int c) {
        double[] s = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                s[i * d + j] = switch (type) {
                    case SPHERICAL -> i == j ? covariances[c] : 0;
                    case DIAGONAL -> i == j ? covariances[c * d + i] : 0;
                    case FULL -> covariances[c * d * d + i * d + j];
                };
            }
        }
        return s;
    }

    /** Sets component c's parameters (covariance given as a dense d × d matrix, reduced to the storage type). */
    public void setComponent(int c, double weight, double[] mean, double[] covariance) {
        weights[c] = weight;
        System.arraycopy(mean, 0, means, c * d, d);
        switch (type) {
            case SPHERICAL -> {
                double t = 0;
                for (int i = 0; i < d; i++) {
                    t += covariance[i * d + i];
                }
                covariances[c] = t / d;
            }
            case DIAGONAL -> {
                for (int i = 0; i < d; i++) {
                    covariances[c * d + i] = covariance[i * d + i];
                }
            }
            case FULL -> System.arraycopy(covariance, 0, covariances, c * d * d, d * d);
        }
    }

    void setIdentityCovariance(int c, double variance) {
        switch (type) {
            case SPHERICAL -> covariances[c] = variance;
            case DIAGONAL -> Arrays.fill(covariances, c * d, (c + 1) * d, variance);
            case FULL -> {
                Arrays.fill(covariances, c * d * d, (c + 1) * d * d, 0);
                for (int i = 0; i < d; i++) {
                    covariances[c * d * d + i * d + i] = variance;
                }
            }
        }
    }

    /** Sets component c's covariance to diag(variances) (floored). */
    void setDiagonalCovariance(int c, double[] variances) {
        double[] s = new double[d * d];
        for (int i = 0; i < d; i++) {
            s[i * d + i] = Math.max(variances[i], floor);
        }
        setComponent(c, weights[c], mean(c), s);
    }

    // ---------------------------------------------------------------- derived quantities

    /**
     * Per component: the log-normaliser −½(d log 2π + log|Σ_k|) and, for full covariances, the Cholesky
     * factor L_k (Σ_k = L_k L_kᵀ, lower triangle, K × d × d), else the inverse variances.
     */
    private final class Prepared {
        final double[] logNorm = new double[k];
        final double[] inv; // spherical: K, diagonal: K × d
        final double[] chol; // full: K × d × d

        Prepared() {
            if (type == CovarianceType.FULL) {
                inv = null;
                chol = new double[k * d * d];
                for (int c = 0; c < k; c++) {
                    double[] l = choleskyWithJitter(covariances, c * d * d, d);
                    System.arraycopy(l, 0, chol, c * d * d, d * d);
                    double logDet = 0;
                    for (int i = 0; i < d; i++) {
                        logDet += 2 * Math.log(l[i * d + i]);
                    }
                    logNorm[c] = -0.5 * (d * LOG_2PI + logDet);
                }
            } else {
                chol = null;
                inv = new double[covariances.length];
                for (int c = 0; c < k; c++) {
                    double logDet = 0;
                    if (type == CovarianceType.SPHERICAL) {
                        inv[c] = 1 / covariances[c];
                        logDet = d * Math.log(covariances[c]);
                    } else {
                        for (int i = 0; i < d; i++) {
                            inv[c * d + i] = 1 / covariances[c * d + i];
                            logDet += Math.log(covariances[c * d + i]);
                        }
                    }
                    logNorm[c] = -0.5 * (d * LOG_2PI + logDet);
                }
            }
        }

        /** log N(y | μ_c, Σ_c) for y = obs[row]; {@code work} has length d. */
        double logDensity(double[] obs, int row, int c, double[] work) {
            int yo = row * d;
            int mo = c * d;
            double q = 0;
            switch (type) {
                case SPHERICAL -> {
                    for (int i = 0; i < d; i++) {
                        double r = obs[yo + i] - means[mo + i];
                        q += r * r;
                    }
                    q *= inv[c];
                }
                case DIAGONAL -> {
                    for (int i = 0; i < d; i++) {
                        double r = obs[yo + i] - means[mo + i];
                        q += r * r * inv[mo + i];
                    }
                }
                case FULL -> {
                    // z = L⁻¹(y − μ) by forward substitution; the quadratic form is |z|².
                    int lo = c * d * d;
                    for (int i = 0; i < d; i++) {
                        double s = obs[yo + i] - means[mo + i];
                        int li = lo + i * d;
                        for (int j = 0; j < i; j++) {
                            s -= chol[li + j] * work[j];
                        }
                        work[i] = s / chol[li + i];
                        q += work[i] * work[i];
                    }
                }
            }
            return logNorm[c] - 0.5 * q;
        }

        /** work ← Σ_c⁻¹ (y − μ_c) for y = obs[row]. */
        void precisionTimesResidual(double[] obs, int row, int c, double[] work) {
            int yo = row * d;
            int mo = c * d;
            switch (type) {
                case SPHERICAL -> {
                    for (int i = 0; i < d; i++) {
                        work[i] = (obs[yo + i] - means[mo + i]) * inv[c];
                    }
                }
                case DIAGONAL -> {
                    for (int i = 0; i < d; i++) {
                        work[i] = (obs[yo + i] - means[mo + i]) * inv[mo + i];
                    }
                }
                case FULL -> {
                    int lo = c * d * d;
                    for (int i = 0; i < d; i++) { // L z = r
                        double s = obs[yo + i] - means[mo + i];
                        for (int j = 0; j < i; j++) {
                            s -= chol[lo + i * d + j] * work[j];
                        }
                        work[i] = s / chol[lo + i * d + i];
                    }
                    for (int i = d - 1; i >= 0; i--) { // Lᵀ w = z
                        double s = work[i];
                        for (int j = i + 1; j < d; j++) {
                            s -= chol[lo + j * d + i] * work[j];
                        }
                        work[i] = s / chol[lo + i * d + i];
                    }
                }
            }
        }
    }

    /**
     * The Cholesky factor of the symmetric d × d matrix at {@code a[offset]}; if a pivot is not positive, retries
     * with jitter·I added, jitter starting at max(floor, 1e-10 · mean diagonal) and growing tenfold (at most 10
     * tries) — the usual remedy for a covariance that is positive definite only up to round-off.
     */
    double[] choleskyWithJitter(double[] a, int offset, int n) {
        double meanDiag = 0;
        for (int i = 0; i < n; i++) {
            meanDiag += Math.abs(a[offset + i * n + i]) / n;
        }
        double jitter = 0;
        for (int attempt = 0; attempt <= 10; attempt++) {
            double[] l = cholesky(a, offset, n, jitter);
            if (l != null) {
                return l;
            }
            jitterRetries++;
            jitter = jitter == 0 ? Math.max(floor, 1e-10 * meanDiag) : jitter * 10;
        }
        throw new IllegalStateException("covariance is not positive definite even with jitter " + jitter
                + " on its diagonal (values: " + Arrays.toString(Arrays.copyOfRange(a, offset, offset + n * n)) + ")");
    }

    /** Cholesky–Banachiewicz of a + jitter·I; null if a pivot is not positive. */
    static double[] cholesky(double[] a, int offset, int n, double jitter) {
        double[] l = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[offset + i * n + j] + (i == j ? jitter : 0);
                for (int m = 0; m < j; m++) {
                    s -= l[i * n + m] * l[j * n + m];
                }
                if (i == j) {
                    if (!(s > 0) || !Double.isFinite(s)) {
                        return null;
                    }
                    l[i * n + i] = Math.sqrt(s);
                } else {
                    l[i * n + j] = s / l[j * n + j];
                }
            }
        }
        return l;
    }

    // ---------------------------------------------------------------- EmissionModel

    @Override
    public void logDensity(Matrix observations, Matrix out) {
        check(observations, out, k);
        Prepared p = new Prepared();
        double[] y = observations.data();
        double[] o = out.data();
        double[] work = new double[d];
        for (int t = 0; t < observations.rows(); t++) {
            for (int c = 0; c < k; c++) {
                o[t * k + c] = p.logDensity(y, t, c, work);
            }
        }
    }

    /**
     * The mixture E-step (PRML eq. 9.23) in log space: {@code resp}[t,c] = exp(log π_c + log N_c(y_t) − ℓ_t) with
     * ℓ_t = log Σ_c π_c N_c(y_t) computed by log-sum-exp, so no density underflows to 0/0.
     *
     * @param rowLogLik if not null, receives ℓ_t per row
     * @return Σ_t ℓ_t, the log-likelihood of the data (PRML eq. 9.28)
     */
    public double eStep(Matrix observations, Matrix resp, double[] rowLogLik) {
        check(observations, resp, k);
        Prepared p = new Prepared();
        double[] y = observations.data();
        double[] g = resp.data();
        double[] work = new double[d];
        double[] logW = new double[k];
        for (int c = 0; c < k; c++) {
            logW[c] = Math.log(weights[c]);
        }
        double total = 0;
        for (int t = 0; t < observations.rows(); t++) {
            int o = t * k;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double v = logW[c] + p.logDensity(y, t, c, work);
                g[o + c] = v;
                max = Math.max(max, v);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                double e = Math.exp(g[o + c] - max);
                g[o + c] = e;
                sum += e;
            }
            for (int c = 0; c < k; c++) {
                g[o + c] /= sum;
            }
            double ll = max + Math.log(sum);
            if (rowLogLik != null) {
                rowLogLik[t] = ll;
            }
            total += ll;
        }
        return total;
    }

    @Override
    public void accumulate(Matrix observations, Matrix weightsTK) {
        check(observations, weightsTK, k);
        if (!accumulating) {
            System.arraycopy(means, 0, shift, 0, means.length);
            accumulating = true;
        }
        double[] y = observations.data();
        double[] g = weightsTK.data();
        double[] r = new double[d];
        for (int t = 0; t < observations.rows(); t++) {
            for (int c = 0; c < k; c++) {
                double w = g[t * k + c];
                if (w == 0) {
                    continue;
                }
                statN[c] += w;
                int mo = c * d;
                for (int i = 0; i < d; i++) {
                    r[i] = y[t * d + i] - shift[mo + i];
                    statX[mo + i] += w * r[i];
                }
                switch (type) {
                    case SPHERICAL -> {
                        double q = 0;
                        for (int i = 0; i < d; i++) {
                            q += r[i] * r[i];
                        }
                        statXX[c] += w * q;
                    }
                    case DIAGONAL -> {
                        for (int i = 0; i < d; i++) {
                            statXX[mo + i] += w * r[i] * r[i];
                        }
                    }
                    case FULL -> {
                        int so = c * d * d;
                        for (int i = 0; i < d; i++) {
                            double wr = w * r[i];
                            for (int j = i; j < d; j++) {
                                statXX[so + i * d + j] += wr * r[j];
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * M-step from the accumulated statistics (PRML eqs. 9.24–9.26): μ_k = Σ γ y / N_k, Σ_k = Σ γ (y−μ_k)(y−μ_k)ᵀ / N_k
     * floored as described in the class comment, π_k = N_k / N. With shift s: with m = Σγ(y−s)/N_k, μ = s + m and
     * Σ = Σγ(y−s)(y−s)ᵀ/N_k − m mᵀ (exact; the shift only reduces round-off).
     */
    @Override
    public void maximize() {
        if (!accumulating) {
            return;
        }
        double total = 0;
        for (int c = 0; c < k; c++) {
            total += statN[c];
        }
        for (int c = 0; c < k; c++) {
            double n = statN[c];
            weights[c] = total > 0 ? n / total : weights[c];
            if (n <= EMPTY_WEIGHT) {
                continue; // nothing to learn from: keep μ_c, Σ_c (the EM stage re-seeds such a component)
            }
            int mo = c * d;
            double[] m = new double[d];
            for (int i = 0; i < d; i++) {
                m[i] = statX[mo + i] / n;
                means[mo + i] = shift[mo + i] + m[i];
            }
            switch (type) {
                case SPHERICAL -> {
                    double mm = 0;
                    for (int i = 0; i < d; i++) {
                        mm += m[i] * m[i];
                    }
                    covariances[c] = Math.max((statXX[c] / n - mm) / d, floor);
                }
                case DIAGONAL -> {
                    for (int i = 0; i < d; i++) {
                        covariances[mo + i] = Math.max(statXX[mo + i] / n - m[i] * m[i], floor);
                    }
                }
                case FULL -> {
                    int so = c * d * d;
                    double[][] s = new double[d][d];
                    for (int i = 0; i < d; i++) {
                        for (int j = i; j < d; j++) {
                            s[i][j] = statXX[so + i * d + j] / n - m[i] * m[j];
                            s[j][i] = s[i][j];
                        }
                    }
                    double[][] clamped = clampEigenvalues(s, floor);
                    for (int i = 0; i < d; i++) {
                        System.arraycopy(clamped[i], 0, covariances, so + i * d, d);
                    }
                }
            }
        }
        Arrays.fill(statN, 0);
        Arrays.fill(statX, 0);
        Arrays.fill(statXX, 0);
        accumulating = false;
    }

    /** V max(Λ, floor) Vᵀ for the symmetric S = V Λ Vᵀ, made exactly symmetric. */
    static double[][] clampEigenvalues(double[][] s, double floor) {
        int n = s.length;
        EigenDecomposition eig = new EigenDecomposition(new Array2DRowRealMatrix(s, false));
        double[] lambda = eig.getRealEigenvalues();
        boolean clampNeeded = false;
        for (double l : lambda) {
            clampNeeded |= l < floor;
        }
        if (!clampNeeded) {
            return s;
        }
        RealMatrix v = eig.getV();
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double sum = 0;
                for (int m = 0; m < n; m++) {
                    sum += v.getEntry(i, m) * Math.max(lambda[m], floor) * v.getEntry(j, m);
                }
                out[i][j] = sum;
                out[j][i] = sum;
            }
        }
        return out;
    }

    @Override
    public List<ParameterBlock> parameters() {
        String covName = type == CovarianceType.FULL ? "covariances" : "variances";
        int[] covShape = switch (type) {
            case SPHERICAL -> new int[] {k};
            case DIAGONAL -> new int[] {k, d};
            case FULL -> new int[] {k, d, d};
        };
        return List.of(new ParameterBlock("weights", new int[] {k}, weights, weightsGrad),
                new ParameterBlock("means", new int[] {k, d}, means, meansGrad),
                new ParameterBlock(covName, covShape, covariances, covariancesGrad));
    }

    /**
     * Adds Σ_t Σ_k dLogB[t,k] ∂ log N(y_t | μ_k, Σ_k)/∂θ to the gradient arrays of {@link #parameters()} (PRML
     * eqs. 2.43, C.21, C.22): ∂/∂μ_k = Σ_k⁻¹ r, ∂/∂Σ_k = ½(Σ_k⁻¹ r rᵀ Σ_k⁻¹ − Σ_k⁻¹) with r = y − μ_k; spherical
     * and diagonal variances take the trace and diagonal of that. Full covariances are read through their lower
     * triangle (Cholesky), so an entry below the diagonal gets 2G_ij and one above it 0. The weights get no
     * gradient: log b excludes them.
     */
    @Override
    public void parameterGradient(Matrix observations, Matrix dLogB) {
        check(observations, dLogB, k);
        Prepared p = new Prepared();
        double[] y = observations.data();
        double[] g = dLogB.data();
        double[] work = new double[d];
        double[] precision = type == CovarianceType.FULL ? new double[k * d * d] : null;
        if (precision != null) {
            double[] unit = new double[d];
            double[] col = new double[d];
            for (int c = 0; c < k; c++) {
                for (int j = 0; j < d; j++) {
                    Arrays.fill(unit, 0);
                    unit[j] = 1;
                    // Σ⁻¹ e_j through the same solve as for residuals, with μ_c added back so y − μ_c = e_j
                    for (int i = 0; i < d; i++) {
                        unit[i] += means[c * d + i];
                    }
                    p.precisionTimesResidual(unit, 0, c, col);
                    for (int i = 0; i < d; i++) {
                        precision[c * d * d + i * d + j] = col[i];
                    }
                }
            }
        }
        for (int t = 0; t < observations.rows(); t++) {
            for (int c = 0; c < k; c++) {
                double w = g[t * k + c];
                if (w == 0) {
                    continue;
                }
                p.precisionTimesResidual(y, t, c, work);
                int mo = c * d;
                for (int i = 0; i < d; i++) {
                    meansGrad[mo + i] += w * work[i];
                }
                switch (type) {
                    case SPHERICAL -> {
                        double v = covariances[c];
                        double q = 0;
                        for (int i = 0; i < d; i++) {
                            double r = y[t * d + i] - means[mo + i];
                            q += r * r;
                        }
                        covariancesGrad[c] += w * (-0.5 * d / v + 0.5 * q / (v * v));
                    }
                    case DIAGONAL -> {
                        for (int i = 0; i < d; i++) {
                            double v = covariances[mo + i];
                            covariancesGrad[mo + i] += w * (-0.5 / v + 0.5 * work[i] * work[i]);
                        }
                    }
                    case FULL -> {
                        int so = c * d * d;
                        for (int i = 0; i < d; i++) {
                            for (int j = 0; j <= i; j++) {
                                double gij = 0.5 * (work[i] * work[j] - precision[so + i * d + j]);
                                covariancesGrad[so + i * d + j] += w * (i == j ? gij : 2 * gij);
                            }
                        }
                    }
                }
            }
        }
    }

    /** ∂ log N(y | μ_k, Σ_k) / ∂y = −Σ_k⁻¹ (y − μ_k), weighted by dLogB and summed over k. */
    @Override
    public void observationGradient(Matrix observations, Matrix dLogB, Matrix out) {
        check(observations, dLogB, k);
        if (out.rows() != observations.rows() || out.cols() != d) {
            throw new IllegalArgumentException("out must be " + observations.rows() + "x" + d + ", is " + out);
        }
        Prepared p = new Prepared();
        double[] y = observations.data();
        double[] g = dLogB.data();
        double[] o = out.data();
        Arrays.fill(o, 0);
        double[] work = new double[d];
        for (int t = 0; t < observations.rows(); t++) {
            for (int c = 0; c < k; c++) {
                double w = g[t * k + c];
                if (w == 0) {
                    continue;
                }
                p.precisionTimesResidual(y, t, c, work);
                for (int i = 0; i < d; i++) {
                    o[t * d + i] -= w * work[i];
                }
            }
        }
    }

    /** y = μ_k + L_k z with z ~ N(0, I) (L_k the Cholesky factor, or the standard deviations). */
    @Override
    public Matrix sample(int[] states, RandomGenerator rng) {
        Prepared p = new Prepared();
        Matrix out = new Matrix(states.length, d);
        double[] o = out.data();
        double[] z = new double[d];
        for (int t = 0; t < states.length; t++) {
            int c = states[t];
            for (int i = 0; i < d; i++) {
                z[i] = rng.nextGaussian();
            }
            for (int i = 0; i < d; i++) {
                double v = means[c * d + i];
                switch (type) {
                    case SPHERICAL -> v += Math.sqrt(covariances[c]) * z[i];
                    case DIAGONAL -> v += Math.sqrt(covariances[c * d + i]) * z[i];
                    case FULL -> {
                        for (int j = 0; j <= i; j++) {
                            v += p.chol[c * d * d + i * d + j] * z[j];
                        }
                    }
                }
                o[t * d + i] = v;
            }
        }
        return out;
    }

    /** Draws component indices from the mixing weights. */
    public int[] sampleComponents(int n, RandomGenerator rng) {
        int[] s = new int[n];
        for (int t = 0; t < n; t++) {
            double u = rng.nextDouble();
            int c = 0;
            while (c < k - 1 && (u -= weights[c]) >= 0) {
                c++;
            }
            s[t] = c;
        }
        return s;
    }

    /** Free parameters: K − 1 weights, K·d means and the covariance parameters (for BIC). */
    @Override
    public long freeParameters() {
        return (k - 1) + (long) k * d + k * type.freeParameters(d);
    }

    private void check(Matrix observations, Matrix perState, int states) {
        if (observations.cols() != d) {
            throw new IllegalArgumentException("observations have " + observations.cols() + " columns, the mixture has dimension " + d);
        }
        if (perState.rows() != observations.rows() || perState.cols() != states) {
            throw new IllegalArgumentException("expected a " + observations.rows() + "x" + states + " matrix, got " + perState);
        }
    }
}

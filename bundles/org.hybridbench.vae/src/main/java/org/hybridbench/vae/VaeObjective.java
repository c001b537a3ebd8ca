package org.hybridbench.vae;

import java.util.Locale;
import java.util.SplittableRandom;

import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.DifferentiableNetwork;

/**
 * The bound a VAE maximises, computed from two wired networks: the encoder gives (μ, log σ²) per row (its first
 * {@code latent} outputs are μ, the next {@code latent} log σ²), z = μ + σ ⊙ ε with ε ~ N(0, I), the decoder gives the
 * likelihood's parameters per z. With {@code iwaeK} = 1 the bound is the ELBO averaged over {@code samples} draws,
 * E_q[log p(x|z)] − β·KL(q(z|x) ‖ p(z)), the KL either analytic (p = N(0, I) only) or the Monte-Carlo estimate
 * (1/L) Σ_l [log q(z_l|x) − log p(z_l)] on the same draws; with {@code iwaeK} = K &gt; 1 it is the mean over
 * {@code samples} groups of the importance-weighted bound log (1/K) Σ_k p(x, z_k) / q(z_k|x) (Burda et al. 2016).
 * The prior p(z) is {@link Prior}: standard normal, unit-variance Laplace or unit-scale Student-t (ν = 5).
 *
 * <p>The gradient goes back by external errors: d loss / d decoder outputs → decoder backward → d loss / d z → the
 * reparameterisation (d z / d μ = 1, d z / d log σ² = σ ε / 2) plus the KL (or the log p(z) − log q terms of the
 * importance weights) → encoder backward. The sampled log q(z|x) at z = μ + σ ε is −½ Σ (ε² + log σ² + log 2π) with ε
 * fixed, so its derivative is 0 for μ and −½ for each log σ²; −log p(z) goes through z (pathwise). The random numbers ε are passed in, so the estimate is a deterministic
 * function of the parameters for a fixed ε (what the finite-difference test checks).
 */
final class VaeObjective {
    static final double LOG_2PI = Math.log(2 * Math.PI);

    enum Likelihood {
        /** Decoder outputs D logits; log p(x|z) = Σ x·l − softplus(l) (also used for grey x in [0, 1]). */
        BERNOULLI,
        /** Decoder outputs D means; fixed variance. */
        GAUSSIAN_FIXED,
        /** Decoder outputs 2·D values: D means, then D log variances. */
        GAUSSIAN_LEARNED;

        static Likelihood of(String name) {
            return switch (name) {
                case "bernoulli" -> BERNOULLI;
                case "gaussian-fixed" -> GAUSSIAN_FIXED;
                case "gaussian-learned" -> GAUSSIAN_LEARNED;
                default -> throw new IllegalArgumentException("unknown likelihood '" + name
                        + "' (bernoulli, gaussian-fixed, gaussian-learned)");
            };
        }

        /** Decoder outputs per image of {@code pixels} values. */
        int decoderOutputs(int pixels) {
            return this == GAUSSIAN_LEARNED ? 2 * pixels : pixels;
        }
    }

    /** p(z), independent and identical in every dimension. */
    enum Prior {
        /** N(0, 1) per dimension. */
        NORMAL,
        /** Laplace(0, b = 1/√2) per dimension: unit variance (2b² = 1). */
        LAPLACE,
        /** Student-t with ν = 5, location 0, scale 1 (variance ν/(ν − 2) = 5/3): heavier tails than the normal. */
        STUDENT_T;

        static final double LAPLACE_B = 1 / Math.sqrt(2);
        static final double STUDENT_NU = 5;
        /** log Γ((ν+1)/2) − log Γ(ν/2) − ½ log(νπ) for ν = 5: Γ(3) = 2, Γ(5/2) = ¾ √π. */
        static final double STUDENT_LOG_NORM = Math.log(2) - Math.log(0.75 * Math.sqrt(Math.PI)) - 0.5 * Math.log(STUDENT_NU * Math.PI);

        static Prior of(String name) {
            return switch (name) {
                case "normal" -> NORMAL;
                case "laplace" -> LAPLACE;
                case "student-t" -> STUDENT_T;
                default -> throw new IllegalArgumentException("unknown prior '" + name + "' (normal, laplace, student-t)");
            };
        }

        String configName() {
            return this == STUDENT_T ? "student-t" : name().toLowerCase(Locale.ROOT);
        }

        /** log p(z_j) of one coordinate. */
        double logDensity(double v) {
            return switch (this) {
                case NORMAL -> -0.5 * (v * v + LOG_2PI);
                case LAPLACE -> -Math.abs(v) / LAPLACE_B - Math.log(2 * LAPLACE_B);
                case STUDENT_T -> STUDENT_LOG_NORM - 0.5 * (STUDENT_NU + 1) * Math.log1p(v * v / STUDENT_NU);
            };
        }

        /**
         * −d log p(z_j) / d z_j. Laplace's |z| has a kink at 0: there this is the subgradient sign(0) = 0 (reached with
         * probability 0 by z = μ + σ ε).
         */
        double negLogDensityGradient(double v) {
            return switch (this) {
                case NORMAL -> v;
                case LAPLACE -> Math.signum(v) / LAPLACE_B;
                case STUDENT_T -> (STUDENT_NU + 1) * v / (STUDENT_NU + v * v);
            };
        }

        /**
         * One draw z_j ~ p (for pictures of samples from the prior). Normal: {@code rng.nextGaussian()}; Laplace: the
         * inverse of its CDF at a uniform draw; Student-t: a normal over √(χ²_ν / ν), χ²_5 as 5 squared normals.
         */
        double sample(SplittableRandom rng) {
            return switch (this) {
                case NORMAL -> rng.nextGaussian();
                case LAPLACE -> {
                    double u = rng.nextDouble() - 0.5; // in [−½, ½): 1 − 2|u| > 0
                    yield -LAPLACE_B * Math.signum(u) * Math.log(1 - 2 * Math.abs(u));
                }
                case STUDENT_T -> {
                    double normal = rng.nextGaussian();
                    double chi2 = 0;
                    for (int k = 0; k < (int) STUDENT_NU; k++) {
                        double g = rng.nextGaussian();
                        chi2 += g * g;
                    }
                    yield normal / Math.sqrt(chi2 / STUDENT_NU);
                }
            };
        }

        /** log p(z) of z[off … off + d − 1]. */
        double logDensity(double[] z, int off, int d) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += logDensity(z[off + j]);
            }
            return s;
        }
    }

    /** How the ELBO's KL(q(z|x) ‖ p(z)) is computed. */
    enum KlEstimator {
        /** Closed form ½ Σ (μ² + σ² − 1 − log σ²): for the normal prior only. */
        ANALYTIC,
        /** (1/L) Σ_l [log q(z_l|x) − log p(z_l)] on the reparameterised draws of the likelihood term. */
        MC;

        static KlEstimator of(String name) {
            return switch (name) {
                case "analytic" -> ANALYTIC;
                case "mc" -> MC;
                default -> throw new IllegalArgumentException("unknown kl '" + name + "' (analytic, mc)");
            };
        }
    }

    /**
     * @param latent dimension d of z
     * @param fixedVariance the variance of {@link Likelihood#GAUSSIAN_FIXED}
     * @param samples L: draws (ELBO) or groups of K draws (IWAE) per row
     * @param iwaeK K: 1 = ELBO, &gt; 1 = importance-weighted bound
     * @param prior p(z), also in the importance weights
     * @param kl how the ELBO's KL is computed (and reported)
     */
    record Settings(int latent, Likelihood likelihood, double fixedVariance, int samples, int iwaeK, Prior prior, KlEstimator kl) {
        /** The standard normal prior with the analytic KL. */
        Settings(int latent, Likelihood likelihood, double fixedVariance, int samples, int iwaeK) {
            this(latent, likelihood, fixedVariance, samples, iwaeK, Prior.NORMAL, KlEstimator.ANALYTIC);
        }

        Settings {
            if (likelihood == null || prior == null || kl == null) {
                throw new IllegalArgumentException("likelihood, prior and kl must be given, got " + likelihood + ", " + prior + ", " + kl);
            }
            if (kl == KlEstimator.ANALYTIC && prior != Prior.NORMAL) {
                throw new IllegalArgumentException("kl = analytic is the closed-form KL to N(0, I) and needs prior = normal, got prior = "
                        + prior.configName() + ": set kl = mc (Monte-Carlo KL) or prior = normal");
            }
            if (latent < 1 || samples < 1 || iwaeK < 1) {
                throw new IllegalArgumentException("latent, samples and iwaeK must be >= 1, got " + latent + ", " + samples + ", " + iwaeK);
            }
            if (!(fixedVariance > 0)) {
                throw new IllegalArgumentException("the fixed Gaussian variance must be > 0, got " + fixedVariance);
            }
        }

        int drawsPerRow() {
            return Math.multiplyExact(samples, iwaeK);
        }
    }

    /**
     * What one batch gave, summed over its rows: {@code bound} is the maximised bound (β-weighted ELBO or IWAE);
     * {@code logLikelihood} Σ E_q[log p(x|z)] and {@code kl} Σ KL(q ‖ p) (the estimate the settings choose, analytic or
     * Monte-Carlo on the same draws; both also for IWAE, for the log).
     * {@code perRow} holds each row's bound.
     */
    record Batch(double bound, double logLikelihood, double kl, double[] perRow) {
        /** The ELBO with β = 1, summed over rows. */
        double elbo() {
            return logLikelihood - kl;
        }
    }

    final DifferentiableNetwork encoder;
    final DifferentiableNetwork decoder;
    final Settings settings;

    VaeObjective(DifferentiableNetwork encoder, DifferentiableNetwork decoder, Settings settings) {
        this.encoder = encoder;
        this.decoder = decoder;
        this.settings = settings;
    }

    /** Standard normal draws for {@code rows} rows: row-major [row][draw][dimension]. */
    double[] noise(int rows, SplittableRandom rng) {
        double[] eps = new double[Math.multiplyExact(rows, settings.drawsPerRow() * settings.latent())];
        for (int i = 0; i < eps.length; i++) {
            eps[i] = rng.nextGaussian();
        }
        return eps;
    }

    /**
     * The bound of every row of {@code x} with the draws {@code eps} (see {@link #noise}). With {@code gradient}, adds
     * {@code gradScale} × d(−bound summed over rows)/d parameters to the networks' block gradients (the caller zeroes
     * them; {@code gradScale} = 1/rows gives the gradient of the mean negative bound).
     *
     * @param beta weight of the KL term (ELBO only; the IWAE bound has none)
     */
    Batch evaluate(Matrix x, double[] eps, double beta, boolean gradient, double gradScale) {
        int b = x.rows();
        int d = settings.latent();
        int s = settings.drawsPerRow();
        int pixels = x.cols();
        if (eps.length != (long) b * s * d) {
            throw new IllegalArgumentException("noise of " + eps.length + " values for " + b + " rows x " + s + " draws x " + d + " dimensions");
        }
        Matrix h = encoder.forward(x, gradient);
        if (h.cols() != 2 * d) {
            throw new IllegalArgumentException("the encoder gives " + h.cols() + " values per row, a VAE with latent = " + d + " needs "
                    + 2 * d + " (mu, then log sigma^2): set the encoder's outputs to " + 2 * d);
        }
        double[] hd = h.data();
        double[] z = new double[b * s * d];
        double[] sigma = new double[b * d];
        double[] kl = new double[b];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < d; j++) {
                sigma[i * d + j] = Math.exp(0.5 * hd[i * 2 * d + d + j]);
            }
            for (int t = 0; t < s; t++) {
                int base = (i * s + t) * d;
                for (int j = 0; j < d; j++) {
                    z[base + j] = hd[i * 2 * d + j] + sigma[i * d + j] * eps[base + j];
                }
            }
            kl[i] = settings.kl() == KlEstimator.ANALYTIC ? gaussianKl(hd, i * 2 * d, d) : sampledKl(z, eps, hd, i, s, d);
        }
        Matrix out = decoder.forward(new Matrix(b * s, d, z), gradient);
        int expected = settings.likelihood().decoderOutputs(pixels);
        if (out.cols() != expected) {
            throw new IllegalArgumentException("the decoder gives " + out.cols() + " values per latent row, the " + pixels + "-pixel images need "
                    + expected + " (" + settings.likelihood().name().toLowerCase(Locale.ROOT) + "): set the decoder's outputs to " + expected);
        }
        double[] od = out.data();
        double[] xd = x.data();
        double[] ll = new double[b * s];
        double[] gOut = gradient ? new double[od.length] : null; // d log p(x|z) / d output, then the loss's
        for (int i = 0; i < b; i++) {
            for (int t = 0; t < s; t++) {
                int r = i * s + t;
                ll[r] = logLikelihood(xd, i * pixels, pixels, od, r * expected, gOut);
            }
        }

        double[] coef = new double[b * s]; // d bound / d log w of each draw (ELBO: 1/L for log p(x|z))
        double[] perRow = new double[b];
        double sumLl = 0;
        double sumKl = 0;
        int groups = settings.samples();
        int kk = settings.iwaeK();
        for (int i = 0; i < b; i++) {
            double rowLl = 0;
            for (int t = 0; t < s; t++) {
                rowLl += ll[i * s + t];
            }
            sumLl += rowLl / s;
            sumKl += kl[i];
            if (kk == 1) {
                perRow[i] = rowLl / s - beta * kl[i];
                for (int t = 0; t < s; t++) {
                    coef[i * s + t] = 1.0 / s;
                }
            } else {
                double bound = 0;
                double[] logw = new double[kk];
                for (int g = 0; g < groups; g++) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int k = 0; k < kk; k++) {
                        int r = i * s + g * kk + k;
                        logw[k] = ll[r] + settings.prior().logDensity(z, r * d, d) - logPosterior(eps, r * d, hd, i * 2 * d, d);
                        max = Math.max(max, logw[k]);
                    }
                    double sum = 0;
                    for (int k = 0; k < kk; k++) {
                        sum += Math.exp(logw[k] - max);
                    }
                    bound += max + Math.log(sum) - Math.log(kk);
                    for (int k = 0; k < kk; k++) {
                        coef[i * s + g * kk + k] = Math.exp(logw[k] - max) / sum / groups;
                    }
                }
                perRow[i] = bound / groups;
            }
        }
        double total = 0;
        for (double v : perRow) {
            total += v;
        }
        if (gradient) {
            backward(b, s, d, expected, hd, z, sigma, eps, coef, gOut, beta, gradScale);
        }
        return new Batch(total, sumLl, sumKl, perRow);
    }

    private void backward(int b, int s, int d, int outCols, double[] hd, double[] z, double[] sigma, double[] eps, double[] coef,
            double[] gOut, double beta, double gradScale) {
        // loss = −Σ bound: d loss / d decoder output = −coef · d log p(x|z) / d output
        for (int r = 0; r < b * s; r++) {
            double c = -coef[r] * gradScale;
            for (int o = r * outCols; o < (r + 1) * outCols; o++) {
                gOut[o] *= c;
            }
        }
        double[] dz = decoder.backward(new Matrix(b * s, outCols, gOut)).data();
        boolean iwae = settings.iwaeK() > 1;
        boolean sampledKl = !iwae && settings.kl() == KlEstimator.MC;
        Prior prior = settings.prior();
        double[] dh = new double[b * 2 * d];
        for (int i = 0; i < b; i++) {
            for (int t = 0; t < s; t++) {
                int r = i * s + t;
                // weight of this draw's log q(z|x) − log p(z) in the loss: IWAE its normalised importance weight, MC KL β/L
                double c = iwae ? coef[r] * gradScale : sampledKl ? beta * gradScale / s : 0;
                for (int j = 0; j < d; j++) {
                    double g = dz[r * d + j];
                    if (c != 0) {
                        g += c * prior.negLogDensityGradient(z[r * d + j]); // −log p(z), through z
                    }
                    dh[i * 2 * d + j] += g;
                    dh[i * 2 * d + d + j] += g * 0.5 * sigma[i * d + j] * eps[r * d + j];
                    dh[i * 2 * d + d + j] -= 0.5 * c; // +log q(z|x) = −½ Σ log σ² + const (ε fixed)
                }
            }
            if (!iwae && !sampledKl) {
                for (int j = 0; j < d; j++) {
                    double mu = hd[i * 2 * d + j];
                    double var = sigma[i * d + j] * sigma[i * d + j];
                    dh[i * 2 * d + j] += beta * mu * gradScale;
                    dh[i * 2 * d + d + j] += beta * 0.5 * (var - 1) * gradScale;
                }
            }
        }
        encoder.backwardParameters(new Matrix(b, 2 * d, dh)); // x is data: no d loss / d x needed
    }

    /**
     * log p(x|output) of one image; if {@code grad} is not null, writes d log p / d output at the output's place.
     */
    double logLikelihood(double[] x, int xOff, int pixels, double[] out, int oOff, double[] grad) {
        double sum = 0;
        switch (settings.likelihood()) {
            case BERNOULLI -> {
                // log p = Σ x·l − softplus(l), softplus(l) = max(l, 0) + log(1 + e), e = exp(−|l|) ∈ (0, 1]; d/dl = x − σ(l),
                // σ(l) = r for l > 0 and 1 − r for l < 0, r = 1 / (1 + e) ∈ [½, 1]. Short loops the JIT vectorises, where one
                // loop with Math.exp per pixel was the epoch's largest Java cost: e (expOfNegativeAbs), the gradient (σ = ½ +
                // s·(r − ½) with s = clamp(l·1e300, −1, 1), the sign of l without a branch or Math.signum, neither of which C2
                // vectorises; s is fractional only for |l| < 1e-300, where r − ½ < 1e-300; absolute error ≤ 1 ulp of 1), the
                // linear terms, and Σ log(1 + e) as the log of a product per 512 pixels (factors in
                // (1, 2] stay below 2^512; relative error ≤ 512 ulps, ~1e-13 nats per image). The image's logits and pixels
                // are copied to scratch rows first: C2 vectorises a loop only where every array is read and written at the
                // same index (with other offsets the arrays might overlap), and measured 3× faster so
                double[] l = logitRow = sized(logitRow, pixels);
                double[] v = pixelRow = sized(pixelRow, pixels);
                double[] e = expRow = sized(expRow, pixels);
                System.arraycopy(out, oOff, l, 0, pixels);
                System.arraycopy(x, xOff, v, 0, pixels);
                expOfNegativeAbs(l, e);
                if (grad != null) {
                    double[] g = gradientRow = sized(gradientRow, pixels);
                    for (int p = 0; p < pixels; p++) {
                        g[p] = v[p] - (0.5 + Math.min(Math.max(l[p] * 1e300, -1), 1) * (1 / (1 + e[p]) - 0.5));
                    }
                    System.arraycopy(g, 0, grad, oOff, pixels);
                }
                for (int p = 0; p < pixels; p++) {
                    sum += v[p] * l[p] - Math.max(l[p], 0);
                }
                for (int from = 0; from < pixels; from += 512) {
                    int to = Math.min(pixels, from + 512);
                    double product = 1;
                    for (int p = from; p < to; p++) {
                        product *= 1 + e[p];
                    }
                    sum -= Math.log(product);
                }
            }
            case GAUSSIAN_FIXED -> {
                double var = settings.fixedVariance();
                double c = -0.5 * (LOG_2PI + Math.log(var));
                for (int p = 0; p < pixels; p++) {
                    double diff = x[xOff + p] - out[oOff + p];
                    sum += c - 0.5 * diff * diff / var;
                    if (grad != null) {
                        grad[oOff + p] = diff / var;
                    }
                }
            }
            case GAUSSIAN_LEARNED -> {
                for (int p = 0; p < pixels; p++) {
                    double diff = x[xOff + p] - out[oOff + p];
                    double lv = out[oOff + pixels + p];
                    double inv = Math.exp(-lv);
                    sum += -0.5 * (LOG_2PI + lv + diff * diff * inv);
                    if (grad != null) {
                        grad[oOff + p] = diff * inv;
                        grad[oOff + pixels + p] = -0.5 + 0.5 * diff * diff * inv;
                    }
                }
            }
        }
        return sum;
    }

    /** Where {@link #expOfNegativeAbs} saturates: exp(−40) ≈ 4.2e-18 is below half an ulp of 1, so 1 + e = 1 from there. */
    static final double EXP_SATURATION = 40;
    private static final double EXP_CENTER = 0.3125;
    /** exp(−c)·(−1)^k / k!, c = {@link #EXP_CENTER}: Taylor coefficients of exp(−t) about c, in powers of t − c. */
    private static final double Q0 = Math.exp(-EXP_CENTER);
    private static final double Q1 = -Q0;
    private static final double Q2 = Q0 / 2;
    private static final double Q3 = -Q0 / 6;
    private static final double Q4 = Q0 / 24;
    private static final double Q5 = -Q0 / 120;
    private static final double Q6 = Q0 / 720;
    private static final double Q7 = -Q0 / 5040;
    private static final double Q8 = Q0 / 40320;
    private static final double Q9 = -Q0 / 362880;
    private static final double Q10 = Q0 / 3628800;
    private static final double Q11 = -Q0 / 39916800;
    private static final double Q12 = Q0 / 479001600;

    /** The Bernoulli likelihood's scratch rows for one image (an objective is used by one thread). */
    private double[] logitRow;
    private double[] pixelRow;
    private double[] expRow;
    private double[] gradientRow;

    private static double[] sized(double[] row, int n) {
        return row != null && row.length == n ? row : new double[n];
    }

    /**
     * {@code e[i] = exp(−min(|l[i]|, 40))} for every i of {@code l} (e as long), by range reduction that needs only multiplications, so
     * that the JIT vectorises the loop (4 doubles per AVX2 instruction; {@code Math.exp} is a scalar call, and a
     * 2^k scaling by bit manipulation keeps the JIT from vectorising): exp(−a) = exp(−a/64)^64, with exp(−t), t = a/64 ∈
     * [0, 0.625], the degree-12 Taylor polynomial about t = 0.3125 (remainder ≤ 0.3125¹³/13! ≈ 4e-17 relative), squared
     * six times (which multiplies relative error by 64): ≤ 2e-14 relative against {@code Math.exp}
     * (BernoulliLikelihoodTest). Saturating at 40 changes e only where it is below 4.2e-18, where 1 + e = 1 and σ(l) for l
     * &lt; −40 is off by less than that. NaN stays NaN.
     */
    static void expOfNegativeAbs(double[] l, double[] e) {
        for (int i = 0; i < l.length; i++) {
            double u = Math.min(Math.abs(l[i]), EXP_SATURATION) * (1.0 / 64) - EXP_CENTER;
            double q = Q0 + u * (Q1 + u * (Q2 + u * (Q3 + u * (Q4 + u * (Q5 + u * (Q6 + u * (Q7 + u * (Q8 + u * (Q9 + u * (Q10
                    + u * (Q11 + u * Q12)))))))))));
            q *= q;
            q *= q;
            q *= q;
            q *= q;
            q *= q;
            q *= q;
            e[i] = q;
        }
    }

    /** The image the decoder output stands for: Bernoulli means σ(l) or Gaussian means, one row per output row. */
    Matrix mean(Matrix out, int pixels) {
        Matrix m = new Matrix(out.rows(), pixels);
        double[] o = out.data();
        double[] md = m.data();
        for (int r = 0; r < out.rows(); r++) {
            for (int p = 0; p < pixels; p++) {
                double v = o[r * out.cols() + p];
                md[r * pixels + p] = settings.likelihood() == Likelihood.BERNOULLI ? sigmoid(v) : v;
            }
        }
        return m;
    }

    /**
     * The Monte-Carlo KL of row {@code i}: the mean over its {@code s} draws of log q(z|x) − log p(z) (draws from the
     * row's 2·d encoder outputs in {@code h}).
     */
    double sampledKl(double[] z, double[] eps, double[] h, int i, int s, int d) {
        double sum = 0;
        for (int t = 0; t < s; t++) {
            int r = i * s + t;
            sum += logPosterior(eps, r * d, h, i * 2 * d, d) - settings.prior().logDensity(z, r * d, d);
        }
        return sum / s;
    }

    /** log N(z; 0, I) (the normal prior; see {@link Prior#logDensity(double[], int, int)} for the others). */
    static double logPrior(double[] z, int off, int d) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            s += z[off + j] * z[off + j];
        }
        return -0.5 * (s + d * LOG_2PI);
    }

    /** log q(z|x) at z = μ + σ ε: −½ Σ (ε² + log σ² + log 2π). */
    static double logPosterior(double[] eps, int off, double[] h, int hOff, int d) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            s += eps[off + j] * eps[off + j] + h[hOff + d + j] + LOG_2PI;
        }
        return -0.5 * s;
    }

    /** KL(N(μ, diag σ²) ‖ N(0, I)) = ½ Σ (μ² + σ² − 1 − log σ²), from an encoder row h[off…] = (μ, log σ²) of 2·d values. */
    static double gaussianKl(double[] h, int off, int d) {
        double k = 0;
        for (int j = 0; j < d; j++) {
            double mu = h[off + j];
            double lv = h[off + d + j];
            k += 0.5 * (mu * mu + Math.exp(lv) - 1 - lv);
        }
        return k;
    }

    static double sigmoid(double l) {
        return l >= 0 ? 1 / (1 + Math.exp(-l)) : Math.exp(l) / (1 + Math.exp(l));
    }
}

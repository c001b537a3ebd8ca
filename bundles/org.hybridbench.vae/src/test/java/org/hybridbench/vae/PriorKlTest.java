package org.hybridbench.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.hybridbench.api.StageException;
import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.DifferentiableNetwork;
import org.hybridbench.api.model.ParameterBlock;
import org.hybridbench.vae.VaeObjective.KlEstimator;
import org.hybridbench.vae.VaeObjective.Likelihood;
import org.hybridbench.vae.VaeObjective.Prior;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The priors other than N(0, I) and the Monte-Carlo KL: densities against numerical integrals, the MC KL and its pathwise
 * gradient against the closed form for the normal prior, the whole estimator against finite differences, IWAE with
 * the Laplace prior against densities written out here, and the refused analytic KL for a non-normal prior.
 */
class PriorKlTest {
    @TempDir
    Path dir;

    /** Simpson's rule of f over [a, b] in n (even) intervals. */
    private static double simpson(java.util.function.DoubleUnaryOperator f, double a, double b, int n) {
        double h = (b - a) / n;
        double s = f.applyAsDouble(a) + f.applyAsDouble(b);
        for (int i = 1; i < n; i++) {
            s += (i % 2 == 1 ? 4 : 2) * f.applyAsDouble(a + i * h);
        }
        return s * h / 3;
    }

    @Test
    void priorDensitiesNormaliseWithTheirVariance() {
        // Laplace(0, b): variance 2b² = 1; Student-t ν = 5, scale 1: variance ν / (ν − 2) = 5/3; N(0, 1): 1.
        // The kink of |z| at 0 is a grid point of the symmetric grids, so Simpson's rule stays accurate on each half.
        double[][] expected = {{1, 1}, {1, 1}, {1, 5.0 / 3}};
        Prior[] priors = {Prior.NORMAL, Prior.LAPLACE, Prior.STUDENT_T};
        for (int k = 0; k < priors.length; k++) {
            Prior p = priors[k];
            double limit = p == Prior.STUDENT_T ? 2000 : 60; // the t's z² p(z) decays only like z^-4
            int n = p == Prior.STUDENT_T ? 4_000_000 : 200_000;
            double mass = simpson(v -> Math.exp(p.logDensity(v)), -limit, limit, n);
            double mean = simpson(v -> v * Math.exp(p.logDensity(v)), -limit, limit, n);
            double var = simpson(v -> v * v * Math.exp(p.logDensity(v)), -limit, limit, n);
            System.out.printf("%s: mass %.9f, mean %.2e, variance %.6f%n", p.configName(), mass, mean, var);
            assertEquals(expected[k][0], mass, 1e-6, p + " mass");
            assertEquals(0, mean, 1e-9, p + " mean");
            assertEquals(expected[k][1], var, 2e-3, p + " variance");
        }
        // the Laplace density as a textbook formula, 1/(2b) exp(−|z|/b), b = 1/√2
        double b = 1 / Math.sqrt(2);
        for (double v : new double[] {-3.1, -0.2, 0, 0.7, 5}) {
            assertEquals(Math.exp(-Math.abs(v) / b) / (2 * b), Math.exp(Prior.LAPLACE.logDensity(v)), 1e-15, "laplace at " + v);
        }
        // −d log p / dz against central differences away from Laplace's kink; the subgradient at 0 is 0
        for (Prior p : priors) {
            for (double v : new double[] {-2.3, -0.4, 0.05, 1.1, 6}) {
                double numeric = -(p.logDensity(v + 1e-6) - p.logDensity(v - 1e-6)) / 2e-6;
                assertEquals(numeric, p.negLogDensityGradient(v), 1e-7, p + " at " + v);
            }
        }
        assertEquals(0, Prior.LAPLACE.negLogDensityGradient(0), 0);
    }

    @Test
    void priorSamplesHaveTheDensitysMoments() {
        // variance and P(|z| > 2), each from the density by numerical integration, against 200,000 draws (within 4 SE)
        for (Prior p : new Prior[] {Prior.NORMAL, Prior.LAPLACE, Prior.STUDENT_T}) {
            double limit = p == Prior.STUDENT_T ? 2000 : 60;
            int grid = p == Prior.STUDENT_T ? 4_000_000 : 200_000;
            double var = simpson(v -> v * v * Math.exp(p.logDensity(v)), -limit, limit, grid);
            double tail = 2 * simpson(v -> Math.exp(p.logDensity(v)), 2, limit, grid / 2);
            SplittableRandom rng = new SplittableRandom(8);
            int n = 200_000;
            double sq = 0;
            double sq2 = 0;
            int beyond = 0;
            for (int i = 0; i < n; i++) {
                double z = p.sample(rng);
                sq += z * z;
                sq2 += z * z * z * z;
                beyond += Math.abs(z) > 2 ? 1 : 0;
            }
            double m2 = sq / n;
            double seVar = Math.sqrt((sq2 / n - m2 * m2) / n);
            double frac = beyond / (double) n;
            double seFrac = Math.sqrt(tail * (1 - tail) / n);
            System.out.printf("%s draws: variance %.4f ± %.4f (density %.4f), P(|z| > 2) %.5f ± %.5f (density %.5f)%n", p.configName(), m2,
                    seVar, var, frac, seFrac, tail);
            assertEquals(var, m2, 4 * seVar, p + " variance");
            assertEquals(tail, frac, 4 * seFrac, p + " tail");
        }
        // the normal prior draws exactly what the trainer drew before priors were configurable
        SplittableRandom a = new SplittableRandom(3);
        SplittableRandom b = new SplittableRandom(3);
        for (int i = 0; i < 10; i++) {
            assertEquals(a.nextGaussian(), Prior.NORMAL.sample(b), 0);
        }
    }

    /** The encoder outputs its parameters (μ, log σ²) for every row; the decoder ignores z (constant output, no gradient). */
    private static final class FixedPosterior implements DifferentiableNetwork {
        final ParameterBlock h;

        FixedPosterior(double[] values) {
            h = new ParameterBlock("h", new int[] {values.length}, values, new double[values.length]);
        }

        @Override
        public Matrix forward(Matrix input, boolean training) {
            Matrix out = new Matrix(input.rows(), h.size());
            for (int r = 0; r < input.rows(); r++) {
                System.arraycopy(h.values(), 0, out.data(), r * h.size(), h.size());
            }
            return out;
        }

        @Override
        public Matrix backward(Matrix g) {
            for (int r = 0; r < g.rows(); r++) {
                for (int c = 0; c < h.size(); c++) {
                    h.gradient()[c] += g.get(r, c);
                }
            }
            return new Matrix(g.rows(), 1);
        }

        @Override
        public List<ParameterBlock> parameters() {
            return List.of(h);
        }
    }

    private static final class ConstantDecoder implements DifferentiableNetwork {
        final int outputs;

        ConstantDecoder(int outputs) {
            this.outputs = outputs;
        }

        @Override
        public Matrix forward(Matrix input, boolean training) {
            return new Matrix(input.rows(), outputs);
        }

        @Override
        public Matrix backward(Matrix g) {
            return new Matrix(g.rows(), 2); // the output does not depend on z
        }

        @Override
        public List<ParameterBlock> parameters() {
            return List.of();
        }
    }

    @Test
    void monteCarloKlAndItsGradientMatchTheClosedFormForTheNormalPrior() {
        double[] mu = {0.8, -0.3};
        double[] logVar = {-0.7, 0.5};
        int d = 2;
        double[] h = {mu[0], mu[1], logVar[0], logVar[1]};
        FixedPosterior enc = new FixedPosterior(h.clone());
        // the decoder is constant, so −bound = β·KL + const and the gradient on h is β times the KL's
        double beta = 1.5;
        VaeObjective o = new VaeObjective(enc, new ConstantDecoder(3), new VaeObjective.Settings(d, Likelihood.GAUSSIAN_FIXED, 1, 1, 1,
                Prior.NORMAL, KlEstimator.MC));
        Matrix x = new Matrix(1, 3);
        SplittableRandom rng = new SplittableRandom(17);
        int n = 20_000;
        double sum = 0;
        double sumSq = 0;
        double[] g = new double[2 * d];
        double[] gSq = new double[2 * d];
        for (int draw = 0; draw < n; draw++) {
            Arrays.fill(enc.h.gradient(), 0);
            VaeObjective.Batch r = o.evaluate(x, o.noise(1, rng), beta, true, 1);
            sum += r.kl();
            sumSq += r.kl() * r.kl();
            for (int c = 0; c < 2 * d; c++) {
                double v = enc.h.gradient()[c] / beta;
                g[c] += v;
                gSq[c] += v * v;
            }
        }
        // textbook: KL = ½ Σ (μ² + σ² − 1 − log σ²); d/dμ = μ; d/d log σ² = ½ (σ² − 1)
        double closed = 0;
        double[] closedGrad = new double[2 * d];
        for (int j = 0; j < d; j++) {
            closed += BoundsTest.klNormal(mu[j], Math.exp(logVar[j]), 0, 1);
            closedGrad[j] = mu[j];
            closedGrad[d + j] = 0.5 * (Math.exp(logVar[j]) - 1);
        }
        double mean = sum / n;
        double se = Math.sqrt((sumSq / n - mean * mean) / n);
        System.out.printf("MC KL %.5f ± %.5f (n = %d), closed form %.5f%n", mean, se, n, closed);
        assertEquals(closed, mean, 3 * se, "MC KL vs closed form");
        for (int c = 0; c < 2 * d; c++) {
            double m = g[c] / n;
            double s = Math.sqrt((gSq[c] / n - m * m) / n);
            System.out.printf("  d KL / d h[%d]: MC %.5f ± %.5f, closed form %.5f%n", c, m, s, closedGrad[c]);
            assertEquals(closedGrad[c], m, 4 * s, "gradient component " + c);
        }
    }

    @Test
    void monteCarloKlOfTheLaplacePriorMatchesNumericalIntegration() {
        // KL(N(μ, σ²) ‖ Laplace) = −H(q) − E_q[log p] with E_q[log p] = −E|z|/b − log 2b, E|z| integrated numerically here
        double mu = 0.6;
        double logVar = -0.4;
        double var = Math.exp(logVar);
        double b = 1 / Math.sqrt(2);
        double absMean = simpson(v -> Math.abs(v) * Math.exp(BoundsTest.logNormal(v, mu, var)), mu - 12, mu + 12, 240_000);
        double expected = -0.5 * Math.log(2 * Math.PI * Math.E * var) + absMean / b + Math.log(2 * b);
        FixedPosterior enc = new FixedPosterior(new double[] {mu, logVar});
        VaeObjective o = new VaeObjective(enc, new ConstantDecoder(3), new VaeObjective.Settings(1, Likelihood.GAUSSIAN_FIXED, 1, 1, 1,
                Prior.LAPLACE, KlEstimator.MC));
        SplittableRandom rng = new SplittableRandom(4);
        int n = 20_000;
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < n; i++) {
            double k = o.evaluate(new Matrix(1, 3), o.noise(1, rng), 1, false, 0).kl();
            sum += k;
            sumSq += k * k;
        }
        double mean = sum / n;
        double se = Math.sqrt((sumSq / n - mean * mean) / n);
        System.out.printf("Laplace prior: MC KL %.5f ± %.5f, numerical integral %.5f%n", mean, se, expected);
        assertEquals(expected, mean, 3 * se);
    }

    @ParameterizedTest
    @CsvSource({"laplace, bernoulli, 1, 1, 1", "laplace, bernoulli, 3, 1, 0.7", "laplace, gaussian-learned, 2, 1, 1", "laplace, bernoulli, 1, 3, 1",
            "student-t, gaussian-fixed, 2, 1, 0.5", "student-t, bernoulli, 1, 2, 1", "normal, bernoulli, 2, 1, 0.7"})
    void monteCarloEstimatorMatchesFiniteDifferences(String priorName, String likelihood, int samples, int iwaeK, double beta) throws Exception {
        int pixels = 6;
        int latent = 2;
        Likelihood lik = Likelihood.of(likelihood);
        Prior prior = Prior.of(priorName);
        DifferentiableNetwork enc = Wiring.mlp(dir.resolve("e"), 3, "5", "tanh", 2 * latent, "double");
        DifferentiableNetwork dec = Wiring.mlp(dir.resolve("d"), 4, "4", "tanh", lik.decoderOutputs(pixels), "double");
        VaeObjective o = new VaeObjective(enc, dec, new VaeObjective.Settings(latent, lik, 0.3, samples, iwaeK, prior, KlEstimator.MC));
        SplittableRandom rng = new SplittableRandom(11);
        int rows = 3;
        double[] xv = new double[rows * pixels];
        for (int i = 0; i < xv.length; i++) {
            xv[i] = lik == Likelihood.BERNOULLI ? (rng.nextBoolean() ? 1 : 0) : rng.nextDouble();
        }
        Matrix x = new Matrix(rows, pixels, xv);
        double[] eps = o.noise(rows, rng);
        o.evaluate(x, eps, beta, false, 0); // builds both networks
        // Laplace's |z| has a kink at 0: the probe's z must stay well away from it, also under the 1e-5 weight steps
        Matrix h = enc.forward(x, false);
        int s = o.settings.drawsPerRow();
        double minAbsZ = Double.POSITIVE_INFINITY;
        for (int i = 0; i < rows; i++) {
            for (int t = 0; t < s; t++) {
                for (int j = 0; j < latent; j++) {
                    double z = h.get(i, j) + Math.exp(0.5 * h.get(i, latent + j)) * eps[(i * s + t) * latent + j];
                    minAbsZ = Math.min(minAbsZ, Math.abs(z));
                }
            }
        }
        assertTrue(minAbsZ > 1e-3, "a probe z is " + minAbsZ + " from the kink");
        double[] result = ObjectiveGradientTest.finiteDifferences(o, enc, dec, x, eps, beta, rows);
        double worst = result[0];
        int checked = (int) result[1];
        System.out.printf("%s prior, MC KL, %s L=%d K=%d beta=%.1f: %d parameters, min |z| %.3f, worst relative error %.2e%n", priorName,
                likelihood, samples, iwaeK, beta, checked, minAbsZ, worst);
        assertEquals(enc.parameters().stream().mapToInt(ParameterBlock::size).sum()
                + dec.parameters().stream().mapToInt(ParameterBlock::size).sum(), checked);
    }

    @Test
    void iwaeWithTheLaplacePriorIsTheSingleDrawMonteCarloElbo() throws Exception {
        int latent = 3;
        int pixels = 10;
        int rows = 4;
        DifferentiableNetwork enc = Wiring.mlp(dir.resolve("e"), 3, "8", "tanh", 2 * latent, "double");
        DifferentiableNetwork dec = Wiring.mlp(dir.resolve("d"), 4, "8", "tanh", pixels, "double");
        VaeObjective elbo = new VaeObjective(enc, dec, new VaeObjective.Settings(latent, Likelihood.BERNOULLI, 1, 1, 1, Prior.LAPLACE, KlEstimator.MC));
        VaeObjective iwae3 = new VaeObjective(enc, dec, new VaeObjective.Settings(latent, Likelihood.BERNOULLI, 1, 1, 3, Prior.LAPLACE, KlEstimator.MC));
        SplittableRandom rng = new SplittableRandom(9);
        Matrix x = Wiring.binaryRows(rows, pixels, rng);
        double[] eps = elbo.noise(rows, rng);
        double[] eps3 = new double[eps.length * 3];
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < 3; k++) {
                System.arraycopy(eps, i * latent, eps3, (i * 3 + k) * latent, latent);
            }
        }
        VaeObjective.Batch one = elbo.evaluate(x, eps, 1, false, 0);
        VaeObjective.Batch three = iwae3.evaluate(x, eps3, 1, false, 0);
        Matrix h = enc.forward(x, false);
        double b = 1 / Math.sqrt(2);
        double klSum = 0;
        for (int i = 0; i < rows; i++) {
            double[] z = new double[latent];
            double logRatio = 0; // log p(z) − log q(z|x), densities written out
            for (int j = 0; j < latent; j++) {
                double m = h.get(i, j);
                double var = Math.exp(h.get(i, latent + j));
                z[j] = m + Math.sqrt(var) * eps[i * latent + j];
                logRatio += Math.log(Math.exp(-Math.abs(z[j]) / b) / (2 * b)) - BoundsTest.logNormal(z[j], m, var);
            }
            Matrix out = dec.forward(new Matrix(1, latent, z), false);
            double ll = 0;
            for (int p = 0; p < pixels; p++) {
                double prob = 1 / (1 + Math.exp(-out.get(0, p)));
                ll += x.get(i, p) == 1 ? Math.log(prob) : Math.log(1 - prob);
            }
            klSum -= logRatio;
            assertEquals(ll + logRatio, one.perRow()[i], 1e-9, "MC ELBO, row " + i);
            assertEquals(ll + logRatio, three.perRow()[i], 1e-9, "IWAE-3 of identical draws, row " + i);
        }
        assertEquals(klSum, one.kl(), 1e-9, "the reported KL is the sampled one");
        assertEquals(klSum, three.kl(), 1e-9, "the IWAE path reports the sampled KL too");
    }

    @Test
    void analyticKlIsRefusedForANonNormalPrior() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new VaeObjective.Settings(2, Likelihood.BERNOULLI, 1, 1, 1, Prior.LAPLACE, KlEstimator.ANALYTIC));
        assertTrue(e.getMessage().contains("kl = analytic") && e.getMessage().contains("prior = laplace"), e.getMessage());
        VaeStageProvider p = new VaeStageProvider(null);
        StageException s = assertThrows(StageException.class, () -> p.create(Wiring.config(p, Map.of("prior", "student-t"))));
        assertTrue(s.getMessage().startsWith("model.vae: ") && s.getMessage().contains("kl = analytic")
                && s.getMessage().contains("prior = student-t") && s.getMessage().contains("set kl = mc"), s.getMessage());
        // the defaults (normal, analytic) and the Monte-Carlo KL with any prior are accepted
        p.create(Wiring.config(p, Map.of()));
        p.create(Wiring.config(p, Map.of("prior", "laplace", "kl", "mc")));
        p.create(Wiring.config(p, Map.of("kl", "mc")));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> Prior.of("cauchy"));
        assertTrue(unknown.getMessage().contains("unknown prior 'cauchy'"), unknown.getMessage());
    }
}

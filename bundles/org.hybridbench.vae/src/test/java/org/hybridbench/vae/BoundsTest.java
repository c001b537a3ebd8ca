package org.hybridbench.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.SplittableRandom;

import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.DifferentiableNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The KL term and the importance-weighted bound, each against an independent computation in this test. */
class BoundsTest {
    @TempDir
    Path dir;

    /** KL(N(μ1, σ1²) ‖ N(μ2, σ2²)) per dimension, the textbook closed form. */
    static double klNormal(double mu1, double var1, double mu2, double var2) {
        return 0.5 * Math.log(var2 / var1) + (var1 + (mu1 - mu2) * (mu1 - mu2)) / (2 * var2) - 0.5;
    }

    /** log N(v; m, s²) written out. */
    static double logNormal(double v, double m, double var) {
        return -0.5 * Math.log(2 * Math.PI * var) - (v - m) * (v - m) / (2 * var);
    }

    @Test
    void analyticKlMatchesClosedFormAndMonteCarlo() {
        double[] mu = {0.3, -1.2, 2.0, 0};
        double[] logVar = {-0.5, 0.4, -2.0, 0};
        int d = mu.length;
        double[] h = new double[2 * d];
        System.arraycopy(mu, 0, h, 0, d);
        System.arraycopy(logVar, 0, h, d, d);
        double closed = 0;
        for (int j = 0; j < d; j++) {
            closed += klNormal(mu[j], Math.exp(logVar[j]), 0, 1);
        }
        double kl = VaeObjective.gaussianKl(h, 0, d);
        assertEquals(closed, kl, 1e-12);

        // Monte Carlo: E_q[log q(z) − log p(z)] with z drawn from q
        SplittableRandom rng = new SplittableRandom(5);
        int n = 400_000;
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < n; i++) {
            double v = 0;
            for (int j = 0; j < d; j++) {
                double var = Math.exp(logVar[j]);
                double z = mu[j] + Math.sqrt(var) * rng.nextGaussian();
                v += logNormal(z, mu[j], var) - logNormal(z, 0, 1);
            }
            sum += v;
            sumSq += v * v;
        }
        double mean = sum / n;
        double se = Math.sqrt((sumSq / n - mean * mean) / n);
        System.out.printf("KL analytic %.6f, closed form %.6f, Monte Carlo %.6f ± %.6f%n", kl, closed, mean, se);
        assertEquals(kl, mean, 4 * se);
        // a point mass at the prior's mean and variance has no KL
        assertEquals(0, VaeObjective.gaussianKl(new double[] {0, 0, 0, 0}, 0, 2), 0);
    }

    private VaeObjective model(int latent, int k) throws Exception {
        DifferentiableNetwork enc = Wiring.mlp(dir.resolve("e"), 3, "8", "tanh", 2 * latent, "double");
        DifferentiableNetwork dec = Wiring.mlp(dir.resolve("d"), 4, "8", "tanh", 10, "double");
        return new VaeObjective(enc, dec, new VaeObjective.Settings(latent, VaeObjective.Likelihood.BERNOULLI, 1, 1, k));
    }

    private static Matrix images(int rows, int pixels, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = new double[rows * pixels];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextDouble() < 0.3 ? 1 : 0;
        }
        return new Matrix(rows, pixels, v);
    }

    @Test
    void iwaeWithOneDrawIsTheSingleSampleElbo() throws Exception {
        int latent = 3;
        VaeObjective o = model(latent, 1);
        Matrix x = images(4, 10, 9);
        double iwae1 = VaeStage.iwaeLogLikelihood(o, x, 4, 1, new SplittableRandom(21), null);
        // the same draws, in the same order (row by row, d per row), evaluated here with densities of z itself
        SplittableRandom rng = new SplittableRandom(21);
        Matrix h = o.encoder.forward(x, false);
        double sum = 0;
        for (int i = 0; i < 4; i++) {
            double[] z = new double[latent];
            double logRatio = 0;
            for (int j = 0; j < latent; j++) {
                double m = h.get(i, j);
                double var = Math.exp(h.get(i, latent + j));
                z[j] = m + Math.sqrt(var) * rng.nextGaussian();
                logRatio += logNormal(z[j], 0, 1) - logNormal(z[j], m, var);
            }
            Matrix out = o.decoder.forward(new Matrix(1, latent, z), false);
            double ll = 0;
            for (int p = 0; p < 10; p++) {
                double prob = 1 / (1 + Math.exp(-out.get(0, p)));
                ll += x.get(i, p) == 1 ? Math.log(prob) : Math.log(1 - prob);
            }
            sum += ll + logRatio;
        }
        assertEquals(sum / 4, iwae1, 1e-9);

        // the training path: iwaeK = K with K identical draws is that one draw's log weight, for any K
        double[] eps = o.noise(4, new SplittableRandom(2));
        VaeObjective k3 = new VaeObjective(o.encoder, o.decoder, new VaeObjective.Settings(latent, VaeObjective.Likelihood.BERNOULLI, 1, 1, 3));
        double[] eps3 = new double[eps.length * 3];
        for (int i = 0; i < 4; i++) {
            for (int k = 0; k < 3; k++) {
                System.arraycopy(eps, i * latent, eps3, (i * 3 + k) * latent, latent);
            }
        }
        VaeObjective.Batch one = o.evaluate(x, eps, 1, false, 0);
        VaeObjective.Batch three = k3.evaluate(x, eps3, 1, false, 0);
        for (int i = 0; i < 4; i++) {
            double[] zi = new double[latent];
            double logRatio = 0;
            for (int j = 0; j < latent; j++) {
                double m = h.get(i, j);
                double var = Math.exp(h.get(i, latent + j));
                zi[j] = m + Math.sqrt(var) * eps[i * latent + j];
                logRatio += logNormal(zi[j], 0, 1) - logNormal(zi[j], m, var);
            }
            // single-sample ELBO with a sampled KL = ELBO with the analytic KL + (KL − sampled KL)
            double analyticKl = VaeObjective.gaussianKl(h.data(), i * 2 * latent, latent);
            assertEquals(one.perRow()[i] + analyticKl + logRatio, three.perRow()[i], 1e-9, "row " + i);
        }
    }

    @Test
    void iwaeGrowsWithKOnAverageAndBoundsTheElbo() throws Exception {
        int latent = 2;
        VaeObjective o = model(latent, 1);
        Matrix x = images(50, 10, 13);
        SplittableRandom rng = new SplittableRandom(3);
        int[] ks = {1, 5, 50, 500};
        double[] est = new double[ks.length];
        int repeats = 20;
        for (int k = 0; k < ks.length; k++) {
            for (int r = 0; r < repeats; r++) {
                est[k] += VaeStage.iwaeLogLikelihood(o, x, 50, ks[k], rng, null) / repeats;
            }
        }
        // analytic-KL ELBO, averaged over draws: the expectation of IWAE-1
        double elbo = 0;
        for (int r = 0; r < 200; r++) {
            elbo += o.evaluate(x, o.noise(50, rng), 1, false, 0).bound() / 50 / 200;
        }
        System.out.printf("ELBO %.4f; IWAE-k for k = 1, 5, 50, 500: %.4f %.4f %.4f %.4f%n", elbo, est[0], est[1], est[2], est[3]);
        assertEquals(elbo, est[0], 0.05 * Math.abs(elbo), "E[IWAE-1] is the ELBO");
        for (int k = 1; k < ks.length; k++) {
            assertTrue(est[k] > est[k - 1], "IWAE-" + ks[k] + " " + est[k] + " should exceed IWAE-" + ks[k - 1] + " " + est[k - 1]);
        }
    }
}

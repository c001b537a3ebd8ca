package org.hybridbench.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * The Bernoulli log-likelihood (one exp per pixel, the softplus terms summed as the log of a product renormalised
 * every 512 pixels) against the textbook per-pixel form written out here with {@code log1p}, on images larger than
 * one product chunk and with logits far in both tails, where a plain product of 1 + e would lose nothing but a
 * product of σ would underflow.
 */
class BernoulliLikelihoodTest {

    private static double textbook(double x, double l) {
        // log p = x log σ(l) + (1 − x) log(1 − σ(l)) = x·l − softplus(l), softplus(l) = max(l, 0) + log1p(exp(−|l|))
        return x * l - (Math.max(l, 0) + Math.log1p(Math.exp(-Math.abs(l))));
    }

    @Test
    void matchesThePerPixelFormAndItsGradient() {
        VaeObjective objective = new VaeObjective(null, null, new VaeObjective.Settings(2, VaeObjective.Likelihood.BERNOULLI, 1, 1, 1));
        SplittableRandom rng = new SplittableRandom(3);
        for (int pixels : new int[] {1, 511, 512, 513, 784, 3 * 32 * 32}) {
            double[] x = new double[pixels + 5];
            double[] out = new double[pixels + 7];
            for (int p = 0; p < pixels; p++) {
                x[5 + p] = p % 3 == 0 ? rng.nextDouble() : rng.nextInt(2); // grey and binary
                out[7 + p] = p % 10 == 0 ? 60 * (2 * rng.nextDouble() - 1) : 4 * rng.nextGaussian();
            }
            double[] grad = new double[out.length];
            double got = objective.logLikelihood(x, 5, pixels, out, 7, grad);
            double want = 0;
            for (int p = 0; p < pixels; p++) {
                want += textbook(x[5 + p], out[7 + p]);
                double l = out[7 + p];
                double sigma = l >= 0 ? 1 / (1 + Math.exp(-l)) : Math.exp(l) / (1 + Math.exp(l));
                assertEquals(x[5 + p] - sigma, grad[7 + p], 1e-15, "d log p / d l of pixel " + p + " of " + pixels);
            }
            assertTrue(want < 0, "a proper log-likelihood");
            assertEquals(want, got, 1e-12 * Math.max(1, Math.abs(want)), pixels + " pixels");
        }
    }
}

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
                // e = exp(−|l|) carries ≤ 2e-14 relative error (expOfNegativeAbs), so σ(l) ≤ 1e-14 absolute
                assertEquals(x[5 + p] - sigma, grad[7 + p], 1e-14, "d log p / d l of pixel " + p + " of " + pixels);
            }
            assertTrue(want < 0, "a proper log-likelihood");
            assertEquals(want, got, 1e-12 * Math.max(1, Math.abs(want)), pixels + " pixels");
        }
    }

    /**
     * The vectorisable exp(−|l|) against {@code Math.exp}: every 1e-5 from 0 to 40 and 10⁵ random points, relative
     * error ≤ 2e-14; saturated beyond 40 (below 4.3e-18, where 1 + e = 1); NaN stays NaN.
     */
    @Test
    void expOfNegativeAbsIsMathExpTo2e14() {
        int n = 4_000_001;
        double[] l = new double[n + 100_003];
        SplittableRandom rng = new SplittableRandom(11);
        for (int i = 0; i < n; i++) {
            l[i] = (i % 2 == 0 ? 1 : -1) * i * 1e-5;
        }
        for (int i = n; i < l.length; i++) {
            l[i] = 40 * (2 * rng.nextDouble() - 1);
        }
        double[] e = new double[l.length];
        VaeObjective.expOfNegativeAbs(l, e);
        double worst = 0;
        for (int i = 0; i < l.length; i++) {
            double want = Math.exp(-Math.abs(l[i]));
            worst = Math.max(worst, Math.abs(e[i] - want) / want);
        }
        assertTrue(worst <= 2e-14, "largest relative error " + worst);
        double[] tail = {40, -41, 60, 745, 1e6, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN};
        double[] all = new double[tail.length];
        VaeObjective.expOfNegativeAbs(tail, all);
        assertTrue(Double.isNaN(all[7]), "NaN in, NaN out");
        for (int i = 0; i < 7; i++) {
            assertTrue(all[i] > 0 && all[i] <= 4.3e-18 && 1 + all[i] == 1, "saturated at " + tail[i] + ": " + all[i]);
        }
    }
}

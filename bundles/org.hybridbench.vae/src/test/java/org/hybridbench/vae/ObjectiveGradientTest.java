package org.hybridbench.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.DifferentiableNetwork;
import org.hybridbench.api.model.ParameterBlock;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The whole estimator — decoder, reparameterisation, KL or importance weights, encoder — against central finite
 * differences with fixed ε, through two real encoder.mlp networks in double precision: every weight and bias.
 */
class ObjectiveGradientTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"bernoulli, 2, 1, 0.7", "bernoulli, 1, 3, 1", "gaussian-fixed, 2, 1, 1", "gaussian-learned, 1, 1, 1", "gaussian-learned, 2, 2, 1"})
    void gradientMatchesFiniteDifferences(String likelihood, int samples, int iwaeK, double beta) throws Exception {
        int pixels = 6;
        int latent = 2;
        VaeObjective.Likelihood lik = VaeObjective.Likelihood.of(likelihood);
        DifferentiableNetwork enc = Wiring.mlp(dir.resolve("e"), 3, "5", "tanh", 2 * latent, "double");
        DifferentiableNetwork dec = Wiring.mlp(dir.resolve("d"), 4, "4", "tanh", lik.decoderOutputs(pixels), "double");
        VaeObjective o = new VaeObjective(enc, dec, new VaeObjective.Settings(latent, lik, 0.3, samples, iwaeK));
        SplittableRandom rng = new SplittableRandom(11);
        int rows = 3;
        double[] xv = new double[rows * pixels];
        for (int i = 0; i < xv.length; i++) {
            xv[i] = lik == VaeObjective.Likelihood.BERNOULLI ? (rng.nextBoolean() ? 1 : 0) : rng.nextDouble();
        }
        Matrix x = new Matrix(rows, pixels, xv);
        double[] eps = o.noise(rows, rng);
        o.evaluate(x, eps, beta, false, 0); // builds both networks
        double[] result = finiteDifferences(o, enc, dec, x, eps, beta, rows);
        double worst = result[0];
        int checked = (int) result[1];
        System.out.printf("%s L=%d K=%d beta=%.1f: %d parameters, worst relative error %.2e%n", likelihood, samples, iwaeK, beta, checked, worst);
        assertEquals(enc.parameters().stream().mapToInt(ParameterBlock::size).sum()
                + dec.parameters().stream().mapToInt(ParameterBlock::size).sum(), checked);
    }

    /**
     * Every parameter's backward gradient of the mini-batch mean of −bound against central finite differences with the
     * given fixed ε (asserting each to 1e-5 relative); returns {worst relative error, parameters checked}.
     */
    static double[] finiteDifferences(VaeObjective o, DifferentiableNetwork enc, DifferentiableNetwork dec, Matrix x, double[] eps,
            double beta, int rows) {
        List<ParameterBlock> blocks = new ArrayList<>(enc.parameters());
        blocks.addAll(dec.parameters());
        for (ParameterBlock b : blocks) {
            Arrays.fill(b.gradient(), 0);
        }
        double scale = 1.0 / rows;
        o.evaluate(x, eps, beta, true, scale);
        double worst = 0;
        int checked = 0;
        for (ParameterBlock b : blocks) {
            double[] v = b.values();
            for (int i = 0; i < v.length; i++) {
                double keep = v[i];
                double h = 1e-5;
                v[i] = keep + h;
                double up = -o.evaluate(x, eps, beta, false, 0).bound() * scale;
                v[i] = keep - h;
                double down = -o.evaluate(x, eps, beta, false, 0).bound() * scale;
                v[i] = keep;
                double numeric = (up - down) / (2 * h);
                double analytic = b.gradient()[i];
                double rel = Math.abs(numeric - analytic) / Math.max(1e-6, Math.abs(numeric) + Math.abs(analytic));
                worst = Math.max(worst, rel);
                assertTrue(rel < 1e-5, b.name() + "[" + i + "]: finite difference " + numeric + ", backward " + analytic);
                checked++;
            }
        }
        return new double[] {worst, checked};
    }
}

package org.hybridbench.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.SplittableRandom;

import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.DifferentiableNetwork;
import org.hybridbench.vae.VaeObjective.KlEstimator;
import org.hybridbench.vae.VaeObjective.Likelihood;
import org.hybridbench.vae.VaeObjective.Prior;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evaluation path's IWAE (VaeStage.iwaeLogLikelihood) uses the configured prior's log p(z). */
class PriorEvaluationTest {
    @TempDir
    Path dir;

    @Test
    void evaluationIwaeOneIsTheMonteCarloElboWithTheSameDraws() throws Exception {
        int latent = 3;
        int pixels = 10;
        int rows = 5;
        DifferentiableNetwork enc = Wiring.mlp(dir.resolve("e"), 3, "8", "tanh", 2 * latent, "double");
        DifferentiableNetwork dec = Wiring.mlp(dir.resolve("d"), 4, "8", "tanh", pixels, "double");
        SplittableRandom data = new SplittableRandom(9);
        Matrix x = Wiring.binaryRows(rows, pixels, data);
        for (Prior prior : new Prior[] {Prior.LAPLACE, Prior.STUDENT_T}) {
            VaeObjective o = new VaeObjective(enc, dec, new VaeObjective.Settings(latent, Likelihood.BERNOULLI, 1, 1, 1, prior, KlEstimator.MC));
            // IWAE-1 draws d normals per row in row order, as noise(rows, ·) does for one draw per row
            double iwae1 = VaeStage.iwaeLogLikelihood(o, x, rows, 1, new SplittableRandom(21), null);
            double elbo = o.evaluate(x, o.noise(rows, new SplittableRandom(21)), 1, false, 0).bound() / rows;
            assertEquals(elbo, iwae1, 1e-9, prior + ": IWAE-1 vs the single-draw MC ELBO");
            // and it is not the normal prior's value (the prior reaches the evaluation)
            VaeObjective normal = new VaeObjective(enc, dec, new VaeObjective.Settings(latent, Likelihood.BERNOULLI, 1, 1, 1));
            double normal1 = VaeStage.iwaeLogLikelihood(normal, x, rows, 1, new SplittableRandom(21), null);
            assertTrue(Math.abs(normal1 - iwae1) > 1e-3, prior + " " + iwae1 + " vs normal " + normal1);
        }
    }
}

package org.hybridbench.optim;

import static org.hybridbench.optim.Problems.block;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.hybridbench.api.model.ParameterBlock;
import org.junit.jupiter.api.Test;

/** The first updates of every method against values computed by hand from the published rules. */
class FirstStepsTest {
    static final double TOL = 1e-15;

    static void setGradient(ParameterBlock b, double... g) {
        System.arraycopy(g, 0, b.gradient(), 0, g.length);
    }

    @Test
    void sgdPlain() {
        Sgd sgd = new Sgd(Schedule.constant(0.1), Clipping.NONE, 0, false, 0);
        ParameterBlock x = block("x", 1, -2);
        setGradient(x, 3, -0.5);
        sgd.step(List.of(x));
        assertArrayEquals(new double[] {1 - 0.3, -2 + 0.05}, x.values(), TOL);
    }

    @Test
    void sgdMomentumTwoSteps() {
        Sgd sgd = new Sgd(Schedule.constant(0.1), Clipping.NONE, 0.9, false, 0);
        ParameterBlock x = block("x", 1.0);
        setGradient(x, 2);
        sgd.step(List.of(x)); // v = 2, x = 1 − 0.2 = 0.8
        assertEquals(0.8, x.values()[0], TOL);
        setGradient(x, 1);
        sgd.step(List.of(x)); // v = 0.9·2 + 1 = 2.8, x = 0.8 − 0.28 = 0.52
        assertEquals(0.52, x.values()[0], TOL);
        assertArrayEquals(new double[] {2.8}, sgd.state().get("velocity/x"), TOL);
    }

    @Test
    void sgdNesterovTwoSteps() {
        Sgd sgd = new Sgd(Schedule.constant(0.1), Clipping.NONE, 0.9, true, 0);
        ParameterBlock x = block("x", 1.0);
        setGradient(x, 2);
        sgd.step(List.of(x)); // v = 2, x = 1 − 0.1·(2 + 1.8) = 0.62
        assertEquals(0.62, x.values()[0], TOL);
        setGradient(x, 1);
        sgd.step(List.of(x)); // v = 2.8, x = 0.62 − 0.1·(1 + 2.52) = 0.268
        assertEquals(0.268, x.values()[0], 1e-15);
    }

    @Test
    void sgdWeightDecayIsAddedToTheGradient() {
        Sgd sgd = new Sgd(Schedule.constant(0.5), Clipping.NONE, 0, false, 0.1);
        ParameterBlock x = block("x", 2.0);
        setGradient(x, 1);
        sgd.step(List.of(x)); // g = 1 + 0.2, x = 2 − 0.6
        assertEquals(1.4, x.values()[0], TOL);
    }

    @Test
    void adaGradTwoSteps() {
        AdaGrad ada = new AdaGrad(Schedule.constant(0.5), Clipping.NONE, 1e-10, 0);
        ParameterBlock x = block("x", 0.0, 0.0);
        setGradient(x, 3, -4);
        ada.step(List.of(x)); // G = (9, 16): x = −0.5·(3/3, −4/4) = (−0.5, 0.5) up to ε
        assertArrayEquals(new double[] {-0.5, 0.5}, x.values(), 1e-10);
        setGradient(x, 4, 3);
        ada.step(List.of(x)); // G = (25, 25): x −= 0.5·(4/5, 3/5)
        assertArrayEquals(new double[] {-0.5 - 0.4, 0.5 - 0.3}, x.values(), 1e-10);
        assertArrayEquals(new double[] {25, 25}, ada.state().get("sum/x"), 0);
    }

    @Test
    void adaGradInitialAccumulator() {
        AdaGrad ada = new AdaGrad(Schedule.constant(1), Clipping.NONE, 1e-10, 7);
        ParameterBlock x = block("x", 0.0);
        setGradient(x, 3);
        ada.step(List.of(x)); // G = 7 + 9 = 16: x = −3/4
        assertEquals(-0.75, x.values()[0], 1e-10);
    }

    @Test
    void adamFirstStepIsRateTimesSignOfGradient() {
        Adam adam = Adam.standard(0.01);
        ParameterBlock x = block("x", 1.0, 1.0, 1.0);
        double[] g = {5, -0.003, 1e3};
        for (int t = 1; t <= 5; t++) {
            setGradient(x, g);
            adam.step(List.of(x));
            // with a constant gradient m̂ = g and v̂ = g² exactly (bias correction), so every step is η·g/(|g| + ε)
            for (int i = 0; i < 3; i++) {
                double expected = 1 - t * 0.01 * g[i] / (Math.abs(g[i]) + 1e-8);
                assertEquals(expected, x.values()[i], 1e-13, "step " + t + " entry " + i);
            }
        }
    }

    @Test
    void adamSecondStepByHand() {
        Adam adam = new Adam(Schedule.constant(0.1), Clipping.NONE, 0.5, 0.75, 1e-8, 0);
        ParameterBlock x = block("x", 0.0);
        setGradient(x, 2);
        adam.step(List.of(x)); // m = 1, v = 1, m̂ = 2, v̂ = 4: x = −0.1·2/2
        assertEquals(-0.1, x.values()[0], 1e-9);
        setGradient(x, -1);
        adam.step(List.of(x));
        // m = 0.5 − 0.5 = 0, v = 0.75 + 0.25 = 1: m̂ = 0 → no move
        assertEquals(-0.1, x.values()[0], 1e-9);
        assertArrayEquals(new double[] {0}, adam.state().get("m/x"), 0);
        assertArrayEquals(new double[] {1}, adam.state().get("v/x"), 0);
    }

    @Test
    void adamDecoupledWeightDecayDoesNotEnterTheMoments() {
        Adam adam = new Adam(Schedule.constant(0.1), Clipping.NONE, 0.9, 0.999, 1e-8, 0.5);
        ParameterBlock x = block("x", 2.0);
        setGradient(x, 3);
        adam.step(List.of(x)); // x = 2 − 0.1·(1) − 0.1·0.5·2 = 1.8
        assertEquals(1.8, x.values()[0], 1e-9);
        assertEquals(0.1 * 3, adam.state().get("m/x")[0], 1e-15);
        ParameterBlock y = block("y", 2.0);
        Adam noGrad = new Adam(Schedule.constant(0.1), Clipping.NONE, 0.9, 0.999, 1e-8, 0.5);
        noGrad.step(List.of(y)); // g = 0: only the decay, x·(1 − ηλ)
        assertEquals(2 * (1 - 0.05), y.values()[0], TOL);
    }

    @Test
    void stateIsKeptPerBlockName() {
        Adam adam = Adam.standard(0.1);
        ParameterBlock a = block("a", 0.0);
        ParameterBlock b = block("b", 0.0);
        setGradient(a, 1);
        setGradient(b, -1);
        adam.step(List.of(a, b));
        // a new list of new block objects under the same names continues the same moments
        ParameterBlock a2 = new ParameterBlock("a", new int[] {1}, a.values(), new double[] {1});
        adam.step(List.of(a2));
        assertEquals(-0.2, a.values()[0], 1e-8);
        assertEquals(0.1, b.values()[0], 1e-8);
        assertEquals(2, adam.steps());
        adam.reset();
        assertEquals(0, adam.steps());
        assertEquals(1, adam.state().size());
    }

    /**
     * A textbook Adam (Kingma & Ba, β1 = 0.9, β2 = 0.999, ε = 1e-8, constant rate; the one the HMM bundle carried
     * privately before it wired this optimizer) as an independent reference: {@link Adam#standard} takes the same
     * steps up to rounding (it writes 1 − β as (1 − 0.9), not 0.1).
     */
    @Test
    void matchesATextbookAdam() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        Adam mine = Adam.standard(0.05);
        double[] x1 = {0.3, -1, 2};
        double[] x2 = x1.clone();
        double[] m = new double[3];
        double[] v = new double[3];
        ParameterBlock b = new ParameterBlock("logits", new int[] {3}, x1, new double[3]);
        for (int t = 1; t <= 200; t++) {
            for (int i = 0; i < 3; i++) {
                b.gradient()[i] = rng.nextGaussian() + x1[i];
            }
            double[] g = b.gradient().clone();
            mine.step(List.of(b));
            double c1 = 1 - Math.pow(0.9, t);
            double c2 = 1 - Math.pow(0.999, t);
            for (int i = 0; i < 3; i++) {
                m[i] = 0.9 * m[i] + 0.1 * g[i];
                v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
                x2[i] -= 0.05 * (m[i] / c1) / (Math.sqrt(v[i] / c2) + 1e-8);
            }
        }
        assertArrayEquals(x2, x1, 1e-12);
    }
}

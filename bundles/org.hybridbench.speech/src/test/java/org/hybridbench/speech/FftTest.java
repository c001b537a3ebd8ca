package org.hybridbench.speech;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;

import org.apache.commons.math3.complex.Complex;
import org.apache.commons.math3.transform.DftNormalization;
import org.apache.commons.math3.transform.FastFourierTransformer;
import org.apache.commons.math3.transform.TransformType;
import org.junit.jupiter.api.Test;

class FftTest {

    @Test
    void matchesCommonsMathForEveryPowerOfTwoUpTo4096() {
        FastFourierTransformer reference = new FastFourierTransformer(DftNormalization.STANDARD);
        SplittableRandom rng = new SplittableRandom(3);
        for (int n = 1; n <= 4096; n *= 2) {
            double[] re = new double[n];
            double[] im = new double[n];
            Complex[] in = new Complex[n];
            for (int i = 0; i < n; i++) {
                re[i] = rng.nextDouble(-1000, 1000);
                im[i] = rng.nextDouble(-1000, 1000);
                in[i] = new Complex(re[i], im[i]);
            }
            Complex[] expected = reference.transform(in, TransformType.FORWARD);
            new Fft(n).transform(re, im);
            for (int k = 0; k < n; k++) {
                double tol = 1e-9 * Math.max(1, expected[k].abs());
                assertEquals(expected[k].getReal(), re[k], tol, "n=" + n + " k=" + k);
                assertEquals(expected[k].getImaginary(), im[k], tol, "n=" + n + " k=" + k);
            }
        }
    }

    @Test
    void powerSpectrumOfACosineOnABinIsNSquaredOverFourThere() {
        // x_j = cos(2π·5j/64): X_5 = X_59 = 32, so |X_5|² = 1024 and every other bin is 0.
        int n = 64;
        double[] x = new double[n];
        for (int j = 0; j < n; j++) {
            x[j] = Math.cos(2 * Math.PI * 5 * j / n);
        }
        double[] power = new double[n / 2 + 1];
        new Fft(n).powerSpectrum(x, n, new double[n], new double[n], power);
        for (int k = 0; k <= n / 2; k++) {
            assertEquals(k == 5 ? 1024 : 0, power[k], 1e-9, "bin " + k);
        }
    }

    @Test
    void rejectsSizesThatAreNotPowersOfTwo() {
        assertThrows(IllegalArgumentException.class, () -> new Fft(400));
    }
}

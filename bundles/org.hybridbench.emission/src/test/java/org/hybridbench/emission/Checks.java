package org.hybridbench.emission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;

import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.EmissionModel;
import org.hybridbench.api.model.ParameterBlock;

/** Finite-difference checks shared by the emission tests. */
final class Checks {
    private Checks() {
    }

    static Matrix randomMatrix(int rows, int cols, Random rng) {
        Matrix m = new Matrix(rows, cols);
        for (int i = 0; i < m.data().length; i++) {
            m.data()[i] = rng.nextGaussian();
        }
        return m;
    }

    /** f(θ) = Σ dLogB ⊙ log b(y; θ). */
    static double weightedLogDensity(EmissionModel e, Matrix y, Matrix dLogB) {
        Matrix out = new Matrix(y.rows(), e.numStates());
        e.logDensity(y, out);
        double s = 0;
        for (int i = 0; i < out.data().length; i++) {
            s += out.data()[i] * dLogB.data()[i];
        }
        return s;
    }

    /** Every entry of every parameter block: analytic gradient vs central differences, relative to scale. */
    static void parameterGradientMatchesFiniteDifferences(EmissionModel e, Matrix y, Matrix dLogB, double tol) {
        for (ParameterBlock b : e.parameters()) {
            Arrays.fill(b.gradient(), 0);
        }
        e.parameterGradient(y, dLogB);
        int checked = 0;
        for (ParameterBlock b : e.parameters()) {
            for (int i = 0; i < b.size(); i++) {
                double v = b.values()[i];
                double h = 1e-5 * Math.max(1, Math.abs(v));
                b.values()[i] = v + h;
                double fp = weightedLogDensity(e, y, dLogB);
                b.values()[i] = v - h;
                double fm = weightedLogDensity(e, y, dLogB);
                b.values()[i] = v;
                double fd = (fp - fm) / (2 * h);
                double an = b.gradient()[i];
                assertEquals(fd, an, tol * Math.max(1, Math.abs(fd)), () -> b.name() + "[" + "] analytic " + an + " vs FD " + fd);
                checked++;
            }
        }
        assertTrue(checked > 0);
    }

    static void observationGradientMatchesFiniteDifferences(EmissionModel e, Matrix y, Matrix dLogB, double tol) {
        Matrix g = new Matrix(y.rows(), y.cols());
        e.observationGradient(y, dLogB, g);
        for (int i = 0; i < y.data().length; i++) {
            double v = y.data()[i];
            double h = 1e-5 * Math.max(1, Math.abs(v));
            y.data()[i] = v + h;
            double fp = weightedLogDensity(e, y, dLogB);
            y.data()[i] = v - h;
            double fm = weightedLogDensity(e, y, dLogB);
            y.data()[i] = v;
            double fd = (fp - fm) / (2 * h);
            assertEquals(fd, g.data()[i], tol * Math.max(1, Math.abs(fd)), "observation gradient entry " + i);
        }
    }

    /** A random symmetric positive-definite d × d matrix A Aᵀ + 0.5 I. */
    static double[] randomSpd(int d, Random rng) {
        double[] a = new double[d * d];
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.nextGaussian() * 0.7;
        }
        double[] s = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double v = i == j ? 0.5 : 0;
                for (int q = 0; q < d; q++) {
                    v += a[i * d + q] * a[j * d + q];
                }
                s[i * d + j] = v;
            }
        }
        return s;
    }

    static double[][] square(double[] s, int d) {
        double[][] m = new double[d][d];
        for (int i = 0; i < d; i++) {
            m[i] = Arrays.copyOfRange(s, i * d, (i + 1) * d);
        }
        return m;
    }
}

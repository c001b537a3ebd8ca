package org.hybridbench.convnet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The im2col / col2im + GEMM lowering of {@link Convolution} and {@link TransposedConvolution} against the
 * definitions written as plain loops (double precision): outputs, and the weight, bias and input gradients of a
 * random output gradient. Geometries include an odd, non-square input that the stride truncates, several channels
 * and a batch of more than one image.
 */
class LoweringTest {
    private static final double TOLERANCE = 1e-11;
    /** Float GEMMs and float copies of the operands against the double loops: values and sums are O(1). */
    private static final double FLOAT_TOLERANCE = 2e-5;

    private static double[] random(int n, SplittableRandom rng) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = 2 * rng.nextDouble() - 1;
        }
        return v;
    }

    private static void randomise(Layer layer, SplittableRandom rng) {
        layer.weights.setValues(random(layer.weights.size(), rng), 0); // rounded to float in a float layer
        layer.bias.setValues(random(layer.bias.size(), rng), 0);
    }

    /** Direct convolution: y[n,o,oy,ox] = f(b[o] + Σ_{c,ky,kx} W[o,c,ky,kx] · x[n,c,oy·s−p+ky,ox·s−p+kx]), zero outside. */
    private static void checkConvolution(int rows, int c, int h, int w, int o, int k, int s, int p, Nonlinearity f, long seed) {
        checkConvolution(DataType.DOUBLE, TOLERANCE, rows, c, h, w, o, k, s, p, f, seed);
    }

    private static void checkConvolution(DataType type, double tolerance, int rows, int c, int h, int w, int o, int k, int s, int p,
            Nonlinearity f, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Convolution layer = new Convolution(type, f, 0, c, h, w, o, k, s, p, rng);
        randomise(layer, rng);
        double[] wt = layer.weights.copyValues();
        double[] b = layer.bias.copyValues();
        int oh = (h + 2 * p - k) / s + 1;
        int ow = (w + 2 * p - k) / s + 1;
        double[] x = random(rows * c * h * w, rng);
        double[] y = layer.forward(x, rows);
        assertEquals(rows * o * oh * ow, y.length);
        double[] expected = new double[y.length];
        for (int n = 0; n < rows; n++) {
            for (int oc = 0; oc < o; oc++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        double z = b[oc];
                        for (int ic = 0; ic < c; ic++) {
                            for (int ky = 0; ky < k; ky++) {
                                for (int kx = 0; kx < k; kx++) {
                                    int iy = oy * s - p + ky;
                                    int ix = ox * s - p + kx;
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                        z += wt[((oc * c + ic) * k + ky) * k + kx] * x[((n * c + ic) * h + iy) * w + ix];
                                    }
                                }
                            }
                        }
                        expected[((n * o + oc) * oh + oy) * ow + ox] = f.apply(z);
                    }
                }
            }
        }
        assertArrayEquals(expected, y, tolerance, "convolution output");

        double[] dy = random(y.length, rng);
        double[] dx = layer.backward(dy, rows, true);
        double[] dxExpected = new double[x.length];
        double[] dwExpected = new double[wt.length];
        double[] dbExpected = new double[o];
        for (int n = 0; n < rows; n++) {
            for (int oc = 0; oc < o; oc++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        int out = ((n * o + oc) * oh + oy) * ow + ox;
                        double dz = dy[out] * f.slope(y[out]);
                        dbExpected[oc] += dz;
                        for (int ic = 0; ic < c; ic++) {
                            for (int ky = 0; ky < k; ky++) {
                                for (int kx = 0; kx < k; kx++) {
                                    int iy = oy * s - p + ky;
                                    int ix = ox * s - p + kx;
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                        int wi = ((oc * c + ic) * k + ky) * k + kx;
                                        int xi = ((n * c + ic) * h + iy) * w + ix;
                                        dwExpected[wi] += dz * x[xi];
                                        dxExpected[xi] += dz * wt[wi];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        assertArrayEquals(dxExpected, dx, tolerance, "convolution input gradient");
        assertArrayEquals(dwExpected, layer.weights.copyGradient(), tolerance, "convolution weight gradient");
        assertArrayEquals(dbExpected, layer.bias.copyGradient(), tolerance, "convolution bias gradient");
    }

    /**
     * Direct transposed convolution: every input value x[n,c,i,j] adds W[c,o,ky,kx] · x[n,c,i,j] to
     * y[n,o,i·s−p+ky,j·s−p+kx] (dropped outside), then y = f(y + b[o]).
     */
    private static void checkTransposed(int rows, int c, int h, int w, int o, int k, int s, int p, Nonlinearity f, long seed) {
        checkTransposed(DataType.DOUBLE, TOLERANCE, rows, c, h, w, o, k, s, p, f, seed);
    }

    private static void checkTransposed(DataType type, double tolerance, int rows, int c, int h, int w, int o, int k, int s, int p,
            Nonlinearity f, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        TransposedConvolution layer = new TransposedConvolution(type, f, 0, c, h, w, o, k, s, p, rng);
        randomise(layer, rng);
        double[] wt = layer.weights.copyValues();
        double[] b = layer.bias.copyValues();
        int oh = s * (h - 1) + k - 2 * p;
        int ow = s * (w - 1) + k - 2 * p;
        double[] x = random(rows * c * h * w, rng);
        double[] y = layer.forward(x, rows);
        assertEquals(rows * o * oh * ow, y.length);
        double[] z = new double[y.length];
        for (int n = 0; n < rows; n++) {
            for (int ic = 0; ic < c; ic++) {
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < w; j++) {
                        for (int oc = 0; oc < o; oc++) {
                            for (int ky = 0; ky < k; ky++) {
                                for (int kx = 0; kx < k; kx++) {
                                    int yy = i * s - p + ky;
                                    int yx = j * s - p + kx;
                                    if (yy >= 0 && yy < oh && yx >= 0 && yx < ow) {
                                        z[((n * o + oc) * oh + yy) * ow + yx] += wt[((ic * o + oc) * k + ky) * k + kx]
                                                * x[((n * c + ic) * h + i) * w + j];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        double[] expected = new double[y.length];
        for (int i = 0; i < z.length; i++) {
            expected[i] = f.apply(z[i] + b[(i / (oh * ow)) % o]);
        }
        assertArrayEquals(expected, y, tolerance, "transposed convolution output");

        double[] dy = random(y.length, rng);
        double[] dx = layer.backward(dy, rows, true);
        double[] dz = new double[y.length];
        double[] dbExpected = new double[o];
        for (int i = 0; i < dz.length; i++) {
            dz[i] = dy[i] * f.slope(y[i]);
            dbExpected[(i / (oh * ow)) % o] += dz[i];
        }
        double[] dxExpected = new double[x.length];
        double[] dwExpected = new double[wt.length];
        for (int n = 0; n < rows; n++) {
            for (int ic = 0; ic < c; ic++) {
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < w; j++) {
                        for (int oc = 0; oc < o; oc++) {
                            for (int ky = 0; ky < k; ky++) {
                                for (int kx = 0; kx < k; kx++) {
                                    int yy = i * s - p + ky;
                                    int yx = j * s - p + kx;
                                    if (yy >= 0 && yy < oh && yx >= 0 && yx < ow) {
                                        int wi = ((ic * o + oc) * k + ky) * k + kx;
                                        int xi = ((n * c + ic) * h + i) * w + j;
                                        double g = dz[((n * o + oc) * oh + yy) * ow + yx];
                                        dwExpected[wi] += g * x[xi];
                                        dxExpected[xi] += g * wt[wi];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        assertArrayEquals(dxExpected, dx, tolerance, "transposed convolution input gradient");
        assertArrayEquals(dwExpected, layer.weights.copyGradient(), tolerance, "transposed convolution weight gradient");
        assertArrayEquals(dbExpected, layer.bias.copyGradient(), tolerance, "transposed convolution bias gradient");
    }

    @Test
    void convolutionKernel4Stride2Padding1() {
        checkConvolution(3, 2, 8, 8, 3, 4, 2, 1, Nonlinearity.IDENTITY, 1);
    }

    @Test
    void convolutionTruncatingOddNonSquareInput() {
        // (7 + 2 - 3)/2 + 1 = 4 rows, (5 + 2 - 3)/2 + 1 = 3 columns
        checkConvolution(2, 3, 7, 5, 4, 3, 2, 1, Nonlinearity.TANH, 2);
    }

    @Test
    void convolutionStride1NoPadding() {
        checkConvolution(2, 1, 5, 6, 2, 2, 1, 0, Nonlinearity.IDENTITY, 3);
    }

    @Test
    void transposedKernel4Stride2Padding1() {
        // 3 x 4 -> 6 x 8
        checkTransposed(3, 2, 3, 4, 3, 4, 2, 1, Nonlinearity.IDENTITY, 4);
    }

    @Test
    void transposedKernel3Stride2Padding1() {
        // 2·(4 − 1) + 3 − 2 = 7, 2·(3 − 1) + 1 = 5
        checkTransposed(2, 3, 4, 3, 2, 3, 2, 1, Nonlinearity.TANH, 5);
    }

    /** The float path (its own copy loops in Slab) against the same double loops. */
    @Test
    void floatConvolutionAndTransposed() {
        checkConvolution(DataType.FLOAT, FLOAT_TOLERANCE, 3, 2, 8, 8, 3, 4, 2, 1, Nonlinearity.RELU, 7);
        checkTransposed(DataType.FLOAT, FLOAT_TOLERANCE, 3, 2, 3, 4, 3, 4, 2, 1, Nonlinearity.RELU, 8);
    }

    @Test
    void transposedStride1NoPadding() {
        checkTransposed(2, 2, 3, 2, 1, 2, 1, 0, Nonlinearity.IDENTITY, 6);
    }
}

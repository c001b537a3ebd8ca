package org.hybridbench.speech;

/**
 * Iterative radix-2 Cooley–Tukey FFT (decimation in time, bit-reversed input order) on separate real and
 * imaginary arrays, with twiddle factors computed once per size. Our own so the bundle needs no Commons Math at
 * run time; the tests check it against Commons Math's {@code FastFourierTransformer}.
 */
final class Fft {
    private final int n;
    private final double[] cos;
    private final double[] sin;
    private final int[] reverse;

    /** @param n transform size, a power of two */
    Fft(int n) {
        if (n < 1 || Integer.bitCount(n) != 1) {
            throw new IllegalArgumentException("FFT size must be a power of two, was " + n);
        }
        this.n = n;
        cos = new double[n / 2];
        sin = new double[n / 2];
        for (int k = 0; k < n / 2; k++) {
            cos[k] = Math.cos(2 * Math.PI * k / n);
            sin[k] = Math.sin(2 * Math.PI * k / n);
        }
        reverse = new int[n];
        int bits = Integer.numberOfTrailingZeros(n);
        for (int i = 0; i < n; i++) {
            reverse[i] = bits == 0 ? 0 : Integer.reverse(i) >>> (32 - bits);
        }
    }

    int size() {
        return n;
    }

    /** In-place forward transform X_k = Σ_j x_j e^{−2πi jk/n}. */
    void transform(double[] re, double[] im) {
        for (int i = 0; i < n; i++) {
            int j = reverse[i];
            if (j > i) {
                double t = re[i];
                re[i] = re[j];
                re[j] = t;
                t = im[i];
                im[i] = im[j];
                im[j] = t;
            }
        }
        for (int len = 2; len <= n; len <<= 1) {
            int half = len >> 1;
            int step = n / len;
            for (int start = 0; start < n; start += len) {
                for (int k = 0; k < half; k++) {
                    double wr = cos[k * step];
                    double wi = -sin[k * step];
                    int a = start + k;
                    int b = a + half;
                    double tr = re[b] * wr - im[b] * wi;
                    double ti = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - tr;
                    im[b] = im[a] - ti;
                    re[a] += tr;
                    im[a] += ti;
                }
            }
        }
    }

    /**
     * The power spectrum |X_k|², k = 0 … n/2, of a real frame zero-padded to n.
     *
     * @param frame real samples, at most n
     * @param re scratch of length n
     * @param im scratch of length n
     * @param power output of length n/2 + 1
     */
    void powerSpectrum(double[] frame, int length, double[] re, double[] im, double[] power) {
        System.arraycopy(frame, 0, re, 0, length);
        java.util.Arrays.fill(re, length, n, 0);
        java.util.Arrays.fill(im, 0);
        transform(re, im);
        for (int k = 0; k <= n / 2; k++) {
            power[k] = re[k] * re[k] + im[k] * im[k];
        }
    }
}

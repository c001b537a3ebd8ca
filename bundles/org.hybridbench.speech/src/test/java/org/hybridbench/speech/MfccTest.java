package org.hybridbench.speech;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.apache.commons.math3.complex.Complex;
import org.apache.commons.math3.transform.DftNormalization;
import org.apache.commons.math3.transform.FastFourierTransformer;
import org.apache.commons.math3.transform.TransformType;
import org.junit.jupiter.api.Test;

class MfccTest {
    private static final Mfcc.Options STD = Mfcc.Options.standard();

    /** Centre frequency of filter m (0-based), straight from HTK's definition: equal mel steps from 0 to 8 kHz. */
    private static double centreHz(int m) {
        double hiMel = 2595 * Math.log10(1 + 8000 / 700.0); // HTK Book eq. 5.13 in its log10 form, same scale as 1127 ln
        return 700 * (Math.pow(10, hiMel * (m + 1) / 27 / 2595) - 1);
    }

    @Test
    void filterbankPeaksAtItsCentresAndAdjacentFiltersSumToOne() {
        double[][] w = Mfcc.melFilterbank(26, 512, 16_000, 0, 8000);
        double binHz = 16_000 / 512.0;
        for (int m = 0; m < 26; m++) {
            int peak = 0;
            for (int k = 0; k <= 256; k++) {
                assertTrue(w[m][k] >= 0 && w[m][k] <= 1, "weights in [0,1]");
                if (w[m][k] > w[m][peak]) {
                    peak = k;
                }
            }
            assertEquals(centreHz(m), peak * binHz, binHz, "filter " + m + " peaks at its centre frequency (within one bin)");
            assertTrue(w[m][peak] > 0.5, "filter " + m + " reaches at least 0.5 at its peak bin");
        }
        for (int k = 0; k <= 256; k++) {
            double f = k * binHz;
            double sum = 0;
            for (int m = 0; m < 26; m++) {
                sum += w[m][k];
            }
            if (f >= centreHz(0) && f <= centreHz(25)) {
                assertEquals(1.0, sum, 1e-12, "between the first and last centre the filters partition unity (bin " + k + ")");
            } else {
                assertTrue(sum < 1 + 1e-12, "outside, the single edge filter is below one");
            }
        }
        assertEquals(0, w[0][0], 0, "DC is the first filter's lower edge");
        assertEquals(0, w[25][256], 0, "Nyquist is the last filter's upper edge");
    }

    @Test
    void aPureToneLightsTheBandWhoseCentreIsNearestInMel() {
        Mfcc mfcc = new Mfcc(STD);
        double[][] w = Mfcc.melFilterbank(26, 512, 16_000, 0, 8000);
        for (double hz : new double[] {250, 440, 1000, 2500, 4000, 6500}) {
            double[] x = new double[400];
            for (int i = 0; i < x.length; i++) {
                x[i] = 10_000 * Math.sin(2 * Math.PI * hz * i / 16_000);
            }
            // Filter outputs of the tone, via the front end's own steps up to the filterbank.
            double[] frame = x.clone();
            for (int i = 399; i > 0; i--) {
                frame[i] -= 0.97 * frame[i - 1];
            }
            frame[0] *= 0.03;
            double[] ham = Mfcc.hamming(400);
            for (int i = 0; i < 400; i++) {
                frame[i] *= ham[i];
            }
            double[] power = new double[257];
            new Fft(512).powerSpectrum(frame, 400, new double[512], new double[512], power);
            int best = 0;
            double[] out = new double[26];
            for (int m = 0; m < 26; m++) {
                for (int k = 0; k <= 256; k++) {
                    out[m] += w[m][k] * power[k];
                }
                if (out[m] > out[best]) {
                    best = m;
                }
            }
            int nearest = 0;
            for (int m = 1; m < 26; m++) {
                if (Math.abs(Mfcc.mel(centreHz(m)) - Mfcc.mel(hz)) < Math.abs(Mfcc.mel(centreHz(nearest)) - Mfcc.mel(hz))) {
                    nearest = m;
                }
            }
            assertEquals(nearest, best, hz + " Hz");
            double total = 0;
            for (double v : out) {
                total += v;
            }
            assertTrue(out[best] / total > 0.45, hz + " Hz: most energy in the one band (" + out[best] / total + ")");
            assertEquals(1, mfcc.statics(x).length / 13, "one frame of 400 samples");
        }
    }

    @Test
    void dctIsOrthonormalAndIsHtkEquation514() {
        double[][] d = Mfcc.dctMatrix(26, 26);
        for (int i = 0; i < 26; i++) {
            for (int j = 0; j < 26; j++) {
                double dot = 0;
                for (int k = 0; k < 26; k++) {
                    dot += d[i][k] * d[j][k];
                }
                assertEquals(i == j ? 1 : 0, dot, 1e-12, "row " + i + " . row " + j);
            }
        }
        // HTK Book eq. 5.14: c_i = sqrt(2/N) Σ_j m_j cos(πi/N (j − 0.5)), j = 1..N (1-based).
        double[] m = new SplittableRandom(1).doubles(26, -5, 5).toArray();
        for (int i = 1; i < 13; i++) {
            double htk = 0;
            for (int j = 1; j <= 26; j++) {
                htk += m[j - 1] * Math.cos(Math.PI * i / 26 * (j - 0.5));
            }
            htk *= Math.sqrt(2.0 / 26);
            double ours = 0;
            for (int j = 0; j < 26; j++) {
                ours += d[i][j] * m[j];
            }
            assertEquals(htk, ours, 1e-12, "c" + i);
        }
    }

    @Test
    void deltasOfALinearRampAreItsSlopeAndDeltaDeltasVanish() {
        int frames = 30;
        int dim = 3;
        double[] x = new double[frames * dim];
        double[] slope = {0.5, -2, 7};
        for (int t = 0; t < frames; t++) {
            for (int q = 0; q < dim; q++) {
                x[t * dim + q] = slope[q] * t + q;
            }
        }
        double[] all = Mfcc.withDeltas(x, frames, dim, 2);
        for (int t = 0; t < frames; t++) {
            for (int q = 0; q < dim; q++) {
                assertEquals(x[t * dim + q], all[t * 9 + q], 0, "statics kept");
                if (t >= 2 && t < frames - 2) {
                    assertEquals(slope[q], all[t * 9 + 3 + q], 1e-12, "delta at " + t);
                }
                if (t >= 4 && t < frames - 4) {
                    assertEquals(0, all[t * 9 + 6 + q], 1e-12, "delta-delta at " + t);
                }
            }
        }
        // At the first frame the edge is replicated: (1·(x1 − x0) + 2·(x2 − x0)) / 10 = 5a/10.
        assertEquals(slope[1] * 0.5, all[3 + 1], 1e-12);
    }

    @Test
    void frameCountIsFloorOfNMinus400Over160PlusOne() {
        Mfcc mfcc = new Mfcc(STD);
        assertEquals(0, mfcc.frameCount(399));
        assertEquals(1, mfcc.frameCount(400));
        assertEquals(1, mfcc.frameCount(559));
        assertEquals(2, mfcc.frameCount(560));
        assertEquals(98, mfcc.frameCount(16_000));
        assertEquals(0.0125, mfcc.frameCentre(0), 1e-15);
        assertEquals(0.0225, mfcc.frameCentre(1), 1e-15);
    }

    /** The whole front end against a direct transcription of the HTK Book's steps with Commons Math's FFT. */
    @Test
    void staticsMatchAnIndependentComputation() {
        SplittableRandom rng = new SplittableRandom(7);
        double[] x = new double[400 + 160 * 5];
        for (int i = 0; i < x.length; i++) {
            x[i] = 3000 * Math.sin(2 * Math.PI * 700 * i / 16_000.0) + rng.nextDouble(-500, 500);
        }
        for (boolean logE : new boolean[] {false, true}) {
            double[] ours = new Mfcc(STD.withLogEnergy(logE)).statics(x);
            FastFourierTransformer fft = new FastFourierTransformer(DftNormalization.STANDARD);
            for (int t = 0; t < 6; t++) {
                double[] s = new double[512];
                double energy = 0;
                for (int n = 0; n < 400; n++) {
                    double v = x[160 * t + n];
                    energy += v * v;
                    double prev = n == 0 ? v : x[160 * t + n - 1];
                    s[n] = (v - 0.97 * prev) * (0.54 - 0.46 * Math.cos(2 * Math.PI * n / 399));
                }
                Complex[] spec = fft.transform(s, TransformType.FORWARD);
                double[] fb = new double[26];
                for (int m = 0; m < 26; m++) {
                    double lo = Mfcc.mel(centreHz(m - 1)); // centreHz(-1) = 0 Hz, centreHz(26) = 8000 Hz
                    double c = Mfcc.mel(centreHz(m));
                    double hi = Mfcc.mel(centreHz(m + 1));
                    for (int k = 0; k <= 256; k++) {
                        double mk = Mfcc.mel(k * 16_000 / 512.0);
                        double wgt = mk <= lo || mk >= hi ? 0 : mk <= c ? (mk - lo) / (c - lo) : (hi - mk) / (hi - c);
                        double a = spec[k].abs();
                        fb[m] += wgt * a * a;
                    }
                    fb[m] = Math.log(Math.max(1, fb[m]));
                }
                for (int i = 0; i < 13; i++) {
                    double c = 0;
                    for (int j = 0; j < 26; j++) {
                        c += fb[j] * Math.cos(Math.PI * i * (j + 0.5) / 26);
                    }
                    c *= Math.sqrt((i == 0 ? 1.0 : 2.0) / 26) * (1 + 11 * Math.sin(Math.PI * i / 22));
                    if (i == 0 && logE) {
                        c = Math.log(energy);
                    }
                    assertEquals(c, ours[t * 13 + i], 1e-9 * Math.max(1, Math.abs(c)), "frame " + t + " c" + i + " logE=" + logE);
                }
            }
        }
    }
}

package org.hybridbench.speech;

/**
 * Mel-frequency cepstral coefficients as in the HTK Book (Young et al., "The HTK Book", v3.4, §5.4 and §5.6), with
 * the standard parameters of phone recognition:
 *
 * <ol>
 * <li>frames of 25 ms (400 samples at 16 kHz) every 10 ms (160 samples), no padding: a signal of N ≥ 400 samples
 * gives ⌊(N − 400)/160⌋ + 1 frames; frame t covers samples [160t, 160t + 400) and its centre is at 160t + 200;</li>
 * <li>pre-emphasis per frame, s'_n = s_n − 0.97 s_{n−1} and s'_0 = (1 − 0.97) s_0, as HTK does it
 * (HTK Book §5.2, PREEMCOEF; HSigP.c PreEmphasise);</li>
 * <li>Hamming window 0.54 − 0.46 cos(2πn/(N−1)) (HTK Book eq. 5.2);</li>
 * <li>512-point FFT, power spectrum |X_k|² (HTK's USEPOWER=T; Kaldi and python_speech_features also use power);</li>
 * <li>26 triangular filters equally spaced on the mel scale Mel(f) = 1127 ln(1 + f/700) (HTK Book eq. 5.13) from 0
 * to 8000 Hz, each bin weighted linearly in mel between its neighbours' centres, so adjacent filters sum to one
 * (HTK's HSigP.c InitFBank does the same);</li>
 * <li>natural log of each filter output, floored at 1.0 on the 16-bit sample scale (HTK's HSigP.c floors the
 * filterbank at 1.0 before the log), so digital silence gives finite values;</li>
 * <li>orthonormal DCT-II to 13 cepstra c_i = √(2/N) Σ_j m_j cos(πi(j − ½)/N) (HTK Book eq. 5.14) for i ≥ 1 and
 * c_0 = √(1/N) Σ_j m_j (HTK's C0 is √2 times this; the orthonormal form makes the transform an isometry);</li>
 * <li>cepstral liftering c'_n = (1 + L/2 sin(πn/L)) c_n with L = 22 (HTK Book eq. 5.12, CEPLIFTER);</li>
 * <li>optionally c_0 replaced by the log energy ln Σ s_n² of the raw frame (HTK Book eq. 5.15, before
 * pre-emphasis and windowing, floored at 1);</li>
 * <li>deltas and delta-deltas by the regression of HTK Book eq. 5.16 with window Θ = 2, d_t = Σ_θ θ(c_{t+θ} −
 * c_{t−θ}) / (2 Σ_θ θ²), the first and last frames replicated at the edges (as HTK does) → 39 values per frame.</li>
 * </ol>
 */
final class Mfcc {

    /** The front end's parameters; {@link #standard()} are the ones above. */
    record Options(int sampleRate, double preEmphasis, int windowLength, int hop, int fftSize, int bands, double lowHz,
            double highHz, int cepstra, int lifter, boolean logEnergy, int deltaWindow) {

        static Options standard() {
            return new Options(16_000, 0.97, 400, 160, 512, 26, 0, 8000, 13, 22, false, 2);
        }

        Options withLogEnergy(boolean useLogEnergy) {
            return new Options(sampleRate, preEmphasis, windowLength, hop, fftSize, bands, lowHz, highHz, cepstra, lifter,
                    useLogEnergy, deltaWindow);
        }

        /** A one-line description for provenance. */
        String describe() {
            return String.format(java.util.Locale.ROOT,
                    "HTK-style MFCC: %d Hz, pre-emphasis %.2f, %d-sample Hamming window, hop %d, %d-point FFT (power), %d mel "
                            + "bands %.0f-%.0f Hz (1127 ln(1+f/700)), log floored at 1, orthonormal DCT-II to %d cepstra (%s), "
                            + "lifter %d, deltas and delta-deltas (regression window %d, edges replicated)",
                    sampleRate, preEmphasis, windowLength, hop, fftSize, bands, lowHz, highHz, cepstra,
                    logEnergy ? "c0 replaced by ln frame energy" : "c0 kept", lifter, deltaWindow);
        }
    }

    private final Options o;
    private final Fft fft;
    private final double[][] filters;
    private final double[][] dct;
    private final double[] window;
    private final double[] lifter;

    Mfcc(Options options) {
        this.o = options;
        this.fft = new Fft(options.fftSize());
        this.filters = melFilterbank(options.bands(), options.fftSize(), options.sampleRate(), options.lowHz(), options.highHz());
        this.dct = dctMatrix(options.bands(), options.cepstra());
        this.window = hamming(options.windowLength());
        this.lifter = new double[options.cepstra()];
        for (int i = 0; i < lifter.length; i++) {
            lifter[i] = options.lifter() > 0 ? 1 + options.lifter() / 2.0 * Math.sin(Math.PI * i / options.lifter()) : 1;
        }
    }

    Options options() {
        return o;
    }

    /** ⌊(N − window)/hop⌋ + 1 for N ≥ window, else 0. */
    int frameCount(int samples) {
        return samples < o.windowLength() ? 0 : (samples - o.windowLength()) / o.hop() + 1;
    }

    /** The time in seconds of the centre of frame t. */
    double frameCentre(int t) {
        return (t * (double) o.hop() + o.windowLength() / 2.0) / o.sampleRate();
    }

    /** Static cepstra: frames × {@code cepstra} values, row-major. */
    double[] statics(double[] signal) {
        int frames = frameCount(signal.length);
        int win = o.windowLength();
        int nc = o.cepstra();
        double[] out = new double[frames * nc];
        double[] frame = new double[win];
        double[] re = new double[o.fftSize()];
        double[] im = new double[o.fftSize()];
        double[] power = new double[o.fftSize() / 2 + 1];
        double[] logMel = new double[o.bands()];
        for (int t = 0; t < frames; t++) {
            int start = t * o.hop();
            double energy = 0;
            for (int i = 0; i < win; i++) {
                frame[i] = signal[start + i];
                energy += frame[i] * frame[i];
            }
            for (int i = win - 1; i > 0; i--) {
                frame[i] -= o.preEmphasis() * frame[i - 1];
            }
            frame[0] *= 1 - o.preEmphasis();
            for (int i = 0; i < win; i++) {
                frame[i] *= window[i];
            }
            fft.powerSpectrum(frame, win, re, im, power);
            for (int m = 0; m < filters.length; m++) {
                double[] w = filters[m];
                double s = 0;
                for (int k = 0; k < w.length; k++) {
                    s += w[k] * power[k];
                }
                logMel[m] = Math.log(Math.max(s, 1.0));
            }
            for (int i = 0; i < nc; i++) {
                double[] row = dct[i];
                double s = 0;
                for (int j = 0; j < row.length; j++) {
                    s += row[j] * logMel[j];
                }
                out[t * nc + i] = s * lifter[i];
            }
            if (o.logEnergy()) {
                out[t * nc] = Math.log(Math.max(energy, 1.0));
            }
        }
        return out;
    }

    /** Statics followed by their deltas and delta-deltas: frames × 3·dim. */
    static double[] withDeltas(double[] statics, int frames, int dim, int deltaWindow) {
        double[] d1 = deltas(statics, frames, dim, deltaWindow);
        double[] d2 = deltas(d1, frames, dim, deltaWindow);
        double[] out = new double[frames * 3 * dim];
        for (int t = 0; t < frames; t++) {
            System.arraycopy(statics, t * dim, out, t * 3 * dim, dim);
            System.arraycopy(d1, t * dim, out, t * 3 * dim + dim, dim);
            System.arraycopy(d2, t * dim, out, t * 3 * dim + 2 * dim, dim);
        }
        return out;
    }

    /** HTK Book eq. 5.16 over frames × dim values, edges replicated. */
    static double[] deltas(double[] x, int frames, int dim, int theta) {
        double[] out = new double[frames * dim];
        if (frames == 0) {
            return out;
        }
        double norm = 0;
        for (int th = 1; th <= theta; th++) {
            norm += th * th;
        }
        norm *= 2;
        for (int t = 0; t < frames; t++) {
            for (int q = 0; q < dim; q++) {
                double s = 0;
                for (int th = 1; th <= theta; th++) {
                    int ahead = Math.min(frames - 1, t + th);
                    int behind = Math.max(0, t - th);
                    s += th * (x[ahead * dim + q] - x[behind * dim + q]);
                }
                out[t * dim + q] = s / norm;
            }
        }
        return out;
    }

    static double mel(double hz) {
        return 1127 * Math.log(1 + hz / 700);
    }

    static double inverseMel(double mel) {
        return 700 * (Math.exp(mel / 1127) - 1);
    }

    /**
     * Triangular filters on the bins 0 … fftSize/2: filter m (0-based) rises linearly in mel from centre m−1 to
     * centre m and falls to centre m+1, where the bands+2 centres are equally spaced in mel from lowHz to highHz.
     */
    static double[][] melFilterbank(int bands, int fftSize, int sampleRate, double lowHz, double highHz) {
        double lo = mel(lowHz);
        double hi = mel(highHz);
        double[] centre = new double[bands + 2];
        for (int m = 0; m < centre.length; m++) {
            centre[m] = lo + (hi - lo) * m / (bands + 1);
        }
        double[][] w = new double[bands][fftSize / 2 + 1];
        for (int k = 0; k <= fftSize / 2; k++) {
            double mk = mel(k * (double) sampleRate / fftSize);
            for (int m = 0; m < bands; m++) {
                double rise = (mk - centre[m]) / (centre[m + 1] - centre[m]);
                double fall = (centre[m + 2] - mk) / (centre[m + 2] - centre[m + 1]);
                w[m][k] = Math.max(0, Math.min(rise, fall));
            }
        }
        return w;
    }

    /** Rows i = 0 … cepstra−1 of the orthonormal DCT-II of size n. */
    static double[][] dctMatrix(int n, int cepstra) {
        double[][] d = new double[cepstra][n];
        for (int i = 0; i < cepstra; i++) {
            double scale = Math.sqrt((i == 0 ? 1.0 : 2.0) / n);
            for (int j = 0; j < n; j++) {
                d[i][j] = scale * Math.cos(Math.PI * i * (j + 0.5) / n);
            }
        }
        return d;
    }

    static double[] hamming(int n) {
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = 0.54 - 0.46 * Math.cos(2 * Math.PI * i / (n - 1));
        }
        return w;
    }
}

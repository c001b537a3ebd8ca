package org.hybridbench.images;

import java.util.SplittableRandom;

import org.hybridbench.api.data.Dataset;
import org.hybridbench.api.data.Matrix;

/**
 * Stochastic binarisation of grey images in [0, 1]: each pixel becomes 1 with probability equal to its grey
 * value, else 0 (Salakhutdinov &amp; Murray 2008's binarised MNIST).
 *
 * <p><b>Dynamic binarisation.</b> A {@code dataset.images} stage with {@code binarize=dynamic} outputs the grey
 * images and marks its data set with provenance {@value #MODE_KEY}{@code =dynamic} and
 * {@value #SEED_KEY}{@code =<seed>}. A trainer supports it by asking {@link #isDynamic(Dataset)} once and, at the
 * start of every epoch, training on {@link #sample(Matrix, long, long) sample(features, seedOf(dataset), epoch)}
 * instead of the grey features (evaluation usually keeps one fixed draw, e.g. epoch 0 of a test set). A trainer
 * that ignores the flag trains on grey values, which is still a valid (if different) experiment.
 *
 * <p>Every image gets its own random stream derived from (seed, epoch, row), so the draw does not depend on
 * batching, threads or how many rows were drawn before.
 */
public final class Binarization {
    /** Provenance key of a {@code dataset.images} data set: {@code none}, {@code threshold}, {@code fixed} or {@code dynamic}. */
    public static final String MODE_KEY = "binarize";
    /** Provenance key holding the seed of a fixed or dynamic binarisation. */
    public static final String SEED_KEY = "binarizeSeed";

    private Binarization() {
    }

    /** Whether the trainer should resample binary images from this data set's grey features every epoch. */
    public static boolean isDynamic(Dataset dataset) {
        return "dynamic".equals(dataset.provenance().get(MODE_KEY));
    }

    /**
     * The seed the data set's stage was configured with ({@value #SEED_KEY}).
     *
     * @throws IllegalArgumentException if the data set does not record one
     */
    public static long seedOf(Dataset dataset) {
        String s = dataset.provenance().get(SEED_KEY);
        if (s == null) {
            throw new IllegalArgumentException(dataset.name() + ": no " + SEED_KEY + " in its provenance (binarize="
                    + dataset.provenance().get(MODE_KEY) + ")");
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(dataset.name() + ": " + SEED_KEY + " is '" + s + "', not an integer", e);
        }
    }

    /**
     * One binary draw of every row of {@code grey} for {@code epoch}: a new matrix of 0/1 values; row {@code r} uses the
     * stream {@link #streamSeed(long, long, long) streamSeed(seed, epoch, r)}.
     *
     * @throws IllegalArgumentException if a value is outside [0, 1] (naming row and column)
     */
    public static Matrix sample(Matrix grey, long seed, long epoch) {
        int cols = grey.cols();
        double[] in = grey.data();
        double[] out = new double[in.length];
        for (int r = 0; r < grey.rows(); r++) {
            drawRow(in, r * cols, cols, out, new SplittableRandom(streamSeed(seed, epoch, r)), r);
        }
        return new Matrix(grey.rows(), cols, out);
    }

    /**
     * Draws {@code length} pixels from {@code grey[from…]} into {@code out[from…]}: 1 with probability equal to the grey
     * value. {@code row} only names the row in an error.
     */
    public static void drawRow(double[] grey, int from, int length, double[] out, SplittableRandom rng, int row) {
        for (int i = from; i < from + length; i++) {
            double p = grey[i];
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("row " + row + ", column " + (i - from) + ": grey value " + p
                        + " is outside [0, 1]");
            }
            // nextDouble() is in [0, 1): a value of 0 never fires, a value of 1 always does.
            out[i] = rng.nextDouble() < p ? 1.0 : 0.0;
        }
    }

    /** The seed of one image's random stream: a SplitMix64 hash of its parts, so nearby inputs give unrelated streams. */
    public static long streamSeed(long seed, long epoch, long row) {
        return mix(mix(mix(0x6A09E667F3BCC909L ^ seed) ^ epoch) ^ row);
    }

    /** SplitMix64's finaliser (Steele, Lea &amp; Flood 2014). */
    private static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}

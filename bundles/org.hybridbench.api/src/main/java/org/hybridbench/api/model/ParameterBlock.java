package org.hybridbench.api.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * A named block of trainable parameters and the gradient accumulated for them, as views (not copies) of the
 * owner's storage, so one optimizer updates network and graphical-model parameters alike.
 *
 * <p><b>Precision.</b> A block holds {@code double} values (the constructor: graphical models, DL4J networks) or,
 * since 1.2, {@code float} values ({@link #ofFloats}: a network that computes in single precision keeps its
 * parameters as the floats its GEMMs read, instead of converting 650k doubles to floats before every forward pass and
 * adding float gradients into doubles after every backward pass, which with the optimizer's passes over doubles took
 * about half of a VAE epoch's time). Code that handles any block reads and writes through the precision-independent
 * methods ({@link #copyValuesInto}, {@link #setValues}, {@link #copyGradientInto}, {@link #zeroGradient}); the array
 * accessors {@link #values()} / {@link #floatValues()} return the storage itself and fail, naming the block, on a
 * block of the other precision.
 */
public final class ParameterBlock {
    private final String name;
    private final int[] shape;
    private final double[] values;
    private final double[] gradient;
    private final float[] floatValues;
    private final float[] floatGradient;

    /**
     * A double-precision block.
     *
     * @param values the owner's parameter storage, updated in place by optimizers
     * @param gradient same length as {@code values}; the owner fills it, the optimizer reads it
     */
    public ParameterBlock(String name, int[] shape, double[] values, double[] gradient) {
        this(name, shape, values, gradient, null, null, values.length, gradient.length);
    }

    private ParameterBlock(String name, int[] shape, double[] values, double[] gradient, float[] floatValues, float[] floatGradient,
            int valueCount, int gradientCount) {
        this.name = Objects.requireNonNull(name, "name");
        long n = 1;
        for (int s : shape) {
            n *= s;
        }
        if (n != valueCount || valueCount != gradientCount) {
            throw new IllegalArgumentException("parameter block " + name + " of shape " + Arrays.toString(shape) + " has "
                    + valueCount + " values and " + gradientCount + " gradient entries");
        }
        this.shape = shape.clone();
        this.values = values;
        this.gradient = gradient;
        this.floatValues = floatValues;
        this.floatGradient = floatGradient;
    }

    /**
     * A single-precision block: {@code values} and {@code gradient} (same length, the product of {@code shape}) are the
     * owner's storage, as for the double constructor.
     *
     * @since 1.2
     */
    public static ParameterBlock ofFloats(String name, int[] shape, float[] values, float[] gradient) {
        return new ParameterBlock(name, shape, null, null, Objects.requireNonNull(values, "values"),
                Objects.requireNonNull(gradient, "gradient"), values.length, gradient.length);
    }

    /**
     * The same storage under another name (a view: updates through either are seen by both), e.g. to tell two networks'
     * {@code 0_W} apart in one optimizer or checkpoint.
     *
     * @since 1.2
     */
    public ParameterBlock renamed(String newName) {
        return new ParameterBlock(newName, shape, values, gradient, floatValues, floatGradient, size(), size());
    }

    public String name() {
        return name;
    }

    public int[] shape() {
        return shape.clone();
    }

    /**
     * True for a block made by {@link #ofFloats}.
     *
     * @since 1.2
     */
    public boolean isSinglePrecision() {
        return floatValues != null;
    }

    /**
     * The double-precision storage.
     *
     * @throws IllegalStateException for a single-precision block (use {@link #floatValues()} or the copying methods)
     */
    public double[] values() {
        if (values == null) {
            throw wrongPrecision("values()");
        }
        return values;
    }

    /**
     * The double-precision gradient storage.
     *
     * @throws IllegalStateException for a single-precision block (use {@link #floatGradient()} or the copying methods)
     */
    public double[] gradient() {
        if (gradient == null) {
            throw wrongPrecision("gradient()");
        }
        return gradient;
    }

    /**
     * The single-precision storage.
     *
     * @throws IllegalStateException for a double-precision block
     * @since 1.2
     */
    public float[] floatValues() {
        if (floatValues == null) {
            throw wrongPrecision("floatValues()");
        }
        return floatValues;
    }

    /**
     * The single-precision gradient storage.
     *
     * @throws IllegalStateException for a double-precision block
     * @since 1.2
     */
    public float[] floatGradient() {
        if (floatGradient == null) {
            throw wrongPrecision("floatGradient()");
        }
        return floatGradient;
    }

    private IllegalStateException wrongPrecision(String accessor) {
        return new IllegalStateException("parameter block '" + name + "' holds " + (isSinglePrecision() ? "float" : "double")
                + " values: " + accessor + " is for " + (isSinglePrecision() ? "double" : "float")
                + " blocks (copyValuesInto / setValues / copyGradientInto work for both)");
    }

    public int size() {
        return values != null ? values.length : floatValues.length;
    }

    /**
     * Copies the values into {@code dst[offset … offset + size() − 1]}, widening floats.
     *
     * @since 1.2
     */
    public void copyValuesInto(double[] dst, int offset) {
        copy(values, floatValues, dst, offset);
    }

    /**
     * Copies the gradient into {@code dst[offset … offset + size() − 1]}, widening floats.
     *
     * @since 1.2
     */
    public void copyGradientInto(double[] dst, int offset) {
        copy(gradient, floatGradient, dst, offset);
    }

    /**
     * A copy of the values as doubles.
     *
     * @since 1.2
     */
    public double[] copyValues() {
        double[] out = new double[size()];
        copyValuesInto(out, 0);
        return out;
    }

    /**
     * A copy of the gradient as doubles.
     *
     * @since 1.2
     */
    public double[] copyGradient() {
        double[] out = new double[size()];
        copyGradientInto(out, 0);
        return out;
    }

    /**
     * Sets the values to {@code src[offset … offset + size() − 1]} (rounded to the nearest float in a single-precision
     * block).
     *
     * @throws IllegalArgumentException if {@code src} has fewer than {@code offset + size()} entries
     * @since 1.2
     */
    public void setValues(double[] src, int offset) {
        int n = size();
        if (offset < 0 || src.length - offset < n) {
            throw new IllegalArgumentException("parameter block '" + name + "' takes " + n + " values, got " + (src.length - offset)
                    + " from offset " + offset);
        }
        if (values != null) {
            System.arraycopy(src, offset, values, 0, n);
        } else {
            for (int i = 0; i < n; i++) {
                floatValues[i] = (float) src[offset + i];
            }
        }
    }

    /**
     * Sets every gradient entry to 0 (trainers do this before each mini-batch: networks add their gradients).
     *
     * @since 1.2
     */
    public void zeroGradient() {
        if (gradient != null) {
            Arrays.fill(gradient, 0);
        } else {
            Arrays.fill(floatGradient, 0);
        }
    }

    private void copy(double[] d, float[] f, double[] dst, int offset) {
        int n = size();
        if (offset < 0 || dst.length - offset < n) {
            throw new IllegalArgumentException("parameter block '" + name + "' has " + n + " entries, the destination room for "
                    + (dst.length - offset) + " from offset " + offset);
        }
        if (d != null) {
            System.arraycopy(d, 0, dst, offset, n);
        } else {
            for (int i = 0; i < n; i++) {
                dst[offset + i] = f[i];
            }
        }
    }
}

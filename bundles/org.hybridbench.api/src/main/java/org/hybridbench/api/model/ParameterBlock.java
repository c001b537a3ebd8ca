package org.hybridbench.api.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * A named block of trainable parameters and the gradient accumulated for them, as views (not copies) of the
 * owner's storage, so one optimizer updates network and graphical-model parameters alike.
 */
public final class ParameterBlock {
    private final String name;
    private final int[] shape;
    private final double[] values;
    private final double[] gradient;

    /**
     * @param values the owner's parameter storage, updated in place by optimizers
     * @param gradient same length as {@code values}; the owner fills it, the optimizer reads it
     */
    public ParameterBlock(String name, int[] shape, double[] values, double[] gradient) {
        this.name = Objects.requireNonNull(name, "name");
        long n = 1;
        for (int s : shape) {
            n *= s;
        }
        if (n != values.length || values.length != gradient.length) {
            throw new IllegalArgumentException("parameter block " + name + " of shape " + Arrays.toString(shape) + " has "
                    + values.length + " values and " + gradient.length + " gradient entries");
        }
        this.shape = shape.clone();
        this.values = values;
        this.gradient = gradient;
    }

    public String name() {
        return name;
    }

    public int[] shape() {
        return shape.clone();
    }

    public double[] values() {
        return values;
    }

    public double[] gradient() {
        return gradient;
    }

    public int size() {
        return values.length;
    }
}

package org.hybridbench.api.model;

import java.util.List;

import org.hybridbench.api.data.Matrix;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * An encoder or decoder network seen from the pipeline: a forward pass over a batch of rows and a backward
 * pass of an external error (the gradient of a loss computed elsewhere, e.g. by a {@link StructuredLoss}).
 */
@ConsumerType
public interface DifferentiableNetwork {

    /** Output rows for the input rows; {@code training} keeps what {@link #backward} needs. */
    Matrix forward(Matrix input, boolean training);

    /**
     * Back-propagates d loss / d output of the last training forward pass: accumulates parameter gradients
     * into {@link #parameters()} and returns d loss / d input.
     */
    Matrix backward(Matrix outputGradient);

    /**
     * {@link #backward} for a network whose input is data, not a parameter: accumulates the parameter gradients and
     * does not return d loss / d input, so an implementation may skip computing it (for a dense first layer that is
     * one GEMM of the three in its backward pass; a VAE's encoder is such a network). The default calls
     * {@link #backward} and drops its result.
     *
     * @since 1.1
     */
    default void backwardParameters(Matrix outputGradient) {
        backward(outputGradient);
    }

    /** The trainable parameters, as views of the network's storage. */
    List<ParameterBlock> parameters();
}

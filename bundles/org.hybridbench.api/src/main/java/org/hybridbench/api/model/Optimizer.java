package org.hybridbench.api.model;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Updates parameter blocks from their gradients (SGD, Adam, L-BFGS …). Blocks are identified by name, so
 * per-block state (moments) survives between steps; the gradient is of a loss to be minimised.
 */
@ConsumerType
public interface Optimizer {

    /** Applies one update to every block in place. */
    void step(List<ParameterBlock> blocks);

    /** Forgets all per-block state (moments, curvature pairs, step count). */
    void reset();
}

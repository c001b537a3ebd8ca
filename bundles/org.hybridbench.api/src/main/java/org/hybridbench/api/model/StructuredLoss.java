package org.hybridbench.api.model;

import org.hybridbench.api.data.Matrix;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The graphical-model end of a hybrid: takes a network's per-position scores and returns a loss and its
 * gradient with respect to those scores ("scores in, gradients out"). For an HMM whose scores are log b the
 * gradient of −log p(y) is −γ; for a CRF it is expected − observed counts. The network back-propagates it.
 */
@ConsumerType
public interface StructuredLoss {

    /**
     * @param scores T × K scores of one sequence
     * @param targets reference labels per position, or {@code null} for unsupervised losses
     * @param gradient T × K, overwritten with d loss / d scores
     * @return the loss (to be minimised)
     */
    double lossAndGradient(Matrix scores, int[] targets, Matrix gradient);
}

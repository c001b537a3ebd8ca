package org.hybridbench.api;

/** The part a stage plays in a hybrid pipeline; used to group stage types in listings and documentation. */
public enum StageRole {
    /** Produces a data set (images, frames, tagged sentences). */
    DATASET,
    /** Transforms data without learning from labels (normalisation, PCA, MFCC). */
    TRANSFORM,
    /** A network mapping inputs to features or scores (encoder) or latents to data (decoder). */
    NETWORK,
    /** An emission or potential model p(y | state). */
    EMISSION,
    /** Exact or approximate inference over structured latent variables. */
    INFERENCE,
    /** A training objective that returns a value and its gradient. */
    LOSS,
    /** Updates parameter blocks from their gradients. */
    OPTIMIZER,
    /** Runs a training loop (EM, gradient, SVI) over other stages. */
    TRAINER,
    /** Evaluates predictions against a reference. */
    METRIC
}

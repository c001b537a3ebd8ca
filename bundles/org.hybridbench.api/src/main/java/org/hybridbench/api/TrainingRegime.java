package org.hybridbench.api;

/**
 * The training settings of a pipeline ({@code training} in the pipeline file), resolved with defaults: how
 * many epochs (or EM iterations), the mini-batch size, the random seed and how often to checkpoint.
 *
 * @param epochs number of passes (EM iterations for EM trainers); at least 1
 * @param batchSize mini-batch size; 0 means full batch
 * @param seed the run's random seed; every stage derives its randomness from it
 * @param checkpointEvery write a checkpoint every this many epochs; 0 disables checkpoints
 */
public record TrainingRegime(int epochs, int batchSize, long seed, int checkpointEvery) {
    public TrainingRegime {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, was " + epochs);
        }
        if (batchSize < 0 || checkpointEvery < 0) {
            throw new IllegalArgumentException("batchSize and checkpointEvery must not be negative");
        }
    }
}

package org.hybridbench.api;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What a running stage may use of its run: the run directory, the training regime and seed, metrics, progress,
 * checkpoints (atomic, resumable after a kill) and artifacts. Implemented by the core.
 */
@ProviderType
public interface RunContext {

    /** The run's id, also the name of its directory under {@code runs/}. */
    String runId();

    /** The name of the stage this context was given to. */
    String stageName();

    /** The run directory; write files there only through {@link #saveArtifact}. */
    Path runDirectory();

    /** The workspace's data cache, where data sets store what they fetched (with provenance). */
    Path dataCache();

    /** The training settings of the pipeline. */
    TrainingRegime regime();

    /** A seed for this stage, derived from the run seed and the stage name so stages are independent. */
    long stageSeed();

    /** Appends one line to {@code metrics.jsonl}: the stage, step and values. */
    void metrics(long step, Map<String, ? extends Number> values);

    /** A line of text for the user (stdout and {@code log.txt}). */
    void log(String message);

    /** Starts a progress line for a task of {@code total} units called {@code unit}. */
    ProgressMonitor progress(String task, long total, String unit);

    /** Writes checkpoint {@code name} of this stage atomically, replacing the previous one. */
    void checkpoint(String name, StreamWriter writer) throws java.io.IOException;

    /** Reads this stage's checkpoint {@code name} if the run is being resumed and one exists. */
    <T> Optional<T> restore(String name, StreamReader<T> reader) throws java.io.IOException;

    /** Writes a file in the run directory atomically (final model, plots, tables). */
    Path saveArtifact(String fileName, StreamWriter writer) throws java.io.IOException;

    /** Throws {@link StageCancelledException} if the run was stopped; call it between units of work. */
    void checkCancelled();
}

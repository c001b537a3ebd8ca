package org.hybridbench.api.workbench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Validates and runs pipeline files, and keeps the runs of the workspace.
 */
@ProviderType
public interface PipelineService {

    /** The workspace this service works on. */
    Path workspace();

    /** Resolves a pipeline name ({@code pipelines/NAME.json} in the workspace) or a path. */
    Path resolve(String nameOrPath) throws IOException;

    /** The pipeline files of the workspace. */
    List<Path> pipelines() throws IOException;

    /**
     * Checks a pipeline against the installed stage types without running anything.
     *
     * @return the resolved pipeline (every default filled in) as JSON text
     */
    default String validate(Path pipeline) throws PipelineValidationException, IOException {
        return validate(pipeline, List.of());
    }

    /**
     * Checks a pipeline with overrides applied, without running anything.
     *
     * @param overrides {@code KEY=VALUE} each, KEY a dotted path into the pipeline ({@code training.seed},
     *        {@code stages.NAME.config.FIELD}), VALUE read as JSON when it parses, else as a string; a KEY that is
     *        neither in the file nor declared there (by the format or the stage's type) is a validation problem
     * @return the resolved pipeline (overrides applied, every default filled in) as JSON text
     */
    String validate(Path pipeline, List<String> overrides) throws PipelineValidationException, IOException;

    /**
     * Validates, then runs a pipeline to completion in the calling thread, printing progress to {@code out}.
     * Nothing is written for a pipeline that does not validate.
     *
     * @return the finished run
     * @throws RunFailedException if a stage fails or the run is cancelled (the run is kept under runs/.failed)
     */
    default RunInfo run(Path pipeline, PrintStream out) throws PipelineValidationException, RunFailedException, IOException {
        return run(pipeline, List.of(), out);
    }

    /**
     * Like {@link #run(Path, PrintStream)} with overrides (see {@link #validate(Path, List)}) applied before
     * validation; the run's {@code pipeline.json} holds the overridden values and its {@code run.json} the
     * overrides, in canonical form {@code key=value}.
     */
    RunInfo run(Path pipeline, List<String> overrides, PrintStream out)
            throws PipelineValidationException, RunFailedException, IOException;

    /** Resumes an interrupted run from its last checkpoints. */
    RunInfo resume(String runId, PrintStream out) throws PipelineValidationException, RunFailedException, IOException;

    /** Requests that a running run stop; it fails with {@code reason}. */
    boolean cancel(String runId, String reason);

    /** Every run of the workspace, newest first. */
    List<RunInfo> runs() throws IOException;

    /** One run by id. */
    Optional<RunInfo> run(String runId) throws IOException;
}

package org.hybridbench.api.workbench;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A run as stored in the workspace.
 *
 * @param id the run id (its directory name)
 * @param pipeline the pipeline's name
 * @param status its status
 * @param directory where its files are
 * @param started when it started
 * @param finished when it finished, or {@code null}
 * @param lastMetrics the last value of every metric logged, keyed {@code stage.metric}
 * @param error the failure message of a failed run, or {@code null}
 * @param overrides the command-line overrides it ran with, {@code key=value} each in the order given (empty if none)
 * @param seed the run seed ({@code training.seed} of its resolved pipeline), or {@code null} if unknown
 */
public record RunInfo(String id, String pipeline, RunStatus status, Path directory, Instant started, Instant finished,
        Map<String, Double> lastMetrics, String error, List<String> overrides, Long seed) {

    public RunInfo {
        overrides = overrides == null ? List.of() : List.copyOf(overrides);
    }

    /** A run without overrides and with an unknown seed. */
    public RunInfo(String id, String pipeline, RunStatus status, Path directory, Instant started, Instant finished,
            Map<String, Double> lastMetrics, String error) {
        this(id, pipeline, status, directory, started, finished, lastMetrics, error, List.of(), null);
    }
}

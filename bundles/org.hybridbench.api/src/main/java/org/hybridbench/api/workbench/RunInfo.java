package org.hybridbench.api.workbench;

import java.nio.file.Path;
import java.time.Instant;
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
 */
public record RunInfo(String id, String pipeline, RunStatus status, Path directory, Instant started, Instant finished,
        Map<String, Double> lastMetrics, String error) {
}

package org.hybridbench.api.workbench;

/** Where a run is in its life. */
public enum RunStatus {
    /** Running now, in this or another process. */
    RUNNING,
    /** Its process died (kill -9, power loss) before it finished: resumable from its last checkpoint. */
    INTERRUPTED,
    /** Finished; its directory is complete. */
    COMPLETED,
    /** A stage failed or the run was cancelled; kept under {@code runs/.failed/} with the error. */
    FAILED
}

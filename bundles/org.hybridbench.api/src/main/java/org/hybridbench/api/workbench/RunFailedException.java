package org.hybridbench.api.workbench;

/** A run that started and did not finish: its message names the stage (and bundle) and the cause. */
public class RunFailedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String runId;

    public RunFailedException(String runId, String message, Throwable cause) {
        super(message, cause);
        this.runId = runId;
    }

    /** The failed run, kept under {@code runs/.failed/}. */
    public String runId() {
        return runId;
    }
}

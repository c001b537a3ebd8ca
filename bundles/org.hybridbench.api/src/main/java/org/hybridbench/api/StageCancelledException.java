package org.hybridbench.api;

/** Thrown by {@link RunContext#checkCancelled()} when the run was stopped (user request or a stage's bundle left). */
public class StageCancelledException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StageCancelledException(String message) {
        super(message);
    }
}

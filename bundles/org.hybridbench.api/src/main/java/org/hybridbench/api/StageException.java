package org.hybridbench.api;

/** A failure a user can act on; its message is shown as is, so it names the file, field, index or value. */
public class StageException extends Exception {
    private static final long serialVersionUID = 1L;

    public StageException(String message) {
        super(message);
    }

    public StageException(String message, Throwable cause) {
        super(message, cause);
    }
}

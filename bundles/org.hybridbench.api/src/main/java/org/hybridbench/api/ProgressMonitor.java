package org.hybridbench.api;

import org.osgi.annotation.versioning.ProviderType;

/** Progress of one long task; the core turns it into a line with percent, rate and ETA. */
@ProviderType
public interface ProgressMonitor extends AutoCloseable {

    /** Marks {@code units} more units of work as done. */
    void advance(long units);

    /** Sets the absolute amount of work done (e.g. after resuming from a checkpoint). */
    void set(long done);

    /** Ends the task and prints its final line. */
    @Override
    void close();
}

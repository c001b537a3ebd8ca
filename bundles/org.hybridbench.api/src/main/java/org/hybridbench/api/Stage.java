package org.hybridbench.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One configured step of a running pipeline. The core calls {@link #run} once, after every stage wired
 * into this one has run; the stage reads its input ports and sets its output ports through {@link StageIO}.
 * Long work reports progress, metrics and checkpoints through the {@link RunContext} and checks
 * {@link RunContext#checkCancelled()} between units of work.
 */
@ConsumerType
public interface Stage {

    /**
     * Does this stage's work.
     *
     * @throws StageException for a failure the user can act on (bad data, divergence); its message is shown
     * @throws Exception anything else aborts the run and is reported with the stage name
     */
    void run(StageIO io, RunContext context) throws Exception;
}

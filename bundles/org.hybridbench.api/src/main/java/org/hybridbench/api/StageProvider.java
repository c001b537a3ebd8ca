package org.hybridbench.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A stage type contributed by a plugin bundle: the OSGi service the stage registry tracks.
 *
 * <p>Register it as a DS component annotated with {@link StageType}; the service property
 * {@value #TYPE_PROPERTY} names the type a pipeline refers to, and {@code service.ranking} decides between two
 * bundles offering the same type. One provider creates one {@link Stage} per pipeline run, so stages may keep
 * state without being prototype-scoped services.
 */
@ConsumerType
public interface StageProvider {

    /** Service property naming the stage type, e.g. {@code model.gmm.em}. */
    String TYPE_PROPERTY = "hybridbench.stage.type";

    /** What this type is, its configuration and its ports; constant for the life of the service. */
    StageDescriptor descriptor();

    /**
     * Creates a stage for one run.
     *
     * @param config the configuration with every default filled in and every bound already checked
     * @return a new stage, never shared between runs
     * @throws StageException if the configuration is valid by its bounds but unusable together
     */
    Stage create(StageConfig config) throws StageException;
}

package org.hybridbench.api.workbench;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The stage types installed right now (a whiteboard of {@link org.hybridbench.api.StageProvider} services):
 * installing or stopping a plugin bundle changes it immediately.
 */
@ProviderType
public interface StageRegistry {

    /** Every installed type, sorted by name, each with its highest-ranked provider. */
    List<StageTypeInfo> types();

    /** The highest-ranked provider of {@code type}, if any is installed. */
    Optional<StageTypeInfo> type(String type);
}

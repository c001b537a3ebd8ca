package org.hybridbench.core.internal;

import java.util.List;
import java.util.Optional;

import org.hybridbench.api.StageDescriptor;

/** What validation needs to know about installed stage types; the registry implements it, tests fake it. */
interface TypeLookup {
    Optional<StageDescriptor> descriptor(String type);

    /** Names of every installed type, sorted. */
    List<String> installedTypes();

    /** The feature that would provide {@code type}, if one is known. */
    Optional<String> featureProviding(String type);
}

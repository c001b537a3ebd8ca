package org.hybridbench.api.workbench;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** The product's features: list them, install one (and remember it in the workspace), find who provides a type. */
@ProviderType
public interface FeatureService {

    List<FeatureInfo> features();

    /** Installs and starts every bundle of the feature; records it in the workspace so it is installed at start. */
    FeatureInfo install(String name) throws Exception;

    /** Stops and uninstalls the feature's bundles (those not needed by another installed feature). */
    FeatureInfo uninstall(String name) throws Exception;

    /** The feature that declares {@code stageType}, if any. */
    Optional<FeatureInfo> providing(String stageType);
}

package org.hybridbench.api.workbench;

import java.util.List;

/**
 * A named group of bundles that can be installed together (like a Karaf feature).
 *
 * @param name the feature name
 * @param description one line for the user
 * @param bundles symbolic names of its bundles
 * @param stageTypes the stage types it provides (used to suggest it when a pipeline needs one)
 * @param installed whether all its bundles are installed and active
 */
public record FeatureInfo(String name, String description, List<String> bundles, List<String> stageTypes,
        boolean installed) {
}

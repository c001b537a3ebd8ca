package org.hybridbench.api.workbench;

import org.hybridbench.api.StageDescriptor;

/**
 * An installed stage type as the registry sees it: its descriptor and the bundle that provides it.
 *
 * @param descriptor the provider's descriptor
 * @param bundleSymbolicName the providing bundle
 * @param bundleVersion its version
 * @param ranking the provider's {@code service.ranking}
 * @param providers how many installed services offer this type (the highest ranked one is used)
 */
public record StageTypeInfo(StageDescriptor descriptor, String bundleSymbolicName, String bundleVersion, int ranking,
        int providers) {
}

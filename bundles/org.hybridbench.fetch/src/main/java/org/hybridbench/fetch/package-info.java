/**
 * Fetching pinned data packages into the workspace data cache: complete and verified, or not at all.
 */
@Export
@Version("1.0.0")
package org.hybridbench.fetch;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

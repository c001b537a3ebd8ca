/**
 * Services the workbench core provides to the shell, the web UI and tests: the stage registry, pipeline
 * validation and runs, the run store and features. Implemented only by the core ({@code @ProviderType}).
 */
@Export
@Version("1.0.0")
package org.hybridbench.api.workbench;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

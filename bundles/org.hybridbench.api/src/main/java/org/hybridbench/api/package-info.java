/**
 * The stage contract of the workbench: a plugin contributes a {@link org.hybridbench.api.StageProvider}
 * service, the core validates a pipeline against the providers' {@link org.hybridbench.api.StageDescriptor}s
 * and runs the created {@link org.hybridbench.api.Stage}s in wiring order with a
 * {@link org.hybridbench.api.RunContext}.
 */
@Export
@Version("1.0.0")
package org.hybridbench.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

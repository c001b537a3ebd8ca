/**
 * Value types exchanged between stages: dense matrices, ragged sequence batches, data sets and tagged
 * sentences, all on primitive arrays and strings so a plugin needs no numerical library.
 */
@Export
@Version("1.0.0")
package org.hybridbench.api.data;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

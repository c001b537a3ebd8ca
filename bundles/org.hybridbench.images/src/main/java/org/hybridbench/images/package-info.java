/**
 * Image data for generative models: {@link org.hybridbench.images.ImageGrid} draws rows of square grey images
 * (e.g. 784 = 28×28 values in [0, 1]) as a PNG grid artifact, and {@link org.hybridbench.images.Binarization}
 * tells a trainer whether its {@code dataset.images} input asks for dynamic binarisation and draws the binary
 * images of an epoch.
 */
@Export
@Version("1.0.0")
package org.hybridbench.images;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

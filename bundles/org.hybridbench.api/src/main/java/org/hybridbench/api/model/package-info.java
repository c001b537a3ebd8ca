/**
 * The stage roles that cross ports as components: emission models, chain inference, structured losses,
 * networks (encoders/decoders), optimizers over parameter blocks, and metrics. The coupling between a
 * network and a graphical model is "scores in, gradients out" (see {@link org.hybridbench.api.model.StructuredLoss}).
 */
@Export
@Version("1.2.0")
package org.hybridbench.api.model;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

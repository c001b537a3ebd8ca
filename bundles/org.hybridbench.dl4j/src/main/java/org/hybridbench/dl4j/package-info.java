/**
 * DL4J support for plugins: {@link org.hybridbench.dl4j.Dl4jReadiness} (reference it so a DL4J-using component
 * starts only once ND4J works), {@link org.hybridbench.dl4j.NdConversions} between SDK
 * {@link org.hybridbench.api.data.Matrix matrices} and ND4J arrays, and
 * {@link org.hybridbench.dl4j.NetworkParameters} to hand a network's parameters to an SDK
 * {@link org.hybridbench.api.model.Optimizer} as {@link org.hybridbench.api.model.ParameterBlock}s.
 *
 * <p>DL4J and ND4J are part of the platform layer (the launcher's class path, exported by the system bundle);
 * build against them with provided scope and import {@code org.nd4j.*} / {@code org.deeplearning4j.*} without a
 * version range.
 */
@Export
@Version("1.0.0")
package org.hybridbench.dl4j;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

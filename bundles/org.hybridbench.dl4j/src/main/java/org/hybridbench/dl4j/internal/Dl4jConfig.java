package org.hybridbench.dl4j.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of PID {@code org.hybridbench.dl4j} (e.g. a file {@code org.hybridbench.dl4j.cfg} with
 * {@code threads=2} dropped into the workspace's {@code plugins/} folder, which FileInstall feeds to ConfigAdmin).
 */
@ObjectClassDefinition(name = "DL4J settings", description = "Thread settings of ND4J in the workbench.")
public @interface Dl4jConfig {

    @AttributeDefinition(description = "OpenMP threads for ND4J operations and BLAS; 0 keeps what OMP_NUM_THREADS "
            + "(the workbench script sets 1) or ND4J chose. More threads only help large networks; on small ones "
            + "they busy-wait.", min = "0")
    int threads() default 0;
}

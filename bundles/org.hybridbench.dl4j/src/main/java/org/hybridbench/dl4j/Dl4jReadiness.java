package org.hybridbench.dl4j;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Registered once ND4J's backend has been initialised and works in this framework. Components that use DL4J or
 * ND4J reference this service (mandatory), so they are only activated when ND4J can actually run; the service is
 * lazy, so a workbench that never touches a network never loads the native libraries.
 */
@ProviderType
public interface Dl4jReadiness {

    /** The backend, e.g. {@code CPU}. */
    String backend();

    /** The BLAS library, e.g. {@code OPENBLAS}. */
    String blasVendor();

    /** OpenMP threads ND4J uses for its own operations. */
    int threads();

    /** Threads of the BLAS library. */
    int blasThreads();

    /** Seconds it took to load and initialise the backend (first use in this JVM, natives included). */
    double initSeconds();

    /** ND4J's environment report (backend, cores, memory, thread counts …) as strings. */
    Map<String, String> environment();
}

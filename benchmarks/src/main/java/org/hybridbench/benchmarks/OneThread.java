package org.hybridbench.benchmarks;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/** ND4J on one thread, as the workbench runs it by default and as the issues' single-thread references were measured. */
final class OneThread {
    private OneThread() {
    }

    /**
     * Loads the backend before touching its native ops (what the workbench's Dl4jReadiness does), then sets one
     * OpenMP / BLAS thread; warns on stderr, naming {@code bench}, when JMH was not started with OMP_NUM_THREADS=1.
     */
    static void nd4j(String bench) {
        if (!"1".equals(System.getenv("OMP_NUM_THREADS"))) {
            System.err.println(bench + ": OMP_NUM_THREADS is " + System.getenv("OMP_NUM_THREADS")
                    + ", not 1; ND4J is set to one thread below, but start JMH with OMP_NUM_THREADS=1 for comparable figures");
        }
        Nd4j.getBackend();
        Nd4j.scalar(1.0).addi(1.0);
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(1);
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.factory().blas().setMaxThreads(1);
    }
}

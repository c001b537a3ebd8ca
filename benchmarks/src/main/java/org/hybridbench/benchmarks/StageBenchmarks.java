package org.hybridbench.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * What the stage benchmarks share: ND4J on one thread, as the workbench runs it by default and as the issues'
 * single-thread references were measured, and removing their scratch directories.
 */
final class StageBenchmarks {
    private StageBenchmarks() {
    }

    /**
     * Loads the backend before touching its native ops (what the workbench's Dl4jReadiness does), then sets one
     * OpenMP / BLAS thread; warns on stderr, naming {@code bench}, when JMH was not started with OMP_NUM_THREADS=1.
     */
    static void oneNd4jThread(String bench) {
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

    /** Deletes {@code dir} and everything below it. */
    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}

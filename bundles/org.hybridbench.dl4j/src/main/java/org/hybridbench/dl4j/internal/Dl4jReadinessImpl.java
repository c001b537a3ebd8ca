package org.hybridbench.dl4j.internal;

import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import org.deeplearning4j.config.DL4JClassLoading;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.hybridbench.dl4j.Dl4jReadiness;
import org.nd4j.common.config.ND4JClassLoading;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Initialises ND4J's backend once, on first use of the service (a delayed component: nothing native is loaded at
 * workbench start), and applies the thread settings of PID {@code org.hybridbench.dl4j}. If the backend cannot be
 * loaded, activation fails and every component that references this service stays unsatisfied.
 */
@Component(service = Dl4jReadiness.class, configurationPid = "org.hybridbench.dl4j")
@Designate(ocd = Dl4jConfig.class)
public final class Dl4jReadinessImpl implements Dl4jReadiness {

    private volatile double initSeconds;

    @Activate
    void activate(Dl4jConfig config) {
        // Defence in depth (ARCHITECTURE §5): ND4J and DL4J must find their backends through the loader that holds
        // them (the launcher's class path), whatever this thread's context class loader is. Repeatable and cheap.
        ND4JClassLoading.setNd4jClassloaderFromClass(Nd4j.class);
        DL4JClassLoading.setDl4jClassloaderFromClass(MultiLayerNetwork.class);
        long t0 = System.nanoTime();
        Nd4j.getBackend(); // loads the backend and its natives once per JVM
        Nd4j.scalar(1.0).addi(1.0); // and runs one native op
        initSeconds = (System.nanoTime() - t0) / 1e9;
        applyThreads(config.threads());
    }

    @Modified
    void modified(Dl4jConfig config) {
        applyThreads(config.threads());
    }

    static void applyThreads(int threads) {
        if (threads > 0) {
            NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
            Nd4j.getEnvironment().setMaxThreads(threads);
            Nd4j.factory().blas().setMaxThreads(threads);
        }
    }

    @Override
    public String backend() {
        return String.valueOf(Nd4j.getExecutioner().getEnvironmentInformation().getOrDefault("backend", "unknown"));
    }

    @Override
    public String blasVendor() {
        return String.valueOf(Nd4j.factory().blas().getBlasVendor());
    }

    @Override
    public int threads() {
        return NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
    }

    @Override
    public int blasThreads() {
        return Nd4j.factory().blas().getMaxThreads();
    }

    @Override
    public double initSeconds() {
        return initSeconds;
    }

    @Override
    public Map<String, String> environment() {
        Properties p = Nd4j.getExecutioner().getEnvironmentInformation();
        Map<String, String> out = new TreeMap<>();
        p.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
        return out;
    }
}

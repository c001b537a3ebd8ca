package org.hybridbench.dl4j.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.hybridbench.dl4j.Dl4jReadiness;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Gogo commands {@code dl4j:info} and {@code dl4j:threads}. Registering them loads nothing; running one
 * initialises ND4J (through {@link Dl4jReadiness}).
 */
@Component(service = Dl4jCommands.class, property = {"osgi.command.scope=dl4j", "osgi.command.function=info",
        "osgi.command.function=threads"})
public final class Dl4jCommands {

    @Reference
    private Dl4jReadiness readiness;

    /** Backend, BLAS, threads and start-up cost of ND4J in this workbench. */
    public Map<String, Object> info() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("backend", readiness.backend());
        m.put("blas", readiness.blasVendor());
        m.put("threads", readiness.threads());
        m.put("blasThreads", readiness.blasThreads());
        m.put("initSeconds", Math.round(readiness.initSeconds() * 100) / 100.0);
        m.put("javacppCache", System.getProperty("org.bytedeco.javacpp.cachedir", "(default)"));
        m.putAll(readiness.environment());
        return m;
    }

    /** Sets the OpenMP and BLAS threads of ND4J for this session (persist it with PID org.hybridbench.dl4j). */
    public String threads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
        Dl4jReadinessImpl.applyThreads(n);
        return "ND4J threads: " + readiness.threads() + ", BLAS threads: " + readiness.blasThreads();
    }
}

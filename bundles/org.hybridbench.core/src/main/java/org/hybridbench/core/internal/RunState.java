package org.hybridbench.core.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.hybridbench.api.ProgressMonitor;
import org.hybridbench.api.TrainingRegime;

/**
 * A run in progress: its directory, where its output goes, its metrics and log files, and whether it has been
 * asked to stop (and why). Shared by the contexts of all its stages.
 */
final class RunState implements AutoCloseable {
    static final long PROGRESS_INTERVAL_NANOS = 2_000_000_000L;

    private final String id;
    private volatile Path directory;
    private final Path dataCache;
    private final TrainingRegime regime;
    private final PrintStream out;
    private final boolean resuming;
    private final Set<Long> bundleIds = ConcurrentHashMap.newKeySet();
    private volatile String cancelReason;
    private Writer metrics;
    private Writer log;

    RunState(String id, Path directory, Path dataCache, TrainingRegime regime, PrintStream out, boolean resuming) throws IOException {
        this.id = id;
        this.directory = directory;
        this.dataCache = dataCache;
        this.regime = regime;
        this.out = out;
        this.resuming = resuming;
        openWriters();
    }

    private void openWriters() throws IOException {
        metrics = Files.newBufferedWriter(directory.resolve("metrics.jsonl"), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        log = Files.newBufferedWriter(directory.resolve("log.txt"), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    String id() {
        return id;
    }

    Path directory() {
        return directory;
    }

    Path dataCache() {
        return dataCache;
    }

    TrainingRegime regime() {
        return regime;
    }

    boolean resuming() {
        return resuming;
    }

    PrintStream out() {
        return out;
    }

    Set<Long> bundleIds() {
        return bundleIds;
    }

    String cancelReason() {
        return cancelReason;
    }

    void cancel(String reason) {
        if (cancelReason == null) {
            cancelReason = reason;
        }
    }

    synchronized void metrics(String stage, long step, Map<String, ? extends Number> values) {
        ObjectNode line = PipelineParser.MAPPER.createObjectNode();
        line.put("time", Instant.now().toString());
        line.put("stage", stage);
        line.put("step", step);
        values.forEach((k, v) -> {
            double d = v.doubleValue();
            if (Double.isFinite(d)) {
                if (v instanceof Long || v instanceof Integer) {
                    line.put(k, v.longValue());
                } else {
                    line.put(k, d);
                }
            } else {
                line.put(k, Double.toString(d)); // JSON has no NaN; keep it visible rather than drop it
            }
        });
        try {
            metrics.write(line.toString());
            metrics.write('\n');
            metrics.flush(); // a killed run keeps every metric logged before the kill
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + directory.resolve("metrics.jsonl"), e);
        }
    }

    synchronized void log(String stage, String message) {
        String line = stage == null ? message : "[" + stage + "] " + message;
        out.println(line);
        try {
            log.write(Instant.now() + " " + line + "\n");
            log.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + directory.resolve("log.txt"), e);
        }
    }

    ProgressMonitor progress(String label, long total, String unit) {
        return new ConsoleProgress(out, label, total, unit, System::nanoTime, PROGRESS_INTERVAL_NANOS);
    }

    /** Moves the whole run directory (atomic rename) and reopens the logs there. */
    synchronized void moveTo(Path target) throws IOException {
        close();
        Files.createDirectories(target.getParent());
        AtomicFiles.move(directory, target);
        directory = target;
        openWriters();
    }

    @Override
    public synchronized void close() throws IOException {
        metrics.close();
        log.close();
    }
}

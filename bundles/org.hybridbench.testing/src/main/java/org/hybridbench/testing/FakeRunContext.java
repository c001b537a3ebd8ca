package org.hybridbench.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.hybridbench.api.ProgressMonitor;
import org.hybridbench.api.RunContext;
import org.hybridbench.api.StageCancelledException;
import org.hybridbench.api.StreamReader;
import org.hybridbench.api.StreamWriter;
import org.hybridbench.api.TrainingRegime;

/** A plain-Java RunContext for unit tests: records metrics, logs, checkpoints (in memory) and artifacts (in a directory). */
public final class FakeRunContext implements RunContext {
    public record MetricLine(long step, Map<String, Number> values) {
    }

    public final Path runDir;
    public final Path cache;
    public final TrainingRegime regime;
    public final List<MetricLine> metrics = new ArrayList<>();
    public final List<String> logs = new ArrayList<>();
    /** Checkpoints written, shared with a resumed context to simulate a killed and restarted run. */
    public final Map<String, byte[]> checkpoints;
    public boolean resuming;
    /** When positive, the run is cancelled at the checkCancelled call with this number. */
    public int cancelAtCall;
    public int cancelCalls;
    public long progressDone;

    public FakeRunContext(Path dir, TrainingRegime regime) {
        this(dir, regime, new HashMap<>());
    }

    public FakeRunContext(Path dir, TrainingRegime regime, Map<String, byte[]> checkpoints) {
        this.runDir = dir.resolve("run");
        this.cache = dir.resolve("cache");
        this.regime = regime;
        this.checkpoints = checkpoints;
    }

    @Override
    public String runId() {
        return "test-run";
    }

    @Override
    public String stageName() {
        return "stage";
    }

    @Override
    public Path runDirectory() {
        return runDir;
    }

    @Override
    public Path dataCache() {
        return cache;
    }

    @Override
    public TrainingRegime regime() {
        return regime;
    }

    @Override
    public long stageSeed() {
        return regime.seed() * 31 + 7;
    }

    @Override
    public void metrics(long step, Map<String, ? extends Number> values) {
        metrics.add(new MetricLine(step, new LinkedHashMap<>(values)));
    }

    /** Every value recorded under {@code key}, in order. */
    public List<Double> series(String key) {
        List<Double> out = new ArrayList<>();
        for (MetricLine m : metrics) {
            if (m.values().containsKey(key)) {
                out.add(m.values().get(key).doubleValue());
            }
        }
        return out;
    }

    @Override
    public void log(String message) {
        logs.add(message);
    }

    @Override
    public ProgressMonitor progress(String task, long total, String unit) {
        return new ProgressMonitor() {
            @Override
            public void advance(long units) {
                progressDone += units;
            }

            @Override
            public void set(long done) {
                progressDone = done;
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void checkpoint(String name, StreamWriter writer) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(out);
        checkpoints.put(name, out.toByteArray());
    }

    @Override
    public <T> Optional<T> restore(String name, StreamReader<T> reader) throws IOException {
        if (!resuming || !checkpoints.containsKey(name)) {
            return Optional.empty();
        }
        return Optional.of(reader.read(new ByteArrayInputStream(checkpoints.get(name))));
    }

    @Override
    public Path saveArtifact(String fileName, StreamWriter writer) throws IOException {
        Files.createDirectories(runDir);
        Path file = runDir.resolve(fileName);
        try (OutputStream out = Files.newOutputStream(file)) {
            writer.write(out);
        }
        return file;
    }

    @Override
    public void checkCancelled() {
        cancelCalls++;
        if (cancelAtCall > 0 && cancelCalls >= cancelAtCall) {
            throw new StageCancelledException("cancelled by test at call " + cancelCalls);
        }
    }
}

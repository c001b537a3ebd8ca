package org.hybridbench.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

import org.hybridbench.api.ProgressMonitor;
import org.hybridbench.api.RunContext;
import org.hybridbench.api.StageCancelledException;
import org.hybridbench.api.StreamReader;
import org.hybridbench.api.StreamWriter;
import org.hybridbench.api.TrainingRegime;

/** One stage's view of its run. Checkpoints live in {@code checkpoints/<stage>/<name>.ckpt}. */
final class RunContextImpl implements RunContext {
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private final RunState run;
    private final String stage;
    private final TrainingRegime regime;

    /** @param regime the stage's regime: the pipeline's, with the stage's own {@code training} fields in place */
    RunContextImpl(RunState run, String stage, TrainingRegime regime) {
        this.run = run;
        this.stage = stage;
        this.regime = regime;
    }

    @Override
    public String runId() {
        return run.id();
    }

    @Override
    public String stageName() {
        return stage;
    }

    @Override
    public Path runDirectory() {
        return run.directory();
    }

    @Override
    public Path dataCache() {
        return run.dataCache();
    }

    @Override
    public TrainingRegime regime() {
        return regime;
    }

    @Override
    public long stageSeed() {
        // Mix the run seed with the stage name so stages draw independent streams from one user-visible seed.
        return new SplittableRandom(run.regime().seed() * 0x9E3779B97F4A7C15L + stage.hashCode()).nextLong();
    }

    @Override
    public void metrics(long step, Map<String, ? extends Number> values) {
        run.metrics(stage, step, values);
    }

    @Override
    public void log(String message) {
        run.log(stage, message);
    }

    @Override
    public ProgressMonitor progress(String task, long total, String unit) {
        return run.progress(stage + ": " + task, total, unit);
    }

    @Override
    public void checkpoint(String name, StreamWriter writer) throws IOException {
        AtomicFiles.write(checkpointFile(name), writer);
    }

    @Override
    public <T> Optional<T> restore(String name, StreamReader<T> reader) throws IOException {
        Path f = checkpointFile(name);
        if (!run.resuming() || !Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(f)) {
            T value = reader.read(in);
            run.log(stage, "resumed from checkpoint " + run.directory().relativize(f));
            return Optional.ofNullable(value);
        }
    }

    @Override
    public Path saveArtifact(String fileName, StreamWriter writer) throws IOException {
        if (!FILE_NAME.matcher(fileName).matches()) {
            throw new IllegalArgumentException("artifact names are plain file names (letters, digits, . _ -), got '" + fileName + "'");
        }
        return AtomicFiles.write(run.directory().resolve(fileName), writer);
    }

    @Override
    public void checkCancelled() {
        String reason = run.cancelReason();
        if (reason != null) {
            throw new StageCancelledException(reason);
        }
    }

    private Path checkpointFile(String name) {
        if (!FILE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("checkpoint names are plain names (letters, digits, . _ -), got '" + name + "'");
        }
        return run.directory().resolve("checkpoints").resolve(stage).resolve(name + ".ckpt");
    }
}

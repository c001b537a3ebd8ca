package org.hybridbench.core.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.hybridbench.api.Stage;
import org.hybridbench.api.StageCancelledException;
import org.hybridbench.api.StageException;
import org.hybridbench.api.workbench.PipelineService;
import org.hybridbench.api.workbench.PipelineValidationException;
import org.hybridbench.api.workbench.RunFailedException;
import org.hybridbench.api.workbench.RunInfo;
import org.hybridbench.api.workbench.RunStatus;
import org.hybridbench.core.internal.StageRegistryImpl.Provider;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Validates and runs pipelines of the workspace. A run lives in {@code runs/.partial/<id>/} while it runs,
 * moves to {@code runs/<id>/} (one atomic rename) when it completes, and to {@code runs/.failed/<id>/} with
 * {@code error.txt} when a stage fails; so {@code runs/} never holds a half-written run. A partial run whose
 * process died is resumable from its checkpoints.
 */
@Component(service = PipelineService.class)
public final class PipelineEngine implements PipelineService {
    static final String WORKSPACE_PROPERTY = "hybridbench.workspace";
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final StageRegistryImpl registry;
    private final BundleContext context;
    private final Path workspace;
    private final Map<String, RunState> active = new ConcurrentHashMap<>();
    private final Consumer<Provider> onProviderGone = this::providerGone;

    @Activate
    public PipelineEngine(@Reference StageRegistryImpl registry, BundleContext context) {
        this.registry = registry;
        this.context = context;
        String ws = context.getProperty(WORKSPACE_PROPERTY);
        this.workspace = Path.of(ws != null ? ws : System.getProperty("user.dir") + "/workspace").toAbsolutePath().normalize();
        registry.addRemovalListener(onProviderGone);
    }

    @Deactivate
    void deactivate() {
        registry.removeRemovalListener(onProviderGone);
        active.values().forEach(r -> r.cancel("the workbench core is stopping"));
    }

    @Override
    public Path workspace() {
        return workspace;
    }

    Path runsDir() {
        return workspace.resolve("runs");
    }

    @Override
    public Path resolve(String nameOrPath) throws IOException {
        Path named = workspace.resolve("pipelines").resolve(nameOrPath.endsWith(".json") ? nameOrPath : nameOrPath + ".json");
        if (!nameOrPath.contains("/") && Files.isRegularFile(named)) {
            return named;
        }
        Path p = Path.of(nameOrPath);
        Path candidate = p.isAbsolute() ? p : workspace.resolve(p);
        if (Files.isRegularFile(candidate)) {
            return candidate;
        }
        if (Files.isRegularFile(p)) {
            return p.toAbsolutePath();
        }
        List<String> names = new ArrayList<>();
        for (Path x : pipelines()) {
            names.add(x.getFileName().toString().replaceFirst("\\.json$", ""));
        }
        throw new java.nio.file.NoSuchFileException(nameOrPath, null, "no pipeline file " + named + " or " + candidate
                + "; pipelines in the workspace: " + names);
    }

    @Override
    public List<Path> pipelines() throws IOException {
        Path dir = workspace.resolve("pipelines");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    @Override
    public String validate(Path pipeline, List<String> overrides) throws PipelineValidationException, IOException {
        return check(pipeline, overrides).resolved().toPrettyString();
    }

    private ValidatedPipeline check(Path pipeline, List<String> overrides) throws PipelineValidationException, IOException {
        String text = Files.readString(pipeline, StandardCharsets.UTF_8);
        return new PipelineValidator(registry).validate(pipeline.toString(), text, overrides);
    }

    @Override
    public RunInfo run(Path pipeline, List<String> overrides, PrintStream out)
            throws PipelineValidationException, RunFailedException, IOException {
        ValidatedPipeline vp = check(pipeline, overrides);
        String id = newRunId(vp.definition().name());
        Path partial = runsDir().resolve(".partial").resolve(id);
        // The run directory appears complete or not at all: build it aside, then rename.
        Path staging = Files.createTempDirectory(Files.createDirectories(runsDir().resolve(".partial")), "." + id);
        try {
            AtomicFiles.writeString(staging.resolve("pipeline.json"), vp.resolved().toPrettyString());
            AtomicFiles.writeString(staging.resolve("bundles.json"), bundlesJson(vp).toPrettyString());
            ObjectNode runJson = PipelineParser.MAPPER.createObjectNode();
            runJson.put("id", id);
            runJson.put("pipeline", vp.definition().name());
            runJson.put("source", pipeline.toString());
            ArrayNode applied = runJson.putArray("overrides");
            vp.overrides().forEach(applied::add);
            runJson.put("status", RunStatus.RUNNING.name());
            runJson.put("started", Instant.now().toString());
            runJson.put("pid", ProcessHandle.current().pid());
            AtomicFiles.writeString(staging.resolve("run.json"), runJson.toPrettyString());
            AtomicFiles.move(staging, partial);
        } finally {
            AtomicFiles.deleteTree(staging);
        }
        return execute(vp, id, partial, out, false);
    }

    @Override
    public RunInfo resume(String runId, PrintStream out) throws PipelineValidationException, RunFailedException, IOException {
        Path partial = runsDir().resolve(".partial").resolve(runId);
        if (!Files.isDirectory(partial)) {
            Optional<RunInfo> other = run(runId);
            throw new IOException("run " + runId + " is not resumable: "
                    + other.map(r -> "it is " + r.status()).orElse("there is no such run in " + runsDir()));
        }
        if (active.containsKey(runId)) {
            throw new IOException("run " + runId + " is running in this workbench");
        }
        ObjectNode runJson = (ObjectNode) PipelineParser.MAPPER.readTree(partial.resolve("run.json").toFile());
        long pid = runJson.path("pid").asLong(-1);
        if (pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            throw new IOException("run " + runId + " is still running in process " + pid);
        }
        ValidatedPipeline vp = check(partial.resolve("pipeline.json"), List.of()); // already overridden
        runJson.put("pid", ProcessHandle.current().pid());
        ArrayNode resumed = runJson.has("resumed") ? (ArrayNode) runJson.get("resumed") : runJson.putArray("resumed");
        resumed.add(Instant.now().toString());
        AtomicFiles.writeString(partial.resolve("run.json"), runJson.toPrettyString());
        return execute(vp, runId, partial, out, true);
    }

    private RunInfo execute(ValidatedPipeline vp, String id, Path dir, PrintStream out, boolean resuming)
            throws RunFailedException, IOException {
        RunState run = new RunState(id, dir, workspace.resolve("data"), vp.definition().regime(), out, resuming);
        active.put(id, run);
        String current = null;
        String currentBundle = null;
        try {
            run.log(null, (resuming ? "resuming run " : "run ") + id + " of pipeline '" + vp.definition().name() + "' ("
                    + vp.order().size() + " stages, seed " + vp.definition().regime().seed()
                    + (vp.overrides().isEmpty() ? "" : ", overrides " + String.join(" ", vp.overrides())) + ")");
            Map<String, Object> produced = new HashMap<>();
            int i = 0;
            for (String name : vp.order()) {
                i++;
                current = name;
                var def = vp.definition().stages().get(name);
                Provider provider = registry.provider(def.type()).orElseThrow(() -> new StageException(
                        "stage type '" + def.type() + "' is no longer installed"));
                currentBundle = provider.bundleLabel();
                run.bundleIds().add(provider.bundle().getBundleId());
                run.log(null, "[" + i + "/" + vp.order().size() + "] " + name + " (" + def.type() + " from " + currentBundle + ")");
                Stage stage = provider.service().create(vp.configs().get(name));
                StageIOImpl io = new StageIOImpl(name, vp.descriptors().get(name), def.inputs(), produced);
                long t0 = System.nanoTime();
                RunContextImpl context = new RunContextImpl(run, name, def.regime());
                stage.run(io, context);
                context.checkCancelled();
                io.publish();
                run.log(name, String.format(java.util.Locale.ROOT, "done in %.2f s", (System.nanoTime() - t0) / 1e9));
            }
            current = null;
            plot(run);
            updateRunJson(run.directory(), RunStatus.COMPLETED, null);
            run.moveTo(runsDir().resolve(id));
            run.log(null, "run " + id + " completed: " + runsDir().resolve(id));
            return readRun(runsDir().resolve(id)).orElseThrow();
        } catch (Exception | LinkageError e) {
            String message = failureMessage(current, currentBundle, run, e);
            try {
                plot(run);
                updateRunJson(run.directory(), RunStatus.FAILED, message);
                AtomicFiles.writeString(run.directory().resolve("error.txt"), message + "\n\n" + stackTrace(e));
                run.log(null, "run " + id + " FAILED: " + message);
                run.moveTo(runsDir().resolve(".failed").resolve(id));
            } catch (IOException io) {
                e.addSuppressed(io);
            }
            throw new RunFailedException(id, message, e);
        } finally {
            active.remove(id);
            run.close();
        }
    }

    /** metrics.png: a plot failing (no fonts, no AWT) is reported, never fatal to the run. */
    private static void plot(RunState run) {
        try {
            MetricsPlot.write(run.directory().resolve("metrics.jsonl"), run.directory().resolve("metrics.png"));
        } catch (IOException | RuntimeException | LinkageError e) {
            run.log(null, "could not draw metrics.png: " + e);
        }
    }

    private static String failureMessage(String stage, String bundle, RunState run, Throwable e) {
        String where = stage == null ? "run " + run.id() : "stage '" + stage + "' (" + bundle + ")";
        if (e instanceof StageCancelledException) {
            return where + " was stopped: " + e.getMessage();
        }
        if (run.cancelReason() != null) {
            return where + " was stopped: " + run.cancelReason() + " (then: " + e + ")";
        }
        if (e instanceof StageException) {
            return where + ": " + e.getMessage();
        }
        return where + " failed: " + e;
    }

    private static String stackTrace(Throwable e) {
        StringWriter sw = new StringWriter();
        e.printStackTrace(new PrintWriter(sw));
        return sw.toString();
    }

    /** A provider left while runs used it: stop those runs, naming the bundle. */
    private void providerGone(Provider p) {
        for (RunState run : active.values()) {
            if (run.bundleIds().contains(p.bundle().getBundleId())) {
                run.cancel("bundle " + p.bundleLabel() + " providing stage type '" + p.type() + "' went away (stopped or uninstalled)");
            }
        }
    }

    @Override
    public boolean cancel(String runId, String reason) {
        RunState run = active.get(runId);
        if (run == null) {
            return false;
        }
        run.cancel(reason);
        return true;
    }

    private String newRunId(String pipelineName) {
        String base = ID_TIME.format(Instant.now()) + "-" + pipelineName;
        String id = base;
        for (int n = 2; exists(id); n++) {
            id = base + "-" + n;
        }
        return id;
    }

    private boolean exists(String id) {
        return active.containsKey(id) || Files.exists(runsDir().resolve(id)) || Files.exists(runsDir().resolve(".partial").resolve(id))
                || Files.exists(runsDir().resolve(".failed").resolve(id));
    }

    private ObjectNode bundlesJson(ValidatedPipeline vp) {
        ObjectNode root = PipelineParser.MAPPER.createObjectNode();
        ObjectNode stages = root.putObject("stages");
        for (String name : vp.order()) {
            String type = vp.definition().stages().get(name).type();
            registry.provider(type).ifPresent(p -> {
                ObjectNode s = stages.putObject(name);
                s.put("type", type);
                s.put("bundle", p.bundle().getSymbolicName());
                s.put("version", p.bundle().getVersion().toString());
            });
        }
        ArrayNode all = root.putArray("framework");
        for (Bundle b : context.getBundles()) {
            ObjectNode n = all.addObject();
            n.put("id", b.getBundleId());
            n.put("bundle", b.getSymbolicName());
            n.put("version", b.getVersion().toString());
        }
        return root;
    }

    private static void updateRunJson(Path dir, RunStatus status, String error) throws IOException {
        ObjectNode runJson = (ObjectNode) PipelineParser.MAPPER.readTree(dir.resolve("run.json").toFile());
        runJson.put("status", status.name());
        runJson.put("finished", Instant.now().toString());
        if (error != null) {
            runJson.put("error", error);
        }
        AtomicFiles.writeString(dir.resolve("run.json"), runJson.toPrettyString());
    }

    @Override
    public List<RunInfo> runs() throws IOException {
        List<RunInfo> out = new ArrayList<>();
        for (Path dir : List.of(runsDir(), runsDir().resolve(".partial"), runsDir().resolve(".failed"))) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
                    readRun(p).ifPresent(out::add);
                }
            }
        }
        out.sort(Comparator.comparing(RunInfo::started, Comparator.nullsLast(Comparator.reverseOrder())));
        return out;
    }

    @Override
    public Optional<RunInfo> run(String runId) throws IOException {
        for (Path p : List.of(runsDir().resolve(runId), runsDir().resolve(".partial").resolve(runId),
                runsDir().resolve(".failed").resolve(runId))) {
            if (Files.isDirectory(p)) {
                return readRun(p);
            }
        }
        return Optional.empty();
    }

    private Optional<RunInfo> readRun(Path dir) throws IOException {
        Path rj = dir.resolve("run.json");
        if (!Files.isRegularFile(rj)) {
            return Optional.empty();
        }
        JsonNode j = PipelineParser.MAPPER.readTree(rj.toFile());
        String id = j.path("id").asText(dir.getFileName().toString());
        RunStatus status = RunStatus.valueOf(j.path("status").asText("FAILED"));
        if (status == RunStatus.RUNNING && !active.containsKey(id)) {
            long pid = j.path("pid").asLong(-1);
            boolean alive = pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
            if (!alive) {
                status = RunStatus.INTERRUPTED;
            }
        }
        List<String> overrides = new ArrayList<>();
        j.path("overrides").forEach(o -> overrides.add(o.asText()));
        return Optional.of(new RunInfo(id, j.path("pipeline").asText(), status, dir, instant(j.get("started")),
                instant(j.get("finished")), lastMetrics(dir.resolve("metrics.jsonl")), j.hasNonNull("error") ? j.get("error").asText() : null,
                overrides, seed(dir.resolve("pipeline.json"))));
    }

    /** training.seed of a run's resolved pipeline; {@code null} when the file is missing or unreadable. */
    private static Long seed(Path pipelineJson) {
        try {
            JsonNode seed = PipelineParser.MAPPER.readTree(pipelineJson.toFile()).path("training").path("seed");
            return seed.isIntegralNumber() ? seed.longValue() : null;
        } catch (IOException unreadable) {
            return null;
        }
    }

    private static Instant instant(JsonNode n) {
        return n == null || n.isNull() ? null : Instant.parse(n.asText());
    }

    /** The last value of each metric, keyed stage.metric; a torn last line (kill -9 mid-write) is skipped. */
    static Map<String, Double> lastMetrics(Path file) throws IOException {
        Map<String, Double> last = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return last;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            JsonNode n;
            try {
                n = PipelineParser.MAPPER.readTree(line);
            } catch (IOException torn) {
                continue;
            }
            if (n == null || !n.isObject()) {
                continue;
            }
            String stage = n.path("stage").asText();
            n.properties().forEach(e -> {
                if (e.getValue().isNumber() && !e.getKey().equals("step")) {
                    last.put(stage + "." + e.getKey(), e.getValue().doubleValue());
                }
            });
        }
        return last;
    }
}

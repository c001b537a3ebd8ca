package org.hybridbench.shell.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.hybridbench.api.ConfigParam;
import org.hybridbench.api.PortSpec;
import org.hybridbench.api.StageDescriptor;
import org.hybridbench.api.workbench.FeatureInfo;
import org.hybridbench.api.workbench.FeatureService;
import org.hybridbench.api.workbench.PipelineService;
import org.hybridbench.api.workbench.RunInfo;
import org.hybridbench.api.workbench.RunStatus;
import org.hybridbench.api.workbench.StageRegistry;
import org.hybridbench.api.workbench.StageTypeInfo;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The {@code hwb:} commands. A failing command throws, so Gogo (and {@code ./workbench run}) reports the message
 * and a script sees a non-zero exit.
 */
@Component(service = WorkbenchCommands.class, property = {
    "osgi.command.scope=hwb",
    "osgi.command.function=types", "osgi.command.function=type",
    "osgi.command.function=pipelines", "osgi.command.function=validate", "osgi.command.function=run",
    "osgi.command.function=resume", "osgi.command.function=runs", "osgi.command.function=show",
    "osgi.command.function=cancel", "osgi.command.function=summary", "osgi.command.function=curves",
    "osgi.command.function=install", "osgi.command.function=uninstall", "osgi.command.function=plugins",
    "osgi.command.function=features", "osgi.command.function=feature"})
public final class WorkbenchCommands {
    private final BundleContext context;
    private final StageRegistry registry;
    private final PipelineService pipelines;
    private volatile FeatureService features;

    @Activate
    public WorkbenchCommands(BundleContext context, @Reference StageRegistry registry, @Reference PipelineService pipelines) {
        this.context = context;
        this.registry = registry;
        this.pipelines = pipelines;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setFeatures(FeatureService f) {
        features = f;
    }

    void unsetFeatures(FeatureService f) {
        if (features == f) {
            features = null;
        }
    }

    private static PrintStream out() {
        return System.out; // Gogo redirects System.out to the calling session
    }

    // ---- stage types ----

    @Descriptor("list the installed stage types")
    public void types() {
        List<StageTypeInfo> all = registry.types();
        if (all.isEmpty()) {
            out().println("no stage types installed (hwb:features lists what can be installed)");
            return;
        }
        Table t = new Table("TYPE", "ROLE", "BUNDLE", "DESCRIPTION");
        for (StageTypeInfo i : all) {
            t.row(i.descriptor().type(), i.descriptor().role().name().toLowerCase(Locale.ROOT),
                    i.bundleSymbolicName() + " " + i.bundleVersion() + (i.providers() > 1 ? " (+" + (i.providers() - 1) + ")" : ""),
                    firstSentence(i.descriptor().description()));
        }
        t.print(out());
    }

    @Descriptor("show a stage type: its configuration fields and ports")
    public void type(@Descriptor("stage type name") String name) {
        StageTypeInfo i = registry.type(name).orElseThrow(() -> new IllegalArgumentException("no installed stage type '"
                + name + "'; installed: " + registry.types().stream().map(x -> x.descriptor().type()).toList()));
        StageDescriptor d = i.descriptor();
        PrintStream o = out();
        o.println(d.type() + " (" + d.role().name().toLowerCase(Locale.ROOT) + ") from " + i.bundleSymbolicName() + " "
                + i.bundleVersion() + ", ranking " + i.ranking());
        if (!d.description().isEmpty()) {
            o.println("  " + d.description());
        }
        o.println("config:");
        if (d.config().isEmpty()) {
            o.println("  (none)");
        }
        Table c = new Table("  FIELD", "TYPE", "DEFAULT", "ALLOWED", "DESCRIPTION");
        for (ConfigParam p : d.config()) {
            c.row("  " + p.name(), p.kind().name().toLowerCase(Locale.ROOT), p.isRequired() ? "(required)" : String.valueOf(p.defaultValue()),
                    allowed(p), p.description());
        }
        c.print(o);
        ports(o, "inputs", d.inputs());
        ports(o, "outputs", d.outputs());
    }

    private static String allowed(ConfigParam p) {
        if (!p.allowedValues().isEmpty()) {
            return String.join("|", p.allowedValues());
        }
        if (p.min() != null) {
            return "[" + num(p.min()) + ", " + num(p.max()) + "]";
        }
        return "";
    }

    private static String num(Double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue()) : d.toString();
    }

    private static void ports(PrintStream o, String title, List<PortSpec> ports) {
        o.println(title + ":");
        if (ports.isEmpty()) {
            o.println("  (none)");
        }
        for (PortSpec p : ports) {
            o.println("  " + p.name() + " : " + p.type() + (p.isRequired() ? "" : " (optional)")
                    + (p.description().isEmpty() ? "" : " — " + p.description()));
        }
    }

    // ---- pipelines and runs ----

    @Descriptor("list the pipelines of the workspace")
    public void pipelines() throws IOException {
        List<Path> files = pipelines.pipelines();
        out().println("workspace " + pipelines.workspace());
        if (files.isEmpty()) {
            out().println("no pipelines in " + pipelines.workspace().resolve("pipelines"));
        }
        for (Path p : files) {
            out().println("  " + p.getFileName().toString().replaceFirst("\\.json$", ""));
        }
    }

    private static final String OVERRIDES_HELP = "overrides KEY=VALUE: KEY a dotted path into the pipeline "
            + "(training.seed, stages.NAME.config.FIELD), VALUE JSON if it parses, else text; quote values with spaces, "
            + "* or ?";

    @Descriptor("validate a pipeline, with optional overrides KEY=VALUE, and print it with every default filled in")
    public void validate(@Descriptor("pipeline name or file") String pipeline,
            @Descriptor(OVERRIDES_HELP) String... overrides) throws Exception {
        Path file = pipelines.resolve(pipeline);
        String resolved = pipelines.validate(file, List.of(overrides));
        out().println(file + ": valid" + (overrides.length == 0 ? "" : " with " + String.join(" ", overrides)));
        out().println(resolved);
    }

    @Descriptor("run a pipeline to completion, with optional overrides KEY=VALUE (e.g. hwb:run NAME training.seed=2 "
            + "stages.gmm.config.components=5)")
    public String run(@Descriptor("pipeline name or file") String pipeline,
            @Descriptor(OVERRIDES_HELP) String... overrides) throws Exception {
        RunInfo r = pipelines.run(pipelines.resolve(pipeline), List.of(overrides), out());
        printMetrics(r);
        return null;
    }

    @Descriptor("resume an interrupted run from its last checkpoints")
    public void resume(@Descriptor("run id") String runId) throws Exception {
        printMetrics(pipelines.resume(runId, out()));
    }

    private void printMetrics(RunInfo r) {
        if (!r.lastMetrics().isEmpty()) {
            out().println("final metrics:");
            r.lastMetrics().forEach((k, v) -> out().println(String.format(Locale.ROOT, "  %-40s %.6g", k, v)));
        }
    }

    @Descriptor("list the runs of the workspace, newest first")
    public void runs() throws IOException {
        List<RunInfo> all = pipelines.runs();
        if (all.isEmpty()) {
            out().println("no runs in " + pipelines.workspace().resolve("runs"));
            return;
        }
        Table t = new Table("RUN", "PIPELINE", "STATUS", "STARTED", "LAST METRICS");
        for (RunInfo r : all) {
            t.row(r.id(), r.pipeline(), r.status().name().toLowerCase(Locale.ROOT), String.valueOf(r.started()),
                    r.lastMetrics().entrySet().stream().limit(3)
                            .map(e -> e.getKey() + "=" + String.format(Locale.ROOT, "%.4g", e.getValue()))
                            .collect(Collectors.joining(" ")));
        }
        t.print(out());
    }

    @Descriptor("show one run: status, files, final metrics, error")
    public void show(@Descriptor("run id") String runId) throws IOException {
        RunInfo r = pipelines.run(runId).orElseThrow(() -> new IllegalArgumentException("no run '" + runId + "' in "
                + pipelines.workspace().resolve("runs")));
        PrintStream o = out();
        o.println("run       " + r.id());
        o.println("pipeline  " + r.pipeline());
        o.println("status    " + r.status().name().toLowerCase(Locale.ROOT));
        o.println("seed      " + (r.seed() == null ? "?" : r.seed()));
        if (!r.overrides().isEmpty()) {
            o.println("overrides " + String.join(" ", r.overrides()));
        }
        o.println("directory " + r.directory());
        o.println("started   " + r.started());
        o.println("finished  " + (r.finished() == null ? "-" : r.finished()));
        if (r.error() != null) {
            o.println("error     " + r.error());
        }
        o.println("files:");
        try (var s = Files.walk(r.directory())) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                o.println(String.format(Locale.ROOT, "  %-50s %,d bytes", r.directory().relativize(p), Files.size(p)));
            }
        }
        printMetrics(r);
    }

    @Descriptor("summarise the finished runs: one row per pipeline and overrides other than training.seed, with the "
            + "number of runs (seeds) and mean ± sample sd of final metrics over them")
    public void summary(
            @Descriptor("only runs of pipelines matching this glob (quote globs in the shell: '*-gmm')")
            @Parameter(names = {"-p", "--pipeline"}, absentValue = "*") String pipelineGlob,
            @Descriptor("only runs whose id matches this glob (quoted, e.g. '20261126-*')")
            @Parameter(names = {"-r", "--runs"}, absentValue = "*") String runGlob,
            @Descriptor("comma-separated metrics, stage.metric or just metric (every stage logging it); default: every "
                    + "final metric all runs of a group share")
            @Parameter(names = {"-m", "--metrics"}, absentValue = "") String metrics,
            @Descriptor("also write the table as Markdown to this file; '-' prints Markdown instead of the plain table")
            @Parameter(names = {"--markdown"}, absentValue = "") String markdownFile,
            @Descriptor("also write the table as CSV (mean, sd, n of each metric in columns of their own) to this file")
            @Parameter(names = {"--csv"}, absentValue = "") String csvFile) throws IOException {
        PathMatcher pipelineMatch = glob(pipelineGlob);
        PathMatcher runMatch = glob(runGlob);
        List<RunInfo> selected = pipelines.runs().stream()
                .filter(r -> pipelineMatch.matches(Path.of(r.pipeline())) && runMatch.matches(Path.of(r.id()))).toList();
        List<RunInfo> finished = selected.stream().filter(r -> r.status() == RunStatus.COMPLETED).toList();
        PrintStream o = out();
        if (finished.isEmpty()) {
            throw new IllegalArgumentException("no finished runs" + (selected.isEmpty() ? "" : " (" + selected.size()
                    + " selected runs are not completed)") + " in " + pipelines.workspace().resolve("runs")
                    + " with pipeline '" + pipelineGlob + "' and run id '" + runGlob + "'");
        }
        List<RunSummary.Group> groups = RunSummary.group(finished);
        List<String> shared = RunSummary.sharedMetrics(groups);
        List<String> keys = metrics.isBlank() ? shared : RunSummary.select(List.of(metrics.split("\\s*,\\s*")),
                finished.stream().flatMap(r -> r.lastMetrics().keySet().stream()).collect(Collectors.toCollection(java.util.TreeSet::new)));
        if (markdownFile.equals("-")) {
            o.print(RunSummary.markdown(groups, keys));
        } else {
            List<String[]> rows = RunSummary.rows(groups, keys);
            Table t = new Table(rows.get(0));
            rows.subList(1, rows.size()).forEach(t::row);
            t.print(o);
        }
        for (RunSummary.Group g : groups) {
            List<String> repeated = g.repeatedSeeds();
            if (!repeated.isEmpty()) {
                o.println("note: " + g.pipeline() + " " + g.overridesText() + " has several runs with seed "
                        + String.join(", ", repeated) + "; they repeat one another rather than sample new seeds");
            }
        }
        if (selected.size() > finished.size()) {
            o.println("(" + (selected.size() - finished.size()) + " failed, interrupted or running runs left out)");
        }
        if (!markdownFile.isEmpty() && !markdownFile.equals("-")) {
            o.println("wrote " + write(markdownFile, RunSummary.markdown(groups, keys)));
        }
        if (!csvFile.isEmpty()) {
            o.println("wrote " + write(csvFile, RunSummary.csv(groups, keys)));
        }
    }

    @Descriptor("draw the training curves of finished runs into one PNG: a panel per stage.metric with value against "
            + "step, a line per run, coloured by group (pipeline and overrides other than training.seed) so the seeds of "
            + "one setting share a colour")
    public void curves(
            @Descriptor("only runs of pipelines matching this glob (quote globs in the shell: '*-gmm')")
            @Parameter(names = {"-p", "--pipeline"}, absentValue = "*") String pipelineGlob,
            @Descriptor("only runs whose id matches this glob (quoted, e.g. '20261126-*')")
            @Parameter(names = {"-r", "--runs"}, absentValue = "*") String runGlob,
            @Descriptor("required: comma-separated metrics, stage.metric or just metric (a panel for every stage logging it)")
            @Parameter(names = {"-m", "--metrics"}, absentValue = "") String metrics,
            @Descriptor("the PNG file to write")
            @Parameter(names = {"-o", "--output"}, absentValue = "curves.png") String output) throws IOException {
        List<RunInfo> selected = RunCurves.selected(pipelines.runs(), pipelineGlob, runGlob);
        List<RunInfo> finished = RunCurves.finished(selected, pipelineGlob, runGlob, pipelines.workspace().resolve("runs"));
        RunCurves.Plot plot = RunCurves.collect(finished,
                metrics.isBlank() ? List.of() : List.of(metrics.trim().split("\\s*,\\s*")));
        PrintStream o = out();
        plot.panels().forEach((key, curves) -> o.println(key + ": " + curves.size() + (curves.size() == 1 ? " run" : " runs")));
        o.println("wrote " + RunCurves.write(plot, output));
        if (selected.size() > finished.size()) {
            o.println("(" + (selected.size() - finished.size()) + " failed, interrupted or running runs left out)");
        }
    }

    private static PathMatcher glob(String glob) {
        return FileSystems.getDefault().getPathMatcher("glob:" + glob);
    }

    /** Writes next to the user's current directory, like any command-line tool. */
    private static Path write(String file, String text) throws IOException {
        Path p = Path.of(file).toAbsolutePath();
        if (p.getParent() != null) {
            Files.createDirectories(p.getParent());
        }
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    @Descriptor("stop a running run")
    public void cancel(@Descriptor("run id") String runId) {
        if (!pipelines.cancel(runId, "cancelled by the user")) {
            throw new IllegalArgumentException("run '" + runId + "' is not running in this workbench");
        }
        out().println("cancelling " + runId);
    }

    // ---- plugins ----

    @Descriptor("install and start a plugin bundle from a jar file or Maven coordinates (group:artifact:version) in the local repository")
    public void install(
            @Descriptor("also copy it to the workspace plugins/ folder so it is installed at every start")
            @Parameter(names = {"-p", "--persist"}, presentValue = "true", absentValue = "false") boolean persist,
            @Descriptor("jar path or group:artifact:version") String what) throws Exception {
        Path jar = PluginLocator.locate(what, pipelines.workspace());
        if (persist) {
            Path plugins = pipelines.workspace().resolve("plugins");
            Files.createDirectories(plugins);
            Path target = plugins.resolve(jar.getFileName());
            Path tmp = Files.createTempFile(plugins, ".", ".jar.tmp");
            Files.copy(jar, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            out().println("copied to " + target + " (FileInstall installs it)");
            return;
        }
        Bundle b = context.installBundle(jar.toUri().toString());
        try {
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                b.start();
            }
        } catch (BundleException e) {
            // A plugin that cannot resolve is removed again, so nothing half-installed stays behind.
            String name = b.getSymbolicName() + " " + b.getVersion();
            b.uninstall();
            throw new BundleException("plugin " + name + " from " + jar + " cannot start and was uninstalled: "
                    + e.getMessage(), e);
        }
        out().println("installed " + b.getSymbolicName() + " " + b.getVersion() + " (bundle " + b.getBundleId() + ")");
        List<String> types = registry.types().stream().filter(t -> t.bundleSymbolicName().equals(b.getSymbolicName()))
                .map(t -> t.descriptor().type()).toList();
        out().println(types.isEmpty() ? "it provides no stage types (yet)" : "stage types: " + String.join(", ", types));
    }

    @Descriptor("stop and uninstall a plugin bundle by symbolic name or bundle id")
    public void uninstall(@Descriptor("symbolic name or bundle id") String which) throws BundleException {
        Bundle b = findBundle(which);
        if (b.getBundleId() == 0 || b.equals(context.getBundle())) {
            throw new IllegalArgumentException("refusing to uninstall " + b.getSymbolicName());
        }
        String name = b.getSymbolicName() + " " + b.getVersion();
        b.uninstall();
        out().println("uninstalled " + name);
    }

    @Descriptor("list the bundles that provide stage types, with their types")
    public void plugins() {
        Map<String, List<String>> byBundle = registry.types().stream().collect(Collectors.groupingBy(
                t -> t.bundleSymbolicName() + " " + t.bundleVersion(), java.util.TreeMap::new,
                Collectors.mapping(t -> t.descriptor().type(), Collectors.toList())));
        Table t = new Table("BUNDLE", "STAGE TYPES");
        byBundle.forEach((b, types) -> t.row(b, String.join(", ", types)));
        t.print(out());
    }

    private Bundle findBundle(String which) {
        for (Bundle b : context.getBundles()) {
            if (which.equals(b.getSymbolicName()) || which.equals(Long.toString(b.getBundleId()))) {
                return b;
            }
        }
        throw new IllegalArgumentException("no bundle '" + which + "' (by symbolic name or id)");
    }

    // ---- features ----

    private FeatureService featureService() {
        FeatureService f = features;
        if (f == null) {
            throw new IllegalStateException("the feature service is not available");
        }
        return f;
    }

    @Descriptor("list the features of the product")
    public void features() {
        Table t = new Table("FEATURE", "INSTALLED", "STAGE TYPES", "DESCRIPTION");
        for (FeatureInfo f : featureService().features()) {
            t.row(f.name(), f.installed() ? "yes" : "no", String.join(", ", f.stageTypes()), f.description());
        }
        t.print(out());
    }

    @Descriptor("install or uninstall a feature: hwb:feature install NAME | hwb:feature uninstall NAME")
    public void feature(@Descriptor("install or uninstall") String action, @Descriptor("feature name") String name) throws Exception {
        switch (action) {
            case "install" -> {
                FeatureInfo f = featureService().install(name);
                out().println("feature " + f.name() + " installed: " + String.join(", ", f.bundles()));
            }
            case "uninstall" -> {
                featureService().uninstall(name);
                out().println("feature " + name + " uninstalled");
            }
            default -> throw new IllegalArgumentException("unknown action '" + action + "': expected install or uninstall");
        }
    }

    private static String firstSentence(String s) {
        int dot = s.indexOf(". ");
        return dot > 0 ? s.substring(0, dot + 1) : s;
    }

}

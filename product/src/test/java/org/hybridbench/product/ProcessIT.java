package org.hybridbench.product;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.hybridbench.launcher.WorkspaceInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The product as users run it: a separate JVM per command ({@code java -cp lib/* …Workbench}), so a run can be
 * killed with SIGKILL and resumed by the next process, and a plugin built from the template by Maven is
 * installed into a running workbench and used by a pipeline.
 */
class ProcessIT {
    static final Path HOME = ProductIT.HOME.toAbsolutePath();

    @TempDir
    Path tmp;

    private static ProcessBuilder workbench(Path workspace, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dorg.bytedeco.javacpp.cachedir=" + System.getProperty("org.bytedeco.javacpp.cachedir"),
                "-cp", HOME.resolve("lib") + File.separator + "*", "org.hybridbench.launcher.Workbench",
                "--home", HOME.toString(), "--workspace", workspace.toString()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true);
    }

    /** Runs to completion; returns exit status and output. */
    private static Result run(ProcessBuilder pb, long timeoutSeconds) throws Exception {
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(timeoutSeconds, TimeUnit.SECONDS), "process did not finish");
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    record Result(int status, String output) {
    }

    @Test
    void aRunKilledWithSigkillResumesFromItsLastCheckpointInTheNextProcess() throws Exception {
        Path ws = WorkspaceInit.init(HOME.resolve("workspace-template"), tmp.resolve("ws"));
        Path plugin = Path.of(System.getProperty("hybridbench.itest.plugin"));
        Files.writeString(ws.resolve("pipelines/counter.json"), """
                {"name": "counter", "stages": {"count": {"type": "test.counter", "config": {"sleepSeconds": 0.1}}},
                 "training": {"epochs": 60, "checkpointEvery": 3}}""");

        Process first = workbench(ws, "exec", "hwb:install " + plugin + " ; hwb:run counter")
                .redirectOutput(tmp.resolve("first.log").toFile()).start();
        Path checkpoint = awaitCheckpoint(ws.resolve("runs/.partial"), first);
        first.destroyForcibly(); // SIGKILL: no shutdown hooks, no cleanup
        assertTrue(first.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, first.exitValue(), "killed by SIGKILL");

        Path partial = checkpoint.getParent().getParent().getParent();
        String id = partial.getFileName().toString();
        assertTrue(Files.readString(partial.resolve("run.json")).contains("\"RUNNING\""), "the killed run still says RUNNING");
        assertFalse(Files.exists(ws.resolve("runs").resolve(id)), "a killed run is not among the completed runs");

        Result resumed = run(workbench(ws, "exec", "hwb:install " + plugin + " ; hwb:runs ; hwb:resume " + id), 120);
        assertEquals(0, resumed.status(), resumed.output());
        assertTrue(resumed.output().contains("interrupted"), "hwb:runs lists the killed run as interrupted:\n" + resumed.output());
        Path done = ws.resolve("runs").resolve(id);
        assertTrue(Files.isDirectory(done), resumed.output());
        assertFalse(Files.exists(partial));

        // the resumed process started after the last checkpoint, not from zero, and finished the count
        List<Integer> resumedFrom = new ArrayList<>();
        int lastCount = 0;
        Pattern from = Pattern.compile("\"resumedFrom\":(\\d+)");
        Pattern count = Pattern.compile("\"count\":(\\d+)");
        for (String line : Files.readAllLines(done.resolve("metrics.jsonl"))) {
            Matcher m = from.matcher(line);
            if (m.find()) {
                resumedFrom.add(Integer.parseInt(m.group(1)));
            }
            Matcher c = count.matcher(line);
            if (c.find()) {
                lastCount = Integer.parseInt(c.group(1));
            }
        }
        assertEquals(2, resumedFrom.size(), resumedFrom.toString());
        assertEquals(0, resumedFrom.get(0));
        assertTrue(resumedFrom.get(1) >= 3 && resumedFrom.get(1) % 3 == 0, "resumed from a checkpoint epoch: " + resumedFrom);
        assertEquals(60, lastCount);
        assertTrue(Files.readString(done.resolve("run.json")).contains("\"resumed\""));
    }

    private static Path awaitCheckpoint(Path partialRuns, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && p.isAlive()) {
            if (Files.isDirectory(partialRuns)) {
                try (Stream<Path> s = Files.walk(partialRuns)) {
                    List<Path> ckpt = s.filter(f -> f.getFileName().toString().equals("count.ckpt")).toList();
                    if (!ckpt.isEmpty() && Files.size(ckpt.get(0)) == 4 && countAtLeast(ckpt.get(0), 6)) {
                        return ckpt.get(0);
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no checkpoint appeared (process alive: " + p.isAlive() + ")");
    }

    private static boolean countAtLeast(Path ckpt, int n) throws IOException {
        byte[] b = Files.readAllBytes(ckpt);
        return b.length == 4 && ((b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF)) >= n;
    }

    @Test
    void thePluginTemplateBuildsAgainstTheSdkAndItsStageRunsInAPipeline() throws Exception {
        Path template = Path.of(System.getProperty("hybridbench.plugin.template"));
        Path project = tmp.resolve("my-plugin");
        copyTree(template, project);
        List<String> mvn = new ArrayList<>(List.of("mvn", "-B", "-q", "package",
                "-Dmaven.repo.local=" + System.getProperty("maven.repo.local.for.tests")));
        Result build = run(new ProcessBuilder(mvn).directory(project.toFile()).redirectErrorStream(true), 600);
        assertEquals(0, build.status(), "the plugin template must build against the SDK:\n" + build.output());
        Path jar = project.resolve("target/org.example.binarize-1.0.0.jar");
        assertTrue(Files.isRegularFile(jar));

        Path ws = WorkspaceInit.init(HOME.resolve("workspace-template"), tmp.resolve("ws"));
        Path pipeline = project.resolve("pipelines/binarized-digits-gmm.json");
        Result used = run(workbench(ws, "exec", "hwb:install " + jar + " ; hwb:run " + pipeline), 180);
        assertEquals(0, used.status(), used.output());
        assertTrue(used.output().contains("stage types: example.binarize"), used.output());
        assertTrue(used.output().contains("binarize (example.binarize from org.example.binarize 1.0.0)"), used.output());
        try (Stream<Path> runs = Files.list(ws.resolve("runs"))) {
            Path run = runs.filter(p -> p.getFileName().toString().endsWith("binarized-digits-gmm")).findFirst().orElseThrow();
            assertTrue(Files.readString(run.resolve("bundles.json")).contains("org.example.binarize"));
            assertTrue(Files.readString(run.resolve("metrics.jsonl")).contains("\"onesFraction\""));
        }
    }

    /** The CNN + CRF tagger (DL4J inside the workbench) trains on the offline Brown fixture and writes its results. */
    @Test
    void theCnnCrfTaggerRunsInTheProduct() throws Exception {
        Path ws = WorkspaceInit.init(HOME.resolve("workspace-template"), tmp.resolve("ws"));
        Result r = run(workbench(ws, "run", "brown-cnn-crf-fixture"), 600);
        assertEquals(0, r.status(), r.output());
        try (Stream<Path> runs = Files.list(ws.resolve("runs"))) {
            Path run = runs.filter(p -> p.getFileName().toString().endsWith("brown-cnn-crf-fixture")).findFirst().orElseThrow();
            assertTrue(Files.size(run.resolve("model-tagger.bin")) > 100_000, "the trained model");
            assertTrue(Files.size(run.resolve("confusion-eval.png")) > 1_000, "the confusion matrix picture");
            String metrics = Files.readString(run.resolve("metrics.jsonl"));
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"testAccuracy\":([0-9.]+)").matcher(metrics);
            assertTrue(m.find(), metrics);
            double accuracy = Double.parseDouble(m.group(1));
            assertTrue(accuracy > 0.85, "fixture test accuracy " + accuracy);
        }
    }

    /**
     * Two workbench processes on one workspace at once (a sweep) — each gets its own framework storage — while one runs
     * issue 5's four phone recognisers on the speech fixture: stage-level training regimes, the classifier's network
     * handed to the end-to-end hybrid, which improves on its own (separately trained) start on the dev utterances.
     */
    @Test
    void twoProcessesShareAWorkspaceWhileTheSpeechHybridRuns() throws Exception {
        Path ws = WorkspaceInit.init(HOME.resolve("workspace-template"), tmp.resolve("ws"));
        var speech = java.util.concurrent.CompletableFuture.supplyAsync(() -> runUnchecked(workbench(ws, "run", "speech-hybrid-fixture"), 900));
        Thread.sleep(2_000); // let the first one start its framework
        Result gmm = run(workbench(ws, "run", "digits-gmm-fixture"), 600);
        Result hybrid = speech.get();
        assertEquals(0, gmm.status(), gmm.output());
        assertEquals(0, hybrid.status(), hybrid.output());
        try (Stream<Path> runs = Files.list(ws.resolve("runs"))) {
            Path run = runs.filter(p -> p.getFileName().toString().endsWith("speech-hybrid-fixture")).findFirst().orElseThrow();
            List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
            // phones trains 8 Baum-Welch iterations (its own training.epochs), the network 15 epochs, the hybrid 6
            assertEquals(9, lines.stream().filter(l -> l.contains("\"stage\":\"phones\"") && l.contains("\"logLikelihood\"")).count());
            assertEquals(15, lines.stream().filter(l -> l.contains("\"stage\":\"frames\"") && l.contains("\"devFrameAccuracy\"")).count());
            List<Double> devPer = values(lines, "hybrid", "devPhoneErrorRate");
            assertEquals(7, devPer.size(), "epochs 0..6");
            assertEquals(2, values(lines, "hybrid", "testPhoneErrorRate").size(), "test at the start and the end");
            assertTrue(devPer.get(6) < devPer.get(0), "end-to-end training improves on the separately trained start: " + devPer);
            assertTrue(Files.size(run.resolve("network-hybrid.bin")) > 100_000, "the jointly trained network");
        }
        try (Stream<Path> cache = Files.list(ws.resolve(".cache"))) {
            assertEquals(List.of(), cache.filter(p -> p.getFileName().toString().startsWith("felix")).toList(),
                    "each process removed its framework storage");
        }
    }

    private static Result runUnchecked(ProcessBuilder pb, long timeoutSeconds) {
        try {
            return run(pb, timeoutSeconds);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The values of {@code metric} logged by {@code stage}, in order. */
    private static List<Double> values(List<String> lines, String stage, String metric) {
        java.util.regex.Pattern p = java.util.regex.Pattern.compile("\"" + metric + "\":([-0-9.eE]+)");
        List<Double> out = new ArrayList<>();
        for (String l : lines) {
            if (l.contains("\"stage\":\"" + stage + "\"")) {
                java.util.regex.Matcher m = p.matcher(l);
                if (m.find()) {
                    out.add(Double.parseDouble(m.group(1)));
                }
            }
        }
        return out;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.sorted(Comparator.naturalOrder()).toList()) {
                Path rel = from.relativize(p);
                if (rel.toString().startsWith("target")) {
                    continue;
                }
                Path t = to.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }
}

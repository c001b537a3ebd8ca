package org.hybridbench.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.felix.service.command.CommandProcessor;
import org.hybridbench.api.workbench.PipelineService;
import org.hybridbench.api.workbench.PipelineValidationException;
import org.hybridbench.api.workbench.RunFailedException;
import org.hybridbench.api.workbench.RunInfo;
import org.hybridbench.api.workbench.RunStatus;
import org.hybridbench.api.workbench.StageRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/**
 * A plugin bundle installed at run time contributes stage types that pipelines use at once; a running pipeline
 * whose stage's bundle goes away stops naming it; uninstalling removes its types.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class PluginLifecycleIT {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @InjectBundleContext
    BundleContext context;
    @InjectService
    PipelineService pipelines;
    @InjectService
    StageRegistry registry;
    @InjectService
    CommandProcessor gogo;

    private Bundle plugin() {
        for (Bundle b : context.getBundles()) {
            if ("org.hybridbench.itest.plugin".equals(b.getSymbolicName())) {
                return b;
            }
        }
        return null;
    }

    @Test
    void installUseLoseAndUninstallAPlugin() throws Exception {
        Path jar = Path.of(context.getProperty("hybridbench.itest.plugin"));
        assertTrue(Files.isRegularFile(jar), jar.toString());
        assertFalse(registry.type("test.scale").isPresent(), "plugin types must not exist before the install");

        String installed = Workspace.gogo(gogo, "hwb:install " + jar);
        assertTrue(installed.contains("installed org.hybridbench.itest.plugin") && installed.contains("test.scale"), installed);
        assertEquals("org.hybridbench.itest.plugin", registry.type("test.scale").orElseThrow().bundleSymbolicName());

        try {
            // the plugin's stage runs inside a pipeline with the family stages
            Path file = Workspace.writePipeline(pipelines, "with-plugin", Workspace.digitsPipeline("with-plugin",
                    "\"scale\": {\"type\": \"test.scale\", \"config\": {\"factor\": 3}, \"inputs\": {\"dataset\": \"digits.dataset\"}},",
                    "scale.dataset", 5));
            RunInfo run = pipelines.run(file, QUIET);
            assertEquals(RunStatus.COMPLETED, run.status());
            assertEquals(3.0, run.lastMetrics().get("scale.factor"));
            assertTrue(Files.readString(run.directory().resolve("bundles.json")).contains("org.hybridbench.itest.plugin"));

            // a plugin stage that throws: the error names stage, bundle and row; the run is not among the runs
            Path failing = Workspace.writePipeline(pipelines, "plugin-fails", Workspace.digitsPipeline("plugin-fails",
                    "\"bad\": {\"type\": \"test.fail\", \"inputs\": {\"dataset\": \"digits.dataset\"}},", "bad.dataset", 5));
            RunFailedException failed = assertThrows(RunFailedException.class, () -> pipelines.run(failing, QUIET));
            assertTrue(failed.getMessage().contains("stage 'bad' (org.hybridbench.itest.plugin") && failed.getMessage().contains("row 3"),
                    failed.getMessage());
            Path failedDir = pipelines.workspace().resolve("runs/.failed").resolve(failed.runId());
            assertTrue(Files.exists(failedDir.resolve("error.txt")));
            assertFalse(Files.exists(pipelines.workspace().resolve("runs").resolve(failed.runId())));

            // the bundle providing a running stage goes away: the run stops and says which bundle
            Path slow = Workspace.writePipeline(pipelines, "slow", """
                    {"name": "slow", "stages": {"wait": {"type": "test.slow", "config": {"seconds": 120}}}}""");
            ExecutorService exec = Executors.newSingleThreadExecutor();
            try {
                Future<RunInfo> running = exec.submit(() -> pipelines.run(slow, QUIET));
                Path started = awaitStartedMarker();
                assertTrue(Files.exists(started));
                long t0 = System.nanoTime();
                plugin().stop();
                ExecutionException e = assertThrows(ExecutionException.class, () -> running.get(30, TimeUnit.SECONDS));
                assertTrue(e.getCause() instanceof RunFailedException, String.valueOf(e.getCause()));
                String message = e.getCause().getMessage();
                assertTrue(message.contains("stage 'wait'") && message.contains("bundle org.hybridbench.itest.plugin")
                        && message.contains("went away"), message);
                assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(30), "the run should stop promptly");
            } finally {
                exec.shutdownNow();
            }
            assertFalse(registry.type("test.scale").isPresent(), "a stopped plugin's types are gone");
            plugin().start();
            assertTrue(registry.type("test.scale").isPresent(), "a restarted plugin's types are back");
        } finally {
            String out = Workspace.gogo(gogo, "hwb:uninstall org.hybridbench.itest.plugin");
            assertTrue(out.contains("uninstalled org.hybridbench.itest.plugin"), out);
        }
        assertEquals(null, plugin());
        assertFalse(registry.type("test.scale").isPresent(), "an uninstalled plugin's types are gone");
        PipelineValidationException gone = assertThrows(PipelineValidationException.class,
                () -> pipelines.validate(pipelines.resolve("with-plugin")));
        assertTrue(gone.getMessage().contains("no installed bundle provides stage type 'test.scale'"), gone.getMessage());
    }

    private Path awaitStartedMarker() throws Exception {
        Path partial = pipelines.workspace().resolve("runs/.partial");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(partial)) {
                try (var s = Files.list(partial)) {
                    for (Path run : s.toList()) {
                        if (run.getFileName().toString().contains("-slow") && Files.exists(run.resolve("started"))) {
                            return run.resolve("started");
                        }
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the slow stage never started");
    }
}

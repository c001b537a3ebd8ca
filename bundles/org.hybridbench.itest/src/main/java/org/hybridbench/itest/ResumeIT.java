package org.hybridbench.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.felix.service.command.CommandProcessor;
import org.hybridbench.api.workbench.PipelineService;
import org.hybridbench.api.workbench.RunFailedException;
import org.hybridbench.api.workbench.RunInfo;
import org.hybridbench.api.workbench.RunStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/**
 * A run whose process died resumes from its last checkpoint. Inside one framework the death is simulated: the
 * run directory is put back in runs/.partial with the pid of a process that has exited, exactly what a kill -9
 * leaves; the real kill -9 is exercised against the launcher in the product tests.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class ResumeIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    static Bundle plugin;

    /** Installed by Maven coordinates from the local repository, as a user would install a published plugin. */
    @BeforeAll
    static void installPlugin(@InjectBundleContext BundleContext context, @InjectService CommandProcessor gogo) throws Exception {
        String gav = context.getProperty("hybridbench.itest.plugin.gav");
        String out = Workspace.gogo(gogo, "hwb:install " + gav);
        assertTrue(out.contains("installed org.hybridbench.itest.plugin"), out);
        for (Bundle b : context.getBundles()) {
            if ("org.hybridbench.itest.plugin".equals(b.getSymbolicName())) {
                plugin = b;
            }
        }
        assertEquals(Bundle.ACTIVE, plugin.getState());
        assertTrue(plugin.getLocation().contains(".m2/repository/org/hybridbench/org.hybridbench.itest.plugin/"), plugin.getLocation());
    }

    @AfterAll
    static void uninstallPlugin() throws Exception {
        plugin.uninstall();
    }

    @Test
    void anInterruptedRunResumesFromItsLastCheckpoint(@InjectService PipelineService pipelines) throws Exception {
        // 10 epochs with a checkpoint every 3, then a failure: the checkpoint holds epoch 9
        Path file = Workspace.writePipeline(pipelines, "counter", """
                {"name": "counter", "stages": {
                   "count": {"type": "test.counter"},
                   "digits": {"type": "dataset.mnist", "config": {"source": "fixture", "limit": 10}},
                   "boom": {"type": "test.fail", "inputs": {"dataset": "digits.dataset"}}},
                 "training": {"epochs": 10, "checkpointEvery": 3}}""");
        RunFailedException failed = assertThrows(RunFailedException.class, () -> pipelines.run(file, QUIET));
        Path runs = pipelines.workspace().resolve("runs");
        Path partial = runs.resolve(".partial").resolve(failed.runId());
        Files.move(runs.resolve(".failed").resolve(failed.runId()), partial, StandardCopyOption.ATOMIC_MOVE);

        // what kill -9 leaves: status RUNNING, the pid of a dead process, and a pipeline that would now succeed
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        ObjectNode runJson = (ObjectNode) JSON.readTree(partial.resolve("run.json").toFile());
        runJson.put("status", "RUNNING");
        runJson.put("pid", dead.pid());
        runJson.remove("error");
        Files.writeString(partial.resolve("run.json"), runJson.toPrettyString());
        ObjectNode pipeline = (ObjectNode) JSON.readTree(partial.resolve("pipeline.json").toFile());
        ((ObjectNode) pipeline.get("stages")).remove("boom");
        Files.writeString(partial.resolve("pipeline.json"), pipeline.toPrettyString());
        Files.delete(partial.resolve("error.txt"));

        assertEquals(RunStatus.INTERRUPTED, pipelines.run(failed.runId()).orElseThrow().status());
        RunInfo resumed = pipelines.resume(failed.runId(), QUIET);
        assertEquals(RunStatus.COMPLETED, resumed.status());
        assertEquals(runs.resolve(failed.runId()), resumed.directory());

        List<Double> resumedFrom = new ArrayList<>();
        for (String line : Workspace.lines(resumed.directory().resolve("metrics.jsonl"))) {
            JsonNode n = JSON.readTree(line);
            if (n.has("resumedFrom")) {
                resumedFrom.add(n.get("resumedFrom").asDouble());
            }
        }
        assertEquals(List.of(0.0, 9.0), resumedFrom, "first run starts at 0, the resumed one at the checkpoint of epoch 9");
        assertEquals(10.0, resumed.lastMetrics().get("count.count"));
        assertTrue(JSON.readTree(resumed.directory().resolve("run.json").toFile()).get("resumed").size() == 1);
    }
}

package org.hybridbench.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.felix.service.command.CommandProcessor;
import org.hybridbench.api.workbench.PipelineService;
import org.hybridbench.api.workbench.RunInfo;
import org.hybridbench.api.workbench.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;

/**
 * The first real pipeline, wired through the registry from four bundles: real MNIST digits (committed fixture)
 * → PCA → Gaussian-mixture EM → clustering metrics.
 */
@ExtendWith(ServiceExtension.class)
class PipelineRunIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @InjectService
    PipelineService pipelines;

    @Test
    void digitsGmmPipelineRunsEndToEndAndLeavesACompleteRunDirectory() throws Exception {
        Path file = Workspace.writePipeline(pipelines, "it-digits-gmm", Workspace.digitsPipeline("it-digits-gmm", "", "digits.dataset", 40));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RunInfo run = pipelines.run(file, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);

        assertEquals(RunStatus.COMPLETED, run.status(), out);
        Path dir = run.directory();
        assertEquals(pipelines.workspace().resolve("runs").resolve(run.id()), dir);
        assertFalse(Files.exists(pipelines.workspace().resolve("runs/.partial").resolve(run.id())), "partial directory left behind");

        // the resolved pipeline has every default filled in
        JsonNode resolved = JSON.readTree(dir.resolve("pipeline.json").toFile());
        assertTrue(resolved.at("/stages/gmm/config").size() > 2, resolved.toPrettyString());
        assertTrue(resolved.at("/stages/pca/config/whiten").isBoolean(), resolved.toPrettyString());
        assertEquals(5, resolved.at("/training/checkpointEvery").intValue());

        // the bundles that ran it
        JsonNode bundles = JSON.readTree(dir.resolve("bundles.json").toFile());
        assertEquals("org.hybridbench.mixture", bundles.at("/stages/gmm/bundle").asText());
        assertEquals("org.hybridbench.data", bundles.at("/stages/digits/bundle").asText());

        // EM never decreases the log-likelihood (metrics as JSON lines)
        List<Double> ll = new ArrayList<>();
        for (String line : Workspace.lines(dir.resolve("metrics.jsonl"))) {
            JsonNode n = JSON.readTree(line);
            if (n.path("stage").asText().equals("gmm") && n.has("logLikelihood")) {
                ll.add(n.get("logLikelihood").asDouble());
            }
        }
        assertTrue(ll.size() >= 2, "EM logged " + ll.size() + " iterations");
        for (int i = 1; i < ll.size(); i++) {
            assertTrue(ll.get(i) >= ll.get(i - 1) - 1e-9 * Math.abs(ll.get(i - 1)), "log-likelihood fell at iteration " + i + ": " + ll);
        }

        // real work, not chance: 10 clusters of 10 digit classes score well above the 0.1 of random assignment
        double purity = run.lastMetrics().get("eval.purity");
        assertTrue(purity > 0.35, "purity " + purity);
        assertTrue(Files.isRegularFile(dir.resolve("model-gmm.json")), "final model missing");
        assertTrue(out.contains("[4/4] eval") && out.contains("completed"), out);
    }

    @Test
    void theShellRunsAPipelineAndListsIt(@InjectService CommandProcessor gogo) throws Exception {
        Workspace.writePipeline(pipelines, "it-shell", Workspace.digitsPipeline("it-shell", "", "digits.dataset", 5));
        String out = Workspace.gogo(gogo, "hwb:run it-shell");
        assertTrue(out.contains("completed") && out.contains("eval.purity"), out);
        String runs = Workspace.gogo(gogo, "hwb:runs");
        assertTrue(runs.contains("it-shell") && runs.contains("completed"), runs);
        String id = pipelines.runs().stream().filter(r -> r.pipeline().equals("it-shell")).findFirst().orElseThrow().id();
        String show = Workspace.gogo(gogo, "hwb:show " + id);
        assertTrue(show.contains("pipeline.json") && show.contains("metrics.jsonl") && show.contains("model-gmm.json"), show);
        String validate = Workspace.gogo(gogo, "hwb:validate it-shell");
        assertTrue(validate.contains("valid") && validate.contains("\"checkpointEvery\" : 5"), validate);
    }
}

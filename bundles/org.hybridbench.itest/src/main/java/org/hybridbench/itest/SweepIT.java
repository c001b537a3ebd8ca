package org.hybridbench.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.felix.service.command.CommandProcessor;
import org.hybridbench.api.workbench.PipelineService;
import org.hybridbench.api.workbench.PipelineValidationException;
import org.hybridbench.api.workbench.RunInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;

/**
 * A seed sweep from the shell: one pipeline file run with overrides (two seeds, one changed setting), each run
 * recording its overrides and overridden values, and {@code hwb:summary} reporting the two seeds as one group.
 */
@ExtendWith(ServiceExtension.class)
class SweepIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @InjectService
    PipelineService pipelines;

    @InjectService
    CommandProcessor gogo;

    @Test
    void runsWithOverridesRecordThemAndTheSummaryGroupsTheSeeds() throws Exception {
        // a fresh name: the itest workspace keeps the runs of earlier builds
        String name = "it-sweep-" + System.currentTimeMillis();
        Workspace.writePipeline(pipelines, name, Workspace.digitsPipeline(name, "", "digits.dataset", 5));

        String validated = Workspace.gogo(gogo, "hwb:validate " + name + " training.epochs=3");
        assertTrue(validated.contains("valid with training.epochs=3") && validated.contains("\"epochs\" : 3"), validated);

        for (int seed = 1; seed <= 2; seed++) {
            String out = Workspace.gogo(gogo, "hwb:run " + name + " training.seed=" + seed + " stages.gmm.config.components=4");
            assertTrue(out.contains("completed"), out);
        }
        List<RunInfo> runs = pipelines.runs().stream().filter(r -> r.pipeline().equals(name)).toList();
        assertEquals(2, runs.size(), runs::toString);
        for (RunInfo r : runs) {
            JsonNode runJson = JSON.readTree(r.directory().resolve("run.json").toFile());
            assertEquals(List.of("training.seed=" + r.seed(), "stages.gmm.config.components=4"),
                    List.of(runJson.at("/overrides/0").asText(), runJson.at("/overrides/1").asText()), runJson.toPrettyString());
            assertEquals(2, runJson.get("overrides").size());
            JsonNode resolved = JSON.readTree(r.directory().resolve("pipeline.json").toFile());
            assertEquals(4, resolved.at("/stages/gmm/config/components").intValue(), resolved.toPrettyString());
            assertEquals(r.seed().longValue(), resolved.at("/training/seed").longValue());
        }
        assertEquals(new TreeSet<>(List.of(1L, 2L)), new TreeSet<>(runs.stream().map(RunInfo::seed).toList()));

        Path csv = pipelines.workspace().resolve("summary-" + name + ".csv");
        String summary = Workspace.gogo(gogo, "hwb:summary --pipeline " + name + " --metrics purity --csv " + csv);
        assertTrue(summary.contains("stages.gmm.config.components=4") && summary.contains("eval.purity")
                && summary.contains("1,2"), summary);
        List<String> lines = Files.readAllLines(csv);
        assertEquals(2, lines.size(), "one header and one group: " + lines);
        String[] cells = lines.get(1).split(",");
        assertEquals(name, cells[0]);
        assertEquals("stages.gmm.config.components=4", cells[1]);
        assertEquals("2", cells[2]);
        double a = runs.get(0).lastMetrics().get("eval.purity");
        double b = runs.get(1).lastMetrics().get("eval.purity");
        assertEquals((a + b) / 2, Double.parseDouble(cells[4]), 1e-12);
        // the sample sd of two values is |a - b| / sqrt(2)
        assertEquals(Math.abs(a - b) / Math.sqrt(2), Double.parseDouble(cells[5]), 1e-12);
    }

    @Test
    void aMisspeltOverrideNamesWhatExistsAndRunsNothing() throws Exception {
        String name = "it-sweep-bad";
        Workspace.writePipeline(pipelines, name, Workspace.digitsPipeline(name, "", "digits.dataset", 5));
        TreeSet<String> before = Workspace.listing(pipelines);
        PipelineValidationException e = assertThrows(PipelineValidationException.class,
                () -> Workspace.gogo(gogo, "hwb:run " + name + " stages.gmn.config.components=4 stages.pca.config.component=3"));
        assertEquals(before, Workspace.listing(pipelines), "an invalid override must write nothing under runs/");
        assertTrue(e.getMessage().contains("override \"stages.gmn.config.components=4\"")
                && e.getMessage().contains("its stages are [digits, pca, gmm, eval]"), e.getMessage());
        assertTrue(e.getMessage().contains("stage 'pca' (type 'transform.pca') has no configuration field 'component'")
                && e.getMessage().contains("components"), e.getMessage());
    }
}

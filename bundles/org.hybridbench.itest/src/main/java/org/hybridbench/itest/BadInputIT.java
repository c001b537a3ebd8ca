package org.hybridbench.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.TreeSet;

import org.apache.felix.service.command.CommandProcessor;
import org.hybridbench.api.ConfigParam;
import org.hybridbench.api.PortSpec;
import org.hybridbench.api.PortTypes;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageDescriptor;
import org.hybridbench.api.StageException;
import org.hybridbench.api.StageProvider;
import org.hybridbench.api.StageRole;
import org.hybridbench.api.workbench.PipelineService;
import org.hybridbench.api.workbench.PipelineValidationException;
import org.hybridbench.api.workbench.RunFailedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/** Every kind of bad input gives a clear error and leaves no partial run. */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class BadInputIT {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @InjectService
    PipelineService pipelines;

    @InjectBundleContext
    BundleContext context;

    private PipelineValidationException invalid(String name, String json) throws Exception {
        Path file = Workspace.writePipeline(pipelines, name, json);
        TreeSet<String> before = Workspace.listing(pipelines);
        PipelineValidationException e = assertThrows(PipelineValidationException.class, () -> pipelines.run(file, QUIET));
        assertEquals(before, Workspace.listing(pipelines), "a pipeline that does not validate must write nothing under runs/");
        assertTrue(e.getMessage().contains(file.toString()), "error should name the file: " + e.getMessage());
        return e;
    }

    @Test
    void malformedJson() throws Exception {
        var e = invalid("bad-json", "{\"name\": \"bad-json\", \"stages\": {\n  \"a\": {\"type\": \"dataset.mnist\",}\n}}");
        assertTrue(e.getMessage().contains("malformed JSON at line 2"), e.getMessage());
    }

    @Test
    void unknownStageTypeListsInstalledTypes() throws Exception {
        var e = invalid("bad-type", Workspace.digitsPipeline("bad-type", "", "digits.dataset", 3).replace("model.gmm.em", "model.hmm.em"));
        assertTrue(e.getMessage().contains("$.stages.gmm.type: no installed bundle provides stage type 'model.hmm.em'"), e.getMessage());
        assertTrue(e.getMessage().contains("installed: ") && e.getMessage().contains("model.gmm.em"), e.getMessage());
    }

    @Test
    void badConfigValuesAndMissingRequiredConfig() throws Exception {
        ServiceRegistration<StageProvider> reg = registerRequiringStage();
        try {
            String json = Workspace.digitsPipeline("bad-config", "\"req\": {\"type\": \"test.required\", \"inputs\": {\"dataset\": \"digits.dataset\"}},",
                    "digits.dataset", 3).replace("\"components\": 15", "\"components\": \"fifteen\"");
            var e = invalid("bad-config", json);
            List<String> paths = e.problems().stream().map(p -> p.jsonPath()).toList();
            assertTrue(paths.contains("$.stages.req.config.alpha"), e.getMessage());
            assertTrue(e.getMessage().contains("required configuration field is missing: expected a number in [0, 1]"), e.getMessage());
            assertTrue(e.getMessage().contains("$.stages.pca.config.components: expected an integer in [1,"), e.getMessage());
            assertTrue(e.getMessage().contains("found string \"fifteen\""), e.getMessage());
        } finally {
            reg.unregister();
        }
    }

    @Test
    void wrongPortWiring() throws Exception {
        var e = invalid("bad-wiring", Workspace.digitsPipeline("bad-wiring", "", "digits.dataset", 3)
                .replace("\"predictions\": \"gmm.predictions\"", "\"predictions\": \"gmm.model\""));
        assertTrue(e.getMessage().contains("$.stages.eval.inputs.predictions: input 'predictions' expects predictions but \"gmm.model\" gives emission-model"),
                e.getMessage());
    }

    @Test
    void aStageThatThrowsFailsTheRunNamingStageAndBundleAndLeavesNoPartialRun() throws Exception {
        ServiceRegistration<StageProvider> reg = registerRequiringStage();
        try {
            Path file = Workspace.writePipeline(pipelines, "throws", Workspace.digitsPipeline("throws",
                    "\"req\": {\"type\": \"test.required\", \"config\": {\"alpha\": 0.5}, \"inputs\": {\"dataset\": \"digits.dataset\"}},",
                    "req.dataset", 3));
            RunFailedException e = assertThrows(RunFailedException.class, () -> pipelines.run(file, QUIET));
            assertTrue(e.getMessage().startsWith("stage 'req' (org.hybridbench.itest "), e.getMessage());
            assertTrue(e.getMessage().contains("row 7 has alpha 0.5"), e.getMessage());
            Path runs = pipelines.workspace().resolve("runs");
            assertFalse(Files.exists(runs.resolve(e.runId())), "a failed run must not appear among the runs");
            assertFalse(Files.exists(runs.resolve(".partial").resolve(e.runId())));
            Path failed = runs.resolve(".failed").resolve(e.runId());
            assertTrue(Files.readString(failed.resolve("error.txt")).contains("row 7 has alpha 0.5"));
            assertTrue(Files.readString(failed.resolve("run.json")).contains("\"FAILED\""));
        } finally {
            reg.unregister();
        }
    }

    @Test
    void aPluginThatCannotResolveIsReportedAndRemoved(@InjectService CommandProcessor gogo) throws Exception {
        Path jar = Workspace.unresolvableBundle(pipelines.workspace().resolve("tmp"));
        Exception e = assertThrows(Exception.class, () -> Workspace.gogo(gogo, "hwb:install " + jar));
        assertTrue(e.getMessage().contains("org.example.broken") && e.getMessage().contains("org.example.does.not.exist"), e.getMessage());
        for (Bundle b : context.getBundles()) {
            assertFalse("org.example.broken".equals(b.getSymbolicName()), "the broken plugin must not stay installed");
        }
        Exception missing = assertThrows(Exception.class, () -> Workspace.gogo(gogo, "hwb:install org.example:nothing:1.0"));
        assertTrue(missing.getMessage().contains("not in the local repository"), missing.getMessage());
    }

    /** {@code test.required}: a required real-valued field, and a run that fails naming a row. */
    private ServiceRegistration<StageProvider> registerRequiringStage() {
        StageDescriptor d = StageDescriptor.builder("test.required", StageRole.TRANSFORM)
                .config(ConfigParam.number("alpha", null, 0, 1, "mixing weight"))
                .input(PortSpec.required("dataset", PortTypes.DATASET, ""))
                .output(PortSpec.output("dataset", PortTypes.DATASET, "")).build();
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(StageProvider.TYPE_PROPERTY, "test.required");
        return context.registerService(StageProvider.class, new StageProvider() {
            @Override
            public StageDescriptor descriptor() {
                return d;
            }

            @Override
            public org.hybridbench.api.Stage create(StageConfig config) {
                double alpha = config.getDouble("alpha");
                return (io, ctx) -> {
                    throw new StageException("row 7 has alpha " + alpha + " and cannot be used");
                };
            }
        }, props);
    }
}

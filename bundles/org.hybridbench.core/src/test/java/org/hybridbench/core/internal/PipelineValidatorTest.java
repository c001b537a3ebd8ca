package org.hybridbench.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.hybridbench.api.ConfigParam;
import org.hybridbench.api.PortSpec;
import org.hybridbench.api.PortTypes;
import org.hybridbench.api.StageDescriptor;
import org.hybridbench.api.StageRole;
import org.hybridbench.api.workbench.PipelineValidationException;
import org.hybridbench.api.workbench.ValidationProblem;
import org.junit.jupiter.api.Test;

class PipelineValidatorTest {

    static final StageDescriptor DATA = StageDescriptor.builder("dataset.test", StageRole.DATASET)
            .config(ConfigParam.integer("limit", 0L, 0, 1000, "rows"))
            .output(PortSpec.output("dataset", PortTypes.DATASET, "rows")).build();
    static final StageDescriptor GMM = StageDescriptor.builder("model.test", StageRole.TRAINER)
            .config(ConfigParam.integer("components", null, 1, 100, "mixture components"))
            .config(ConfigParam.number("tolerance", 1e-6, 0, 1, ""))
            .config(ConfigParam.choice("covariance", "diagonal", List.of("diagonal", "full"), ""))
            .config(ConfigParam.bool("verbose", false, ""))
            .input(PortSpec.required("dataset", PortTypes.DATASET, "training rows"))
            .output(PortSpec.output("predictions", PortTypes.PREDICTIONS, ""))
            .output(PortSpec.output("model", PortTypes.EMISSION_MODEL, "")).build();
    static final StageDescriptor METRIC = StageDescriptor.builder("metric.test", StageRole.METRIC)
            .input(PortSpec.required("predictions", PortTypes.PREDICTIONS, "")).build();

    static final TypeLookup TYPES = new TypeLookup() {
        final Map<String, StageDescriptor> m = new TreeMap<>(Map.of(DATA.type(), DATA, GMM.type(), GMM, METRIC.type(), METRIC));

        @Override
        public Optional<StageDescriptor> descriptor(String type) {
            return Optional.ofNullable(m.get(type));
        }

        @Override
        public List<String> installedTypes() {
            return List.copyOf(m.keySet());
        }

        @Override
        public Optional<String> featureProviding(String type) {
            return type.equals("crf.linear") ? Optional.of("crf") : Optional.empty();
        }
    };

    static final String GOOD = """
            {"name": "p1", "stages": {
               "data": {"type": "dataset.test"},
               "gmm":  {"type": "model.test", "config": {"components": 3}, "inputs": {"dataset": "data.dataset"}},
               "eval": {"type": "metric.test", "inputs": {"predictions": "gmm.predictions"}}
             }, "training": {"epochs": 5, "seed": 7}}
            """;

    private static List<ValidationProblem> problems(String json) {
        PipelineValidationException e = assertThrows(PipelineValidationException.class,
                () -> new PipelineValidator(TYPES).validate("pipelines/p.json", json));
        return e.problems();
    }

    private static void assertProblem(List<ValidationProblem> problems, String path, String... fragments) {
        ValidationProblem p = problems.stream().filter(x -> x.jsonPath().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError("no problem at " + path + " in " + problems));
        assertEquals("pipelines/p.json", p.file());
        for (String f : fragments) {
            assertTrue(p.message().contains(f), () -> "'" + p.message() + "' should contain '" + f + "'");
        }
    }

    @Test
    void validPipelineResolvesDefaultsAndOrdersByWiring() throws Exception {
        String reordered = GOOD.replace("\"data\": {\"type\": \"dataset.test\"},", "")
                .replace("\"eval\":", "\"data\": {\"type\": \"dataset.test\"}, \"eval\":");
        ValidatedPipeline vp = new PipelineValidator(TYPES).validate("p.json", reordered);
        assertEquals(List.of("data", "gmm", "eval"), vp.order());
        var gmm = vp.configs().get("gmm");
        assertEquals(3, gmm.getInt("components"));
        assertEquals(1e-6, gmm.getDouble("tolerance"));
        assertEquals("diagonal", gmm.getString("covariance"));
        assertEquals(false, gmm.getBoolean("verbose"));
        assertEquals(0L, vp.resolved().at("/stages/data/config/limit").longValue());
        assertEquals(5, vp.resolved().at("/training/epochs").intValue());
        assertEquals(0, vp.resolved().at("/training/checkpointEvery").intValue());
        assertEquals("data.dataset", vp.resolved().at("/stages/gmm/inputs/dataset").textValue());
    }

    @Test
    void aStageMaySetItsOwnTrainingFieldsAndKeepsTheRunSeed() throws Exception {
        String json = GOOD.replace("\"config\": {\"components\": 3},",
                "\"config\": {\"components\": 3}, \"training\": {\"epochs\": 15, \"checkpointEvery\": 2},");
        var vp = new PipelineValidator(TYPES).validate("pipelines/p.json", json);
        var gmm = vp.definition().stages().get("gmm");
        assertEquals(new org.hybridbench.api.TrainingRegime(15, 0, 7, 2), gmm.regime());
        // the other stages keep the pipeline's regime
        assertEquals(vp.definition().regime(), vp.definition().stages().get("data").regime());
        assertEquals(5, vp.definition().regime().epochs());
        // the resolved pipeline (run.json) records only what the stage set for itself
        assertEquals(15, vp.resolved().at("/stages/gmm/training/epochs").intValue());
        assertEquals(2, vp.resolved().at("/stages/gmm/training/checkpointEvery").intValue());
        assertTrue(vp.resolved().at("/stages/gmm/training/batchSize").isMissingNode());
        assertTrue(vp.resolved().at("/stages/data/training").isMissingNode());
    }

    @Test
    void aStageCannotSetTheSeedOrUnknownTrainingFields() {
        var p = problems(GOOD.replace("\"config\": {\"components\": 3},",
                "\"config\": {\"components\": 3}, \"training\": {\"seed\": 3, \"epoch\": 4, \"batchSize\": -1},"));
        assertProblem(p, "$.stages.gmm.training.seed", "the seed is the run's");
        assertProblem(p, "$.stages.gmm.training.epoch", "unknown field", "[batchSize, checkpointEvery, epochs]");
        assertProblem(p, "$.stages.gmm.training.batchSize", "an integer in [0, ", "found integer -1");
        var q = problems(GOOD.replace("\"config\": {\"components\": 3},", "\"config\": {\"components\": 3}, \"training\": 4,"));
        assertProblem(q, "$.stages.gmm.training", "expected an object", "found integer 4");
    }

    @Test
    void malformedJsonNamesLineAndColumn() {
        var p = problems("{\"name\": \"p\",\n \"stages\": {,}}");
        assertProblem(p, "$", "malformed JSON at line 2");
    }

    @Test
    void duplicateStageNamesAreRejected() {
        var p = problems("{\"name\":\"p\",\"stages\":{\"a\":{\"type\":\"dataset.test\"},\"a\":{\"type\":\"dataset.test\"}}}");
        assertProblem(p, "$", "Duplicate field 'a'");
    }

    @Test
    void unknownTypeListsInstalledTypesAndSuggestsFeature() {
        var p = problems(GOOD.replace("\"metric.test\"", "\"crf.linear\""));
        assertProblem(p, "$.stages.eval.type", "no installed bundle provides stage type 'crf.linear'",
                "installed: dataset.test, metric.test, model.test", "feature 'crf' provides it");
        var q = problems(GOOD.replace("\"metric.test\"", "\"nothing.like.it\""));
        assertProblem(q, "$.stages.eval.type", "no known feature provides it");
    }

    @Test
    void missingRequiredConfigAndBadValuesNameExpectedAndFound() {
        var p = problems(GOOD.replace("{\"components\": 3}",
                "{\"tolerance\": \"small\", \"covariance\": \"tied\", \"verbose\": 1, \"colour\": 2}"));
        assertProblem(p, "$.stages.gmm.config.components", "required", "an integer in [1, 100]", "mixture components");
        assertProblem(p, "$.stages.gmm.config.tolerance", "expected a number in [0, 1]", "found string \"small\"");
        assertProblem(p, "$.stages.gmm.config.covariance", "one of \"diagonal\", \"full\"", "found string \"tied\"");
        assertProblem(p, "$.stages.gmm.config.verbose", "true or false", "found integer 1");
        assertProblem(p, "$.stages.gmm.config.colour", "unknown configuration field", "components");
        assertEquals(5, p.size(), p::toString);
    }

    @Test
    void outOfBoundsAndNonIntegerValues() {
        var p = problems(GOOD.replace("{\"components\": 3}", "{\"components\": 101}"));
        assertProblem(p, "$.stages.gmm.config.components", "an integer in [1, 100]", "found integer 101");
        var q = problems(GOOD.replace("{\"components\": 3}", "{\"components\": 2.5}"));
        assertProblem(q, "$.stages.gmm.config.components", "found number 2.5");
    }

    @Test
    void wrongWiringNamesStagePortExpectedAndGiven() {
        var p = problems(GOOD.replace("\"gmm.predictions\"", "\"gmm.model\""));
        assertProblem(p, "$.stages.eval.inputs.predictions", "expects predictions", "\"gmm.model\" gives emission-model");
        var q = problems(GOOD.replace("\"gmm.predictions\"", "\"gmm.labels\""));
        assertProblem(q, "$.stages.eval.inputs.predictions", "no output port 'labels'", "predictions:predictions");
        var r = problems(GOOD.replace("\"gmm.predictions\"", "\"gnn.predictions\""));
        assertProblem(r, "$.stages.eval.inputs.predictions", "no stage 'gnn'");
        var s = problems(GOOD.replace("\"predictions\": \"gmm.predictions\"", "\"preds\": \"gmm.predictions\""));
        assertProblem(s, "$.stages.eval.inputs.preds", "has no input port 'preds'");
        assertProblem(s, "$.stages.eval.inputs.predictions", "required input port", "is not wired");
        var t = problems(GOOD.replace("\"gmm.predictions\"", "\"gmm\""));
        assertProblem(t, "$.stages.eval.inputs.predictions", "expected \"stage.port\"");
    }

    @Test
    void cyclesAreReported() {
        String json = """
                {"name": "p", "stages": {
                  "a": {"type": "model.test", "config": {"components": 2}, "inputs": {"dataset": "b.dataset"}},
                  "b": {"type": "dataset.test"}
                }}""";
        assertEquals(List.of("b", "a"), assertDoesNotThrowValidate(json).order());
        // A metric stage has no outputs, so build a real cycle between two trainers through a fake type.
        var p = problems("{\"name\":\"p\",\"stages\":{\"a\":{\"type\":\"metric.test\",\"inputs\":{\"predictions\":\"a.predictions\"}}}}");
        assertProblem(p, "$.stages.a.inputs.predictions", "cannot read its own output");
    }

    private static ValidatedPipeline assertDoesNotThrowValidate(String json) {
        try {
            return new PipelineValidator(TYPES).validate("p.json", json);
        } catch (PipelineValidationException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    @Test
    void structuralProblemsAreAllReportedAtOnce() {
        var p = problems("{\"stages\": [], \"training\": {\"epochs\": 0, \"seed\": \"x\", \"lr\": 1}, \"extra\": true}");
        assertProblem(p, "$.name", "required field is missing");
        assertProblem(p, "$.stages", "non-empty object");
        assertProblem(p, "$.training.epochs", "an integer in [1, 10000000]", "found integer 0");
        assertProblem(p, "$.training.seed", "expected an integer", "found string");
        assertProblem(p, "$.training.lr", "unknown field");
        assertProblem(p, "$.extra", "unknown field");
        var q = problems("[1, 2]");
        assertProblem(q, "$", "expected a JSON object, found array");
    }
}

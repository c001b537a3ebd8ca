package org.hybridbench.core.internal;

import static org.hybridbench.core.internal.PipelineValidatorTest.GOOD;
import static org.hybridbench.core.internal.PipelineValidatorTest.TYPES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.hybridbench.api.workbench.PipelineValidationException;
import org.hybridbench.api.workbench.ValidationProblem;
import org.junit.jupiter.api.Test;

class PipelineOverridesTest {

    private static ValidatedPipeline validate(String json, String... overrides) throws PipelineValidationException {
        return new PipelineValidator(TYPES).validate("pipelines/p.json", json, List.of(overrides));
    }

    private static List<ValidationProblem> problems(String json, String... overrides) {
        return assertThrows(PipelineValidationException.class, () -> validate(json, overrides)).problems();
    }

    private static ValidationProblem only(List<ValidationProblem> problems, String path) {
        assertEquals(1, problems.size(), problems::toString);
        ValidationProblem p = problems.get(0);
        assertEquals(path, p.jsonPath(), p::toString);
        assertEquals("pipelines/p.json", p.file());
        return p;
    }

    private static void assertContains(String text, String... fragments) {
        for (String f : fragments) {
            assertTrue(text.contains(f), () -> "'" + text + "' should contain '" + f + "'");
        }
    }

    @Test
    void overridesReplaceValuesInTheFileAndAreCheckedAfterwards() throws Exception {
        ValidatedPipeline vp = validate(GOOD, "training.seed=2", "stages.gmm.config.components=7");
        assertEquals(2, vp.definition().regime().seed());
        assertEquals(7, vp.configs().get("gmm").getInt("components"));
        assertEquals(2, vp.resolved().at("/training/seed").longValue());
        assertEquals(7, vp.resolved().at("/stages/gmm/config/components").longValue());
        assertEquals(List.of("training.seed=2", "stages.gmm.config.components=7"), vp.overrides());
        // untouched values stay as in the file
        assertEquals(5, vp.definition().regime().epochs());
    }

    @Test
    void declaredFieldsAbsentFromTheFileCanBeSet() throws Exception {
        String noTraining = GOOD.replace(", \"training\": {\"epochs\": 5, \"seed\": 7}", "");
        ValidatedPipeline vp = validate(noTraining, "training.batchSize=32", "stages.data.config.limit=10",
                "stages.gmm.config.tolerance=1e-3", "stages.gmm.config.verbose=true");
        assertEquals(32, vp.definition().regime().batchSize());
        assertEquals(10L, vp.configs().get("data").getLong("limit"));
        assertEquals(1e-3, vp.configs().get("gmm").getDouble("tolerance"));
        assertEquals(true, vp.configs().get("gmm").getBoolean("verbose"));
        assertEquals(List.of("training.batchSize=32", "stages.data.config.limit=10", "stages.gmm.config.tolerance=0.001",
                "stages.gmm.config.verbose=true"), vp.overrides());
    }

    @Test
    void valuesAreJsonWhenTheyParseElseStrings() {
        assertTrue(PipelineOverrides.value("2", false).isIntegralNumber());
        assertEquals(0.5, PipelineOverrides.value("0.5", false).doubleValue());
        assertTrue(PipelineOverrides.value("false", false).isBoolean());
        assertEquals("full", PipelineOverrides.value("\"full\"", false).textValue());
        assertEquals("full", PipelineOverrides.value("full", false).textValue());
        // trailing text makes it a string, not the number 2
        assertEquals("2abc", PipelineOverrides.value("2abc", false).textValue());
        assertEquals("", PipelineOverrides.value("", false).textValue());
        // where a string is expected the text is kept as typed
        assertEquals("1", PipelineOverrides.value("1", true).textValue());
        assertEquals("true", PipelineOverrides.value("true", true).textValue());
        assertEquals("npm", PipelineOverrides.value("\"npm\"", true).textValue());
    }

    @Test
    void aNumberLikeValueForAStringFieldStaysText() throws Exception {
        JsonNode resolved = validate(GOOD, "description=2024", "stages.gmm.config.covariance=full").resolved();
        assertEquals("2024", resolved.path("description").textValue());
        assertEquals("full", resolved.at("/stages/gmm/config/covariance").textValue());
    }

    @Test
    void overriddenValuesAreValidatedLikeFileValues() {
        ValidationProblem p = only(problems(GOOD, "stages.gmm.config.components=101"), "$.stages.gmm.config.components");
        assertContains(p.message(), "an integer in [1, 100]", "found integer 101");
        ValidationProblem q = only(problems(GOOD, "stages.gmm.config.covariance=tied"), "$.stages.gmm.config.covariance");
        assertContains(q.message(), "one of \"diagonal\", \"full\"", "found string \"tied\"");
        ValidationProblem r = only(problems(GOOD, "training.epochs=many"), "$.training.epochs");
        assertContains(r.message(), "found string \"many\"");
    }

    @Test
    void anUnknownStageNamesTheOverrideAndTheStages() {
        ValidationProblem p = only(problems(GOOD, "stages.gnm.config.components=4"), "$.stages.gnm");
        assertContains(p.message(), "override \"stages.gnm.config.components=4\"", "no stage 'gnm'", "[data, gmm, eval]");
    }

    @Test
    void anUnknownConfigFieldNamesTheStageTypeAndItsFields() {
        ValidationProblem p = only(problems(GOOD, "stages.gmm.config.component=4"), "$.stages.gmm.config.component");
        assertContains(p.message(), "override \"stages.gmm.config.component=4\"", "stage 'gmm' (type 'model.test')",
                "no configuration field 'component'", "[components, tolerance, covariance, verbose]");
    }

    @Test
    void anUnknownInputPortNamesThePorts() {
        ValidationProblem p = only(problems(GOOD, "stages.eval.inputs.preds=gmm.predictions"), "$.stages.eval.inputs.preds");
        assertContains(p.message(), "no input port 'preds'", "[predictions]");
    }

    @Test
    void anUnknownTrainingOrTopLevelFieldNamesWhatCanBeThere() {
        ValidationProblem p = only(problems(GOOD, "training.sed=2"), "$.training.sed");
        assertContains(p.message(), "override \"training.sed=2\"", "$.training has no field 'sed'",
                "[batchSize, checkpointEvery, epochs, seed]");
        ValidationProblem q = only(problems(GOOD, "trainig.seed=2"), "$.trainig");
        assertContains(q.message(), "$ has no field 'trainig'", "training");
    }

    @Test
    void aStagesOwnTrainingFieldsCanBeSetAndAreNamedWhenMisspelt() throws Exception {
        ValidatedPipeline vp = validate(GOOD, "stages.gmm.training.epochs=12");
        assertEquals(12, vp.definition().stages().get("gmm").regime().epochs());
        assertEquals(5, vp.definition().stages().get("eval").regime().epochs());
        ValidationProblem p = only(problems(GOOD, "stages.gmm.training.epoch=12"), "$.stages.gmm.training.epoch");
        assertContains(p.message(), "has no field 'epoch'", "[batchSize, checkpointEvery, epochs]");
    }

    @Test
    void aPathThroughAValueIsRejected() {
        ValidationProblem p = only(problems(GOOD, "training.seed.value=2"), "$.training.seed");
        assertContains(p.message(), "$.training.seed is integer 7, not an object");
    }

    @Test
    void malformedAndRepeatedOverridesAreErrors() {
        List<ValidationProblem> p = problems(GOOD, "seed", "=3", "training..seed=2", "training.seed=2", "training.seed=3");
        assertEquals(4, p.size(), p::toString);
        assertContains(p.get(0).message(), "override \"seed\"", "expected KEY=VALUE");
        assertContains(p.get(1).message(), "override \"=3\"", "expected KEY=VALUE");
        assertContains(p.get(2).message(), "empty segment");
        assertEquals("$.training.seed", p.get(3).jsonPath());
        assertContains(p.get(3).message(), "override \"training.seed=3\"", "already overridden by \"training.seed=2\"");
    }

    @Test
    void overrideProblemsAndFileProblemsAreReportedTogether() {
        String badFile = GOOD.replace("{\"components\": 3}", "{\"components\": 0}");
        List<ValidationProblem> p = problems(badFile, "training.sed=2");
        assertEquals(List.of("$.training.sed", "$.stages.gmm.config.components"),
                p.stream().map(ValidationProblem::jsonPath).toList());
    }

    @Test
    void aValueBeforeTheFirstEqualsSignIsTheKey() throws Exception {
        ValidatedPipeline vp = validate(GOOD, "description=a=b");
        assertEquals("a=b", vp.resolved().path("description").textValue());
    }
}

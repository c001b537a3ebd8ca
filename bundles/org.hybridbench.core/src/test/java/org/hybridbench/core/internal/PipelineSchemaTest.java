package org.hybridbench.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import org.junit.jupiter.api.Test;

/**
 * The JSON Schema users' editors load and the parser the workbench uses must agree: every pipeline shipped in
 * the workspace template passes both, and structural mistakes fail both.
 */
class PipelineSchemaTest {
    private static final Path TEMPLATE = Path.of("../../workspace-template");

    private static JsonSchema schema() throws IOException {
        try (InputStream in = Files.newInputStream(TEMPLATE.resolve("schema/pipeline.schema.json"))) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
    }

    private static List<Path> templatePipelines() throws IOException {
        try (Stream<Path> s = Files.list(TEMPLATE.resolve("pipelines"))) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    @Test
    void everyTemplatePipelinePassesTheSchemaAndTheParser() throws IOException {
        JsonSchema schema = schema();
        List<Path> files = templatePipelines();
        assertFalse(files.isEmpty(), "the workspace template ships pipelines");
        for (Path f : files) {
            String text = Files.readString(f);
            Set<ValidationMessage> errors = schema.validate(PipelineParser.MAPPER.readTree(text));
            assertTrue(errors.isEmpty(), f + ": " + errors);
            PipelineParser parser = new PipelineParser(f.toString());
            PipelineDefinition def = parser.parse(text);
            assertTrue(parser.problems().isEmpty(), f + ": " + parser.problems());
            assertEquals(f.getFileName().toString(), def.name() + ".json", "pipeline name matches its file name");
        }
    }

    @Test
    void structuralMistakesFailBothTheSchemaAndTheParser() throws IOException {
        JsonSchema schema = schema();
        List<String> bad = List.of(
                "{\"name\": \"p\", \"stages\": {}}",
                "{\"stages\": {\"a\": {\"type\": \"x\"}}}",
                "{\"name\": \"p\", \"stages\": {\"a\": {\"type\": \"x\"}}, \"extra\": 1}",
                "{\"name\": \"p\", \"stages\": {\"a\": {\"type\": \"x\", \"inputs\": {\"d\": \"nodot\"}}}}",
                "{\"name\": \"p\", \"stages\": {\"a\": {\"type\": \"x\"}}, \"training\": {\"epochs\": 0}}",
                "{\"name\": \"p\", \"stages\": {\"a\": {\"config\": {}}}}",
                "{\"name\": \"9p\", \"stages\": {\"a\": {\"type\": \"x\"}}}",
                "{\"name\": \"p\", \"version\": 2, \"stages\": {\"a\": {\"type\": \"x\"}}}");
        for (String json : bad) {
            JsonNode node = PipelineParser.MAPPER.readTree(json);
            assertFalse(schema.validate(node).isEmpty(), "schema accepted " + json);
            PipelineParser parser = new PipelineParser("p.json");
            parser.parse(json);
            assertFalse(parser.problems().isEmpty(), "parser accepted " + json);
        }
    }
}

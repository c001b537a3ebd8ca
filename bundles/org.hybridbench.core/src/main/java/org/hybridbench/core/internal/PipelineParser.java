package org.hybridbench.core.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.hybridbench.api.TrainingRegime;
import org.hybridbench.api.workbench.ValidationProblem;
import org.hybridbench.core.internal.PipelineDefinition.PortRef;
import org.hybridbench.core.internal.PipelineDefinition.StageDefinition;

/**
 * Reads a pipeline file into a {@link PipelineDefinition}, collecting every structural problem with its JSON
 * path instead of stopping at the first. The format is documented in {@code docs/pipelines.md} and in
 * {@code workspace-template/schema/pipeline.schema.json}.
 */
final class PipelineParser {
    static final int FORMAT_VERSION = 1;
    static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");
    static final Set<String> TOP_LEVEL = Set.of("$schema", "version", "name", "description", "stages", "training");
    static final Set<String> STAGE_FIELDS = Set.of("type", "config", "inputs", "description", "training");
    static final Set<String> TRAINING_FIELDS = Set.of("epochs", "batchSize", "seed", "checkpointEvery");
    /** A stage may override these for itself; the seed stays the run's (each stage derives its own from it). */
    static final Set<String> STAGE_TRAINING_FIELDS = Set.of("epochs", "batchSize", "checkpointEvery");

    static final ObjectMapper MAPPER = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final String file;
    private final List<ValidationProblem> problems = new ArrayList<>();

    PipelineParser(String file) {
        this.file = file;
    }

    List<ValidationProblem> problems() {
        return problems;
    }

    /** Parses {@code text}; returns {@code null} when it is not even JSON (see {@link #problems()}). */
    PipelineDefinition parse(String text) {
        JsonNode root = readJson(text);
        return root == null ? null : parse(root);
    }

    /** The JSON tree of {@code text}, or {@code null} (with the problem recorded) when it is malformed. */
    JsonNode readJson(String text) {
        try {
            JsonNode root = MAPPER.readTree(text);
            return root == null ? MAPPER.missingNode() : root;
        } catch (JsonParseException e) {
            var loc = e.getLocation();
            problem("$", "malformed JSON at line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ": "
                    + e.getOriginalMessage());
            return null;
        } catch (JsonProcessingException e) {
            problem("$", "malformed JSON: " + e.getOriginalMessage());
            return null;
        }
    }

    /** Reads an already parsed pipeline tree (after overrides); {@code null} when it is not a JSON object. */
    PipelineDefinition parse(JsonNode root) {
        if (root == null || !root.isObject()) {
            problem("$", "expected a JSON object, found " + describe(root));
            return null;
        }
        unknownFields(root, "$", TOP_LEVEL);
        JsonNode version = root.get("version");
        if (version != null && !(version.isInt() && version.intValue() == FORMAT_VERSION)) {
            problem("$.version", "expected " + FORMAT_VERSION + " (the only pipeline format version), found " + describe(version));
        }
        String name = requiredString(root, "name", "$");
        if (name != null && !NAME.matcher(name).matches()) {
            problem("$.name", "expected a name of letters, digits, '_' or '-' starting with a letter, found \"" + name + "\"");
        }
        String description = root.path("description").asText("");

        TrainingRegime regime = parseTraining(root.get("training"));
        Map<String, StageDefinition> stages = new LinkedHashMap<>();
        JsonNode stagesNode = root.get("stages");
        if (stagesNode == null) {
            problem("$.stages", "required field is missing (an object of stage name → stage)");
        } else if (!stagesNode.isObject() || stagesNode.isEmpty()) {
            problem("$.stages", "expected a non-empty object of stage name → stage, found " + describe(stagesNode));
        } else {
            for (Iterator<Map.Entry<String, JsonNode>> it = stagesNode.properties().iterator(); it.hasNext();) {
                var e = it.next();
                StageDefinition s = parseStage(e.getKey(), e.getValue(), regime);
                if (s != null) {
                    stages.put(s.name(), s);
                }
            }
        }
        return new PipelineDefinition(file, name, description, stages, regime);
    }

    private StageDefinition parseStage(String stageName, JsonNode node, TrainingRegime pipelineRegime) {
        String path = "$.stages." + stageName;
        if (!NAME.matcher(stageName).matches()) {
            problem(path, "stage names are letters, digits, '_' or '-' starting with a letter; found \"" + stageName + "\"");
        }
        if (!node.isObject()) {
            problem(path, "expected a stage object {\"type\": ..., \"config\": {...}, \"inputs\": {...}}, found " + describe(node));
            return null;
        }
        unknownFields(node, path, STAGE_FIELDS);
        String type = requiredString(node, "type", path);
        ObjectNode config = MAPPER.createObjectNode();
        JsonNode c = node.get("config");
        if (c != null) {
            if (c.isObject()) {
                config = (ObjectNode) c;
            } else {
                problem(path + ".config", "expected an object of configuration values, found " + describe(c));
            }
        }
        Map<String, PortRef> inputs = new LinkedHashMap<>();
        JsonNode in = node.get("inputs");
        if (in != null) {
            if (!in.isObject()) {
                problem(path + ".inputs", "expected an object of input port → \"stage.port\", found " + describe(in));
            } else {
                for (Iterator<Map.Entry<String, JsonNode>> it = in.properties().iterator(); it.hasNext();) {
                    var e = it.next();
                    String p = path + ".inputs." + e.getKey();
                    String ref = e.getValue().isTextual() ? e.getValue().textValue() : null;
                    int dot = ref == null ? -1 : ref.indexOf('.');
                    if (dot <= 0 || dot == ref.length() - 1) {
                        problem(p, "expected \"stage.port\" naming another stage's output, found " + describe(e.getValue()));
                    } else {
                        inputs.put(e.getKey(), new PortRef(ref.substring(0, dot), ref.substring(dot + 1)));
                    }
                }
            }
        }
        ObjectNode training = MAPPER.createObjectNode();
        TrainingRegime regime = pipelineRegime;
        JsonNode t = node.get("training");
        if (t != null) {
            if (!t.isObject()) {
                problem(path + ".training", "expected an object {epochs, batchSize, checkpointEvery} overriding the pipeline's "
                        + "training for this stage, found " + describe(t));
            } else {
                training = (ObjectNode) t;
                if (t.has("seed")) {
                    problem(path + ".training.seed", "the seed is the run's (training.seed); every stage derives its own from it "
                            + "and its name, so a stage cannot set one");
                }
                t.fieldNames().forEachRemaining(f -> {
                    if (!f.equals("seed") && !STAGE_TRAINING_FIELDS.contains(f)) {
                        problem(path + ".training." + f, "unknown field; a stage's training may set "
                                + STAGE_TRAINING_FIELDS.stream().sorted().toList());
                    }
                });
                regime = new TrainingRegime(
                        intField(t, path + ".training", "epochs", pipelineRegime.epochs(), 1, 10_000_000),
                        intField(t, path + ".training", "batchSize", pipelineRegime.batchSize(), 0, Integer.MAX_VALUE),
                        pipelineRegime.seed(),
                        intField(t, path + ".training", "checkpointEvery", pipelineRegime.checkpointEvery(), 0, Integer.MAX_VALUE));
            }
        }
        return type == null ? null : new StageDefinition(stageName, type, config, inputs, training, regime);
    }

    private TrainingRegime parseTraining(JsonNode node) {
        int epochs = 10;
        int batchSize = 0;
        long seed = 1;
        int checkpointEvery = 0;
        if (node != null) {
            if (!node.isObject()) {
                problem("$.training", "expected an object {epochs, batchSize, seed, checkpointEvery}, found " + describe(node));
            } else {
                unknownFields(node, "$.training", TRAINING_FIELDS);
                epochs = intField(node, "$.training", "epochs", epochs, 1, 10_000_000);
                batchSize = intField(node, "$.training", "batchSize", batchSize, 0, Integer.MAX_VALUE);
                checkpointEvery = intField(node, "$.training", "checkpointEvery", checkpointEvery, 0, Integer.MAX_VALUE);
                JsonNode s = node.get("seed");
                if (s != null) {
                    if (s.isIntegralNumber() && s.canConvertToLong()) {
                        seed = s.longValue();
                    } else {
                        problem("$.training.seed", "expected an integer, found " + describe(s));
                    }
                }
            }
        }
        return new TrainingRegime(epochs, batchSize, seed, checkpointEvery);
    }

    private int intField(JsonNode node, String path, String field, int dflt, int min, int max) {
        JsonNode v = node.get(field);
        if (v == null) {
            return dflt;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
            problem(path + "." + field, "expected an integer in [" + min + ", " + max + "], found " + describe(v));
            return dflt;
        }
        return (int) v.longValue();
    }

    private String requiredString(JsonNode node, String field, String path) {
        JsonNode v = node.get(field);
        if (v == null) {
            problem(path + "." + field, "required field is missing (a string)");
            return null;
        }
        if (!v.isTextual() || v.textValue().isBlank()) {
            problem(path + "." + field, "expected a non-empty string, found " + describe(v));
            return null;
        }
        return v.textValue();
    }

    private void unknownFields(JsonNode node, String path, Set<String> known) {
        node.fieldNames().forEachRemaining(f -> {
            if (!known.contains(f)) {
                problem(path + "." + f, "unknown field; expected one of " + known.stream().sorted().toList());
            }
        });
    }

    private void problem(String path, String message) {
        problems.add(new ValidationProblem(file, path, message));
    }

    /** How a JSON value looks in an error message: its JSON type and (short) text. */
    static String describe(JsonNode v) {
        if (v == null || v.isMissingNode()) {
            return "nothing";
        }
        String kind = v.isObject() ? "object" : v.isArray() ? "array" : v.isTextual() ? "string"
                : v.isIntegralNumber() ? "integer" : v.isNumber() ? "number" : v.isBoolean() ? "boolean" : "null";
        String text = v.toString();
        if (text.length() > 60) {
            text = text.substring(0, 57) + "...";
        }
        return kind + " " + text;
    }
}

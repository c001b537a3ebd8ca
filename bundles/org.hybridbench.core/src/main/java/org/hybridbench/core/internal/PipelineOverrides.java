package org.hybridbench.core.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import org.hybridbench.api.ConfigParam;
import org.hybridbench.api.PortSpec;
import org.hybridbench.api.StageDescriptor;
import org.hybridbench.api.workbench.ValidationProblem;

/**
 * Command-line overrides {@code KEY=VALUE} of a pipeline file, applied to its JSON tree before validation (like
 * Hydra's overrides), so one file serves many seeds and settings. {@code KEY} is a dotted path into the pipeline
 * ({@code training.seed}, {@code stages.gmm.config.components}); {@code VALUE} is read as JSON when it parses
 * ({@code 2}, {@code 1e-3}, {@code true}, {@code "text"}), else taken as a string. Where the target is a string
 * (a string config field, a stage type, an input wire, the name) the text is kept as typed, so {@code split=1}
 * means "1".
 *
 * <p>A key must name something that is in the file or that the format or the stage's type declares (a training
 * field left at its default, a config field of the stage's type): a misspelt key is an error naming the
 * override and what exists there, never a silently added field.
 */
final class PipelineOverrides {
    /** Trailing tokens make {@code 2abc} a string rather than the number 2 followed by garbage. */
    private static final ObjectReader VALUE_READER = PipelineParser.MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final String file;
    private final TypeLookup types;
    private final List<ValidationProblem> problems = new ArrayList<>();

    PipelineOverrides(String file, TypeLookup types) {
        this.file = file;
        this.types = types;
    }

    List<ValidationProblem> problems() {
        return problems;
    }

    /**
     * Applies {@code overrides} in order to {@code root} (changed in place). Each one that cannot be applied is a
     * problem; the others still apply, so every problem of a command line shows at once.
     *
     * @return the applied overrides in canonical form {@code key=value}, in the order given (what run.json records)
     */
    List<String> apply(ObjectNode root, List<String> overrides) {
        List<String> applied = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (String text : overrides) {
            int eq = text.indexOf('=');
            String key = eq < 0 ? "" : text.substring(0, eq).strip();
            if (key.isEmpty()) {
                problem("$", text, "expected KEY=VALUE with KEY a dotted path into the pipeline, e.g. training.seed=2 or "
                        + "stages.NAME.config.FIELD=VALUE");
                continue;
            }
            String[] path = key.split("\\.", -1);
            if (List.of(path).contains("")) {
                problem("$", text, "the key '" + key + "' has an empty segment (two dots, or a dot at an end)");
                continue;
            }
            String previous = seen.putIfAbsent(key, text);
            if (previous != null) {
                problem(jsonPath(path, path.length), text, "'" + key + "' is already overridden by \"" + previous + "\"");
                continue;
            }
            String value = text.substring(eq + 1);
            set(root, path, text, value).ifPresent(v -> applied.add(key + "=" + v));
        }
        return applied;
    }

    /** Sets one value; the value as it is recorded, or empty when the key does not fit the pipeline. */
    private Optional<String> set(ObjectNode root, String[] path, String text, String rawValue) {
        ObjectNode node = root;
        for (int i = 0; i < path.length; i++) {
            String field = path[i];
            String at = jsonPath(path, i + 1);
            boolean last = i == path.length - 1;
            JsonNode child = node.get(field);
            if (child == null) {
                Optional<Collection<String>> declared = declared(root, path, i);
                if (declared.isPresent() && !declared.get().contains(field)) {
                    problem(at, text, unknown(root, path, i, declared.get()));
                    return Optional.empty();
                }
            }
            if (last) {
                JsonNode value = value(rawValue, isStringTarget(root, path));
                node.set(field, value);
                return Optional.of(value.isTextual() ? value.textValue() : value.toString());
            }
            if (child == null && isContainer(path, i)) {
                child = node.putObject(field);
            }
            if (child == null || !child.isObject()) {
                problem(at, text, at + " is " + (child == null ? "not in the pipeline" : PipelineParser.describe(child))
                        + ", not an object with a field '" + path[i + 1] + "'");
                return Optional.empty();
            }
            node = (ObjectNode) child;
        }
        throw new AssertionError("a key has at least one segment");
    }

    /**
     * What may be set at {@code path[i]} although the file leaves it out: the format's fields, a stage's type's
     * config fields and input ports, only the existing stages. Empty when anything may go there, because the
     * stage's type is not installed (validation reports that) or the place has no declared fields.
     */
    private Optional<Collection<String>> declared(ObjectNode root, String[] path, int i) {
        switch (i) {
            case 0:
                return Optional.of(PipelineParser.TOP_LEVEL);
            case 1:
                if (path[0].equals("stages")) {
                    return Optional.of(fieldNames(root.path("stages")));
                }
                return path[0].equals("training") ? Optional.of(PipelineParser.TRAINING_FIELDS) : Optional.of(List.of());
            case 2:
                return Optional.of(path[0].equals("stages") ? PipelineParser.STAGE_FIELDS : List.of());
            case 3:
                if (!path[0].equals("stages")) {
                    return Optional.of(List.of());
                }
                if (path[2].equals("training")) {
                    return Optional.of(PipelineParser.STAGE_TRAINING_FIELDS);
                }
                Optional<StageDescriptor> d = descriptor(root, path[1]);
                if (d.isEmpty()) {
                    return Optional.empty();
                }
                if (path[2].equals("config")) {
                    return Optional.of(d.get().config().stream().map(ConfigParam::name).toList());
                }
                if (path[2].equals("inputs")) {
                    return Optional.of(d.get().inputs().stream().map(PortSpec::name).toList());
                }
                return Optional.of(List.of());
            default:
                return Optional.of(List.of());
        }
    }

    private String unknown(ObjectNode root, String[] path, int i, Collection<String> declared) {
        String field = path[i];
        if (i == 1 && path[0].equals("stages")) {
            return "the pipeline has no stage '" + field + "'; its stages are " + declared;
        }
        if (i == 3 && path[0].equals("stages") && (path[2].equals("config") || path[2].equals("inputs"))) {
            String type = root.path("stages").path(path[1]).path("type").asText();
            return "stage '" + path[1] + "' (type '" + type + "') has no " + (path[2].equals("config")
                    ? "configuration field" : "input port") + " '" + field + "'; its " + (path[2].equals("config")
                            ? "configuration fields" : "input ports") + " are " + declared;
        }
        TreeSet<String> there = new TreeSet<>(declared);
        there.addAll(fieldNames(at(root, path, i)));
        return jsonPath(path, i) + " has no field '" + field + "'" + (there.isEmpty() ? "" : "; it can have " + there);
    }

    /**
     * {@code training}, {@code stages.X.config}, {@code stages.X.inputs} and {@code stages.X.training} may be absent from
     * a file and are created.
     */
    private static boolean isContainer(String[] path, int i) {
        return (i == 0 && path[0].equals("training")) || (i == 2 && path[0].equals("stages")
                && (path[2].equals("config") || path[2].equals("inputs") || path[2].equals("training")));
    }

    private boolean isStringTarget(ObjectNode root, String[] path) {
        int n = path.length;
        if (n == 1) {
            return path[0].equals("name") || path[0].equals("description") || path[0].equals("$schema");
        }
        if (!path[0].equals("stages")) {
            return false;
        }
        if (n == 3) {
            return path[2].equals("type") || path[2].equals("description");
        }
        if (n == 4 && path[2].equals("inputs")) {
            return true;
        }
        if (n == 4 && path[2].equals("config")) {
            return descriptor(root, path[1]).flatMap(d -> d.configParam(path[3]))
                    .map(p -> p.kind() == ConfigParam.Kind.STRING).orElse(false);
        }
        return false;
    }

    /** JSON if it parses as JSON, else the text; for a string target a JSON non-string keeps its text. */
    static JsonNode value(String raw, boolean stringTarget) {
        JsonNode parsed;
        try {
            parsed = raw.isBlank() ? null : VALUE_READER.readTree(raw);
        } catch (IOException notJson) {
            parsed = null;
        }
        if (parsed == null || parsed.isMissingNode() || (stringTarget && !parsed.isTextual())) {
            return TextNode.valueOf(raw);
        }
        return parsed;
    }

    private Optional<StageDescriptor> descriptor(ObjectNode root, String stage) {
        JsonNode type = root.path("stages").path(stage).path("type");
        return type.isTextual() ? types.descriptor(type.textValue()) : Optional.empty();
    }

    private static JsonNode at(JsonNode root, String[] path, int n) {
        JsonNode node = root;
        for (int i = 0; i < n; i++) {
            node = node.path(path[i]);
        }
        return node;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String jsonPath(String[] path, int n) {
        StringBuilder sb = new StringBuilder("$");
        for (int i = 0; i < n; i++) {
            sb.append('.').append(path[i]);
        }
        return sb.toString();
    }

    private void problem(String jsonPath, String override, String message) {
        problems.add(new ValidationProblem(file, jsonPath, "override \"" + override + "\": " + message));
    }
}

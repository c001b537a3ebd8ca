package org.hybridbench.core.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.hybridbench.api.ConfigParam;
import org.hybridbench.api.PortSpec;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageDescriptor;
import org.hybridbench.api.workbench.PipelineValidationException;
import org.hybridbench.api.workbench.ValidationProblem;
import org.hybridbench.core.internal.PipelineDefinition.PortRef;
import org.hybridbench.core.internal.PipelineDefinition.StageDefinition;

/**
 * Checks a pipeline against the installed stage types before anything runs: every type installed (else which
 * are, and which feature provides the missing one), every config value of the right type and within bounds,
 * required fields present, unknown fields rejected, every wire between existing ports of matching types, every
 * required input wired, no cycles. Collects all problems, each with file, JSON path, expected and found.
 */
final class PipelineValidator {
    private final TypeLookup types;

    PipelineValidator(TypeLookup types) {
        this.types = types;
    }

    ValidatedPipeline validate(String file, String text) throws PipelineValidationException {
        return validate(file, text, List.of());
    }

    /**
     * Validates the pipeline {@code text} with {@code overrides} ({@code KEY=VALUE}, see {@link PipelineOverrides})
     * applied first, so overridden values are checked like values in the file.
     */
    ValidatedPipeline validate(String file, String text, List<String> overrides) throws PipelineValidationException {
        PipelineParser parser = new PipelineParser(file);
        JsonNode root = parser.readJson(text);
        List<String> applied = List.of();
        List<ValidationProblem> overrideProblems = List.of();
        if (root != null && root.isObject() && !overrides.isEmpty()) {
            PipelineOverrides o = new PipelineOverrides(file, types);
            applied = o.apply((ObjectNode) root, overrides);
            overrideProblems = o.problems();
        }
        PipelineDefinition def = root == null ? null : parser.parse(root);
        List<ValidationProblem> problems = new ArrayList<>(overrideProblems);
        problems.addAll(parser.problems());
        if (def == null) {
            throw new PipelineValidationException(problems);
        }
        Map<String, StageDescriptor> descriptors = new LinkedHashMap<>();
        Map<String, StageConfig> configs = new LinkedHashMap<>();
        for (StageDefinition s : def.stages().values()) {
            String path = "$.stages." + s.name();
            Optional<StageDescriptor> d = types.descriptor(s.type());
            if (d.isEmpty()) {
                String feature = types.featureProviding(s.type())
                        .map(f -> "; feature '" + f + "' provides it (hwb:feature install " + f + ")")
                        .orElse("; no known feature provides it");
                problems.add(new ValidationProblem(file, path + ".type", "no installed bundle provides stage type '"
                        + s.type() + "' (installed: " + String.join(", ", types.installedTypes()) + ")" + feature));
                continue;
            }
            descriptors.put(s.name(), d.get());
            configs.put(s.name(), resolveConfig(file, path, s, d.get(), problems));
        }
        checkWiring(file, def, descriptors, problems);
        List<String> order = problems.isEmpty() ? order(file, def, problems) : List.of();
        if (!problems.isEmpty()) {
            throw new PipelineValidationException(problems);
        }
        return new ValidatedPipeline(def, order, descriptors, configs, resolvedJson(def, configs), applied);
    }

    private StageConfig resolveConfig(String file, String path, StageDefinition s, StageDescriptor d,
            List<ValidationProblem> problems) {
        Map<String, Object> values = new LinkedHashMap<>();
        s.config().fieldNames().forEachRemaining(f -> {
            if (d.configParam(f).isEmpty()) {
                problems.add(new ValidationProblem(file, path + ".config." + f, "unknown configuration field of stage type '"
                        + d.type() + "'; its fields are " + d.config().stream().map(ConfigParam::name).toList()));
            }
        });
        for (ConfigParam p : d.config()) {
            String at = path + ".config." + p.name();
            JsonNode v = s.config().get(p.name());
            if (v == null || v.isNull()) {
                if (p.isRequired()) {
                    problems.add(new ValidationProblem(file, at, "required configuration field is missing: expected "
                            + expected(p) + (p.description().isEmpty() ? "" : " (" + p.description() + ")")));
                } else {
                    values.put(p.name(), p.defaultValue());
                }
                continue;
            }
            Object value = convert(p, v);
            if (value == null) {
                problems.add(new ValidationProblem(file, at, "expected " + expected(p) + ", found " + PipelineParser.describe(v)));
            } else {
                values.put(p.name(), value);
            }
        }
        return new StageConfig(s.name(), values);
    }

    /** The JSON value as the parameter's Java type, or {@code null} when it does not fit type or bounds. */
    private static Object convert(ConfigParam p, JsonNode v) {
        switch (p.kind()) {
            case INTEGER:
                if (!v.isIntegralNumber() || !v.canConvertToLong() || !inBounds(p, v.longValue())) {
                    return null;
                }
                return v.longValue();
            case NUMBER:
                if (!v.isNumber() || !Double.isFinite(v.doubleValue()) || !inBounds(p, v.doubleValue())) {
                    return null;
                }
                return v.doubleValue();
            case BOOLEAN:
                return v.isBoolean() ? v.booleanValue() : null;
            case STRING:
                if (!v.isTextual() || (!p.allowedValues().isEmpty() && !p.allowedValues().contains(v.textValue()))) {
                    return null;
                }
                return v.textValue();
            default:
                throw new AssertionError(p.kind());
        }
    }

    private static boolean inBounds(ConfigParam p, double x) {
        return (p.min() == null || x >= p.min()) && (p.max() == null || x <= p.max());
    }

    static String expected(ConfigParam p) {
        switch (p.kind()) {
            case INTEGER:
                return "an integer in [" + fmt(p.min()) + ", " + fmt(p.max()) + "]";
            case NUMBER:
                return "a number in [" + fmt(p.min()) + ", " + fmt(p.max()) + "]";
            case BOOLEAN:
                return "true or false";
            default:
                return p.allowedValues().isEmpty() ? "a string"
                        : "one of " + p.allowedValues().stream().map(a -> "\"" + a + "\"").collect(Collectors.joining(", "));
        }
    }

    private static String fmt(Double d) {
        if (d == null) {
            return "?";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue());
        }
        return d.toString();
    }

    private void checkWiring(String file, PipelineDefinition def, Map<String, StageDescriptor> descriptors,
            List<ValidationProblem> problems) {
        for (StageDefinition s : def.stages().values()) {
            StageDescriptor d = descriptors.get(s.name());
            if (d == null) {
                continue;
            }
            String path = "$.stages." + s.name() + ".inputs";
            for (var e : s.inputs().entrySet()) {
                String at = path + "." + e.getKey();
                Optional<PortSpec> in = d.input(e.getKey());
                if (in.isEmpty()) {
                    problems.add(new ValidationProblem(file, at, "stage type '" + d.type() + "' has no input port '"
                            + e.getKey() + "'; its inputs are " + d.inputs()));
                    continue;
                }
                PortRef ref = e.getValue();
                if (!def.stages().containsKey(ref.stage())) {
                    problems.add(new ValidationProblem(file, at, "wired to \"" + ref + "\" but there is no stage '"
                            + ref.stage() + "' (stages: " + def.stages().keySet() + ")"));
                    continue;
                }
                if (ref.stage().equals(s.name())) {
                    problems.add(new ValidationProblem(file, at, "a stage cannot read its own output \"" + ref + "\""));
                    continue;
                }
                StageDescriptor producer = descriptors.get(ref.stage());
                if (producer == null) {
                    continue; // its unknown type is already reported
                }
                Optional<PortSpec> out = producer.output(ref.port());
                if (out.isEmpty()) {
                    problems.add(new ValidationProblem(file, at, "stage '" + ref.stage() + "' (type '" + producer.type()
                            + "') has no output port '" + ref.port() + "'; its outputs are " + producer.outputs()));
                } else if (!out.get().type().canFeed(in.get().type())) {
                    problems.add(new ValidationProblem(file, at, "input '" + e.getKey() + "' expects " + in.get().type()
                            + " but \"" + ref + "\" gives " + out.get().type()));
                }
            }
            for (PortSpec in : d.inputs()) {
                if (in.isRequired() && !s.inputs().containsKey(in.name())) {
                    problems.add(new ValidationProblem(file, path + "." + in.name(), "required input port of stage type '"
                            + d.type() + "' is not wired: expected \"stage.port\" giving " + in.type()
                            + (in.description().isEmpty() ? "" : " (" + in.description() + ")")));
                }
            }
        }
    }

    /** Kahn's topological sort, ties broken by declaration order so runs are reproducible. */
    private static List<String> order(String file, PipelineDefinition def, List<ValidationProblem> problems) {
        Map<String, Set<String>> deps = new HashMap<>();
        for (StageDefinition s : def.stages().values()) {
            deps.put(s.name(), s.inputs().values().stream().map(PortRef::stage).collect(Collectors.toCollection(LinkedHashSet::new)));
        }
        List<String> order = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        boolean progress = true;
        while (progress && order.size() < deps.size()) {
            progress = false;
            for (String name : def.stages().keySet()) {
                if (!done.contains(name) && done.containsAll(deps.get(name))) {
                    order.add(name);
                    done.add(name);
                    progress = true;
                    break;
                }
            }
        }
        if (order.size() < deps.size()) {
            String start = def.stages().keySet().stream().filter(n -> !done.contains(n)).findFirst().orElseThrow();
            problems.add(new ValidationProblem(file, "$.stages." + start + ".inputs", "the wiring has a cycle: "
                    + cycle(start, deps, done)));
        }
        return order;
    }

    private static String cycle(String start, Map<String, Set<String>> deps, Set<String> done) {
        Deque<String> path = new ArrayDeque<>();
        String cur = start;
        while (!path.contains(cur)) {
            path.addLast(cur);
            cur = deps.get(cur).stream().filter(d -> !done.contains(d)).findFirst().orElse(cur);
        }
        List<String> names = new ArrayList<>(path);
        List<String> loop = new ArrayList<>(names.subList(names.indexOf(cur), names.size()));
        loop.add(cur);
        return String.join(" ← ", loop);
    }

    private static ObjectNode resolvedJson(PipelineDefinition def, Map<String, StageConfig> configs) {
        ObjectNode root = PipelineParser.MAPPER.createObjectNode();
        root.put("version", PipelineParser.FORMAT_VERSION);
        root.put("name", def.name());
        if (!def.description().isEmpty()) {
            root.put("description", def.description());
        }
        ObjectNode stages = root.putObject("stages");
        for (StageDefinition s : def.stages().values()) {
            ObjectNode st = stages.putObject(s.name());
            st.put("type", s.type());
            st.set("config", PipelineParser.MAPPER.valueToTree(configs.get(s.name()).asMap()));
            ObjectNode in = st.putObject("inputs");
            s.inputs().forEach((port, ref) -> in.put(port, ref.toString()));
            if (!s.training().isEmpty()) { // only the fields the stage sets for itself
                ObjectNode own = st.putObject("training");
                if (s.training().has("epochs")) {
                    own.put("epochs", s.regime().epochs());
                }
                if (s.training().has("batchSize")) {
                    own.put("batchSize", s.regime().batchSize());
                }
                if (s.training().has("checkpointEvery")) {
                    own.put("checkpointEvery", s.regime().checkpointEvery());
                }
            }
        }
        ObjectNode t = root.putObject("training");
        t.put("epochs", def.regime().epochs());
        t.put("batchSize", def.regime().batchSize());
        t.put("seed", def.regime().seed());
        t.put("checkpointEvery", def.regime().checkpointEvery());
        return root;
    }
}

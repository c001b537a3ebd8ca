package org.hybridbench.core.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.hybridbench.api.TrainingRegime;

/**
 * A parsed pipeline file: its stages in declaration order, their raw configuration and wiring, and the
 * training regime. Produced by {@link PipelineParser}; checked against installed types by {@link PipelineValidator}.
 */
record PipelineDefinition(String file, String name, String description, Map<String, StageDefinition> stages,
        TrainingRegime regime) {

    PipelineDefinition {
        stages = new LinkedHashMap<>(stages);
    }

    /**
     * One stage entry: {@code "name": {"type": ..., "config": {...}, "inputs": {"port": "stage.port"}, "training": {...}}}.
     *
     * @param training the stage's own training fields as written (empty when it has none)
     * @param regime the pipeline's regime with the stage's own fields in place (what the stage's run context gives)
     */
    record StageDefinition(String name, String type, ObjectNode config, Map<String, PortRef> inputs, ObjectNode training,
            TrainingRegime regime) {
    }

    /** A reference {@code "stage.port"} to another stage's output. */
    record PortRef(String stage, String port) {
        @Override
        public String toString() {
            return stage + "." + port;
        }
    }
}

package org.hybridbench.core.internal;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageDescriptor;

/**
 * A pipeline that passed validation: stages in an order where every input is produced before it is read,
 * each with its resolved configuration, the resolved pipeline as JSON (what {@code runs/<id>/pipeline.json} holds)
 * and the command-line overrides applied to the file, as {@code key=value} (what {@code run.json} records).
 */
record ValidatedPipeline(PipelineDefinition definition, List<String> order, Map<String, StageDescriptor> descriptors,
        Map<String, StageConfig> configs, ObjectNode resolved, List<String> overrides) {
}

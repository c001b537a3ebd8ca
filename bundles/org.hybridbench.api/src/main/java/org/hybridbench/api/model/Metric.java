package org.hybridbench.api.model;

import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/** Scores predictions against their reference (accuracy, F1, purity, phone error rate …). */
@ConsumerType
public interface Metric {

    /** Named values, e.g. {@code accuracy → 0.93}. */
    Map<String, Double> evaluate(Predictions predictions);
}

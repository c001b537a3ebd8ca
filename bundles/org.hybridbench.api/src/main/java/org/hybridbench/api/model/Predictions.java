package org.hybridbench.api.model;

import java.util.List;

/**
 * Predicted labels (or cluster indices) for the rows of a data set, with the reference labels when known.
 *
 * @param predicted one predicted label or cluster index per row
 * @param reference reference labels per row, or {@code null}
 * @param numPredictedClasses number of distinct predicted values (clusters or classes)
 * @param referenceClassNames names of the reference classes (empty when unlabelled)
 */
public record Predictions(int[] predicted, int[] reference, int numPredictedClasses, List<String> referenceClassNames) {
    public Predictions {
        if (reference != null && reference.length != predicted.length) {
            throw new IllegalArgumentException(predicted.length + " predictions but " + reference.length + " reference labels");
        }
        referenceClassNames = List.copyOf(referenceClassNames);
    }
}

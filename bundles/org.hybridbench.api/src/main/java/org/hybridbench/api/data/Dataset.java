package org.hybridbench.api.data;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A data set of fixed-length feature vectors (one row each), with optional integer labels, the names of the
 * label classes, and provenance (source, version, sha-256) so a run records exactly what it learned from.
 */
public final class Dataset {
    private final String name;
    private final Matrix features;
    private final int[] labels;
    private final List<String> classNames;
    private final Map<String, String> provenance;

    /**
     * @param labels one per row, in [0, classNames.size()), or {@code null} for unlabelled data
     */
    public Dataset(String name, Matrix features, int[] labels, List<String> classNames, Map<String, String> provenance) {
        this.name = Objects.requireNonNull(name, "name");
        this.features = Objects.requireNonNull(features, "features");
        if (labels != null) {
            if (labels.length != features.rows()) {
                throw new IllegalArgumentException(name + ": " + features.rows() + " rows but " + labels.length + " labels");
            }
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] < 0 || labels[i] >= classNames.size()) {
                    throw new IllegalArgumentException(name + ": label " + labels[i] + " at row " + i + " is outside [0, "
                            + classNames.size() + ")");
                }
            }
        }
        this.labels = labels;
        this.classNames = List.copyOf(classNames);
        this.provenance = Map.copyOf(provenance);
    }

    public String name() {
        return name;
    }

    public Matrix features() {
        return features;
    }

    public boolean isLabelled() {
        return labels != null;
    }

    /** The labels (not a copy), or {@code null} when unlabelled. */
    public int[] labels() {
        return labels;
    }

    public List<String> classNames() {
        return classNames;
    }

    public Map<String, String> provenance() {
        return provenance;
    }

    public int size() {
        return features.rows();
    }

    /** The same rows and labels with other features (after a transform), keeping name and provenance. */
    public Dataset withFeatures(String newName, Matrix newFeatures) {
        return new Dataset(newName, newFeatures, labels, classNames, provenance);
    }
}

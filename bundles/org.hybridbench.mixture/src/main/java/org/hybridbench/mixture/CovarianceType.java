package org.hybridbench.mixture;

/** The shape of each component's covariance. */
public enum CovarianceType {
    /** σ_k² I: one variance per component. */
    SPHERICAL,
    /** diag(σ_k1², …, σ_kd²): one variance per component and dimension. */
    DIAGONAL,
    /** A full symmetric positive-definite d × d matrix per component. */
    FULL;

    /** The name used in configuration and in the model file. */
    public String configName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static CovarianceType fromConfig(String name) {
        return valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }

    /** Values stored per component. */
    int size(int d) {
        return switch (this) {
            case SPHERICAL -> 1;
            case DIAGONAL -> d;
            case FULL -> d * d;
        };
    }

    /** Free covariance parameters per component (for BIC). */
    long freeParameters(int d) {
        return switch (this) {
            case SPHERICAL -> 1;
            case DIAGONAL -> d;
            case FULL -> (long) d * (d + 1) / 2;
        };
    }
}

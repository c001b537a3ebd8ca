package org.hybridbench.emission;

import java.util.Locale;

/** The shape of the covariance of each Gaussian (state, or component of a state's mixture). */
public enum CovarianceType {
    /** σ² I: one variance per Gaussian. */
    SPHERICAL,
    /** diag(σ_1², …, σ_d²) per Gaussian. */
    DIAGONAL,
    /** A full symmetric positive-definite d × d matrix per Gaussian. */
    FULL,
    /** One full d × d matrix shared by every Gaussian of the model (all states and components). */
    TIED;

    /** The name used in configuration and files. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CovarianceType fromConfig(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}

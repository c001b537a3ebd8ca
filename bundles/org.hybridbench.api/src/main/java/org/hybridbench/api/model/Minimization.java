package org.hybridbench.api.model;

/**
 * The outcome of {@link Optimizer#minimize}: the objective value and gradient norm at the final point (which the
 * parameter blocks hold), iterations made, objective evaluations spent, and whether a convergence test was met.
 */
public final class Minimization {
    private final double value;
    private final double gradientNorm;
    private final int iterations;
    private final int evaluations;
    private final boolean converged;
    private final String message;

    public Minimization(double value, double gradientNorm, int iterations, int evaluations, boolean converged, String message) {
        this.value = value;
        this.gradientNorm = gradientNorm;
        this.iterations = iterations;
        this.evaluations = evaluations;
        this.converged = converged;
        this.message = message == null ? "" : message;
    }

    /** f at the final point. */
    public double value() {
        return value;
    }

    /** ‖∇f‖₂ at the final point. */
    public double gradientNorm() {
        return gradientNorm;
    }

    public int iterations() {
        return iterations;
    }

    public int evaluations() {
        return evaluations;
    }

    /** True when a convergence test (not the iteration limit or a failed line search) ended the run. */
    public boolean converged() {
        return converged;
    }

    /** Why the run ended, for logs. */
    public String message() {
        return message;
    }

    @Override
    public String toString() {
        return "Minimization[f=" + value + ", |g|=" + gradientNorm + ", iterations=" + iterations + ", evaluations="
                + evaluations + ", converged=" + converged + ", " + message + "]";
    }
}

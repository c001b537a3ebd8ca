package org.hybridbench.optim;

/**
 * Gradient clipping applied before an update, on a copy (the owner's gradient arrays are not changed): first each
 * entry is clamped to [−{@code value}, {@code value}], then, if the Euclidean norm of all blocks' (clamped) gradients
 * together exceeds {@code norm}, every entry is multiplied by norm / ‖g‖ (Pascanu et al. 2013). 0 switches a
 * rule off.
 */
public final class Clipping {
    /** No clipping. */
    public static final Clipping NONE = new Clipping(0, 0);

    private final double norm;
    private final double value;

    /** @throws IllegalArgumentException if a threshold is negative or not finite */
    public Clipping(double norm, double value) {
        if (!(norm >= 0) || !Double.isFinite(norm)) {
            throw new IllegalArgumentException("clipNorm must be a finite number >= 0 (0 = off), got " + norm);
        }
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException("clipValue must be a finite number >= 0 (0 = off), got " + value);
        }
        this.norm = norm;
        this.value = value;
    }

    public double norm() {
        return norm;
    }

    public double value() {
        return value;
    }

    /** The entry after the by-value rule. */
    double clampValue(double g) {
        return value > 0 ? Math.max(-value, Math.min(value, g)) : g;
    }

    /** The factor of the by-norm rule given the squared global norm of the value-clamped gradient. */
    double normScale(double squaredNorm) {
        if (norm > 0) {
            double n = Math.sqrt(squaredNorm);
            if (n > norm) {
                return norm / n;
            }
        }
        return 1;
    }
}

package org.hybridbench.optim;

import java.util.Locale;

/**
 * A learning-rate schedule η(t) for update t = 1, 2, … : an optional linear warm-up over the first
 * {@code warmupSteps} updates, η(t) = η₀·t / W, followed by a decay rule applied to s = t − W − 1 (0 for the first
 * update after the warm-up):
 * <ul>
 * <li>{@code constant}: η₀</li>
 * <li>{@code step}: η₀·γ^⌊s / S⌋ (γ = {@code decayRate}, S = {@code decaySteps})</li>
 * <li>{@code exponential}: η₀·γ^(s / S)</li>
 * <li>{@code cosine}: η_min + (η₀ − η_min)·(1 + cos(π·min(s, S) / S)) / 2 (Loshchilov &amp; Hutter 2017, one cycle,
 * then η_min)</li>
 * </ul>
 */
public final class Schedule {

    /** The decay rule after the warm-up. */
    public enum Kind {
        CONSTANT, STEP, EXPONENTIAL, COSINE;

        static Kind fromConfig(String word) {
            try {
                return valueOf(word.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("schedule must be one of constant, step, exponential, cosine, got '" + word + "'");
            }
        }
    }

    private final double base;
    private final Kind kind;
    private final long warmupSteps;
    private final double decayRate;
    private final long decaySteps;
    private final double minRate;

    /**
     * @param base η₀ &gt; 0
     * @param decayRate γ in (0, 1] for step and exponential
     * @param decaySteps S ≥ 1
     * @param minRate η_min in [0, η₀] (cosine only)
     * @throws IllegalArgumentException naming the first bad field
     */
    public Schedule(double base, Kind kind, long warmupSteps, double decayRate, long decaySteps, double minRate) {
        if (!(base > 0) || !Double.isFinite(base)) {
            throw new IllegalArgumentException("learningRate must be a finite number > 0, got " + base);
        }
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("warmupSteps must be >= 0, got " + warmupSteps);
        }
        if (!(decayRate > 0 && decayRate <= 1)) {
            throw new IllegalArgumentException("decayRate must be in (0, 1], got " + decayRate);
        }
        if (decaySteps < 1) {
            throw new IllegalArgumentException("decaySteps must be >= 1, got " + decaySteps);
        }
        if (!(minRate >= 0 && minRate <= base)) {
            throw new IllegalArgumentException("minLearningRate must be in [0, learningRate = " + base + "], got " + minRate);
        }
        this.base = base;
        this.kind = kind;
        this.warmupSteps = warmupSteps;
        this.decayRate = decayRate;
        this.decaySteps = decaySteps;
        this.minRate = minRate;
    }

    /** A constant rate η₀. */
    public static Schedule constant(double rate) {
        return new Schedule(rate, Kind.CONSTANT, 0, 1, 1, 0);
    }

    /** η(t) for update t ≥ 1. */
    public double rate(long t) {
        if (t < 1) {
            throw new IllegalArgumentException("update number must be >= 1, got " + t);
        }
        if (t <= warmupSteps) {
            return base * t / warmupSteps;
        }
        long s = t - warmupSteps - 1;
        switch (kind) {
        case STEP:
            return base * Math.pow(decayRate, s / decaySteps);
        case EXPONENTIAL:
            return base * Math.pow(decayRate, (double) s / decaySteps);
        case COSINE:
            return minRate + (base - minRate) * (1 + Math.cos(Math.PI * Math.min(s, decaySteps) / decaySteps)) / 2;
        default:
            return base;
        }
    }

    public double base() {
        return base;
    }

    public Kind kind() {
        return kind;
    }
}

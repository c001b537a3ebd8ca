package org.hybridbench.api;

import java.util.List;
import java.util.Objects;

/**
 * One typed configuration field of a stage type: its name, type, default (absent = required), bounds or
 * allowed values, and a line of documentation. The core fills defaults in and checks bounds before a stage
 * is created, so {@link StageProvider#create} sees only valid values.
 */
public final class ConfigParam {

    /** The JSON type of a configuration value. */
    public enum Kind {
        /** A whole number (Java {@code long}, JSON integer). */
        INTEGER,
        /** A real number (Java {@code double}). */
        NUMBER,
        /** {@code true} or {@code false}. */
        BOOLEAN,
        /** Free text, or one of {@link ConfigParam#allowedValues()} when that list is not empty. */
        STRING
    }

    private final String name;
    private final Kind kind;
    private final Object defaultValue;
    private final Double min;
    private final Double max;
    private final List<String> allowedValues;
    private final String description;

    private ConfigParam(String name, Kind kind, Object defaultValue, Double min, Double max, List<String> allowed,
            String description) {
        this.name = Objects.requireNonNull(name, "name");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.defaultValue = defaultValue;
        this.min = min;
        this.max = max;
        this.allowedValues = List.copyOf(allowed);
        this.description = description == null ? "" : description;
    }

    /** An integer in [min, max]; {@code defaultValue == null} makes it required. */
    public static ConfigParam integer(String name, Long defaultValue, long min, long max, String description) {
        return new ConfigParam(name, Kind.INTEGER, defaultValue, (double) min, (double) max, List.of(), description);
    }

    /** A real number in [min, max]; {@code defaultValue == null} makes it required. */
    public static ConfigParam number(String name, Double defaultValue, double min, double max, String description) {
        return new ConfigParam(name, Kind.NUMBER, defaultValue, min, max, List.of(), description);
    }

    /** A boolean flag. */
    public static ConfigParam bool(String name, Boolean defaultValue, String description) {
        return new ConfigParam(name, Kind.BOOLEAN, defaultValue, null, null, List.of(), description);
    }

    /** Free text; {@code defaultValue == null} makes it required. */
    public static ConfigParam string(String name, String defaultValue, String description) {
        return new ConfigParam(name, Kind.STRING, defaultValue, null, null, List.of(), description);
    }

    /** One of a fixed set of words. */
    public static ConfigParam choice(String name, String defaultValue, List<String> allowed, String description) {
        if (allowed.isEmpty()) {
            throw new IllegalArgumentException("choice '" + name + "' needs at least one allowed value");
        }
        return new ConfigParam(name, Kind.STRING, defaultValue, null, null, allowed, description);
    }

    public String name() {
        return name;
    }

    public Kind kind() {
        return kind;
    }

    /** The default, or {@code null} when the field is required. */
    public Object defaultValue() {
        return defaultValue;
    }

    public boolean isRequired() {
        return defaultValue == null;
    }

    /** Lower bound for numbers, else {@code null}. */
    public Double min() {
        return min;
    }

    /** Upper bound for numbers, else {@code null}. */
    public Double max() {
        return max;
    }

    /** The allowed words of a choice; empty for free text and non-strings. */
    public List<String> allowedValues() {
        return allowedValues;
    }

    public String description() {
        return description;
    }
}

package org.hybridbench.api;

import java.util.Objects;

/**
 * One input or output of a stage type: its name (unique per direction within the stage), what flows through
 * it, whether an input must be wired, and a line for the user.
 */
public final class PortSpec {
    private final String name;
    private final PortType<?> type;
    private final boolean required;
    private final String description;

    private PortSpec(String name, PortType<?> type, boolean required, String description) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
        this.required = required;
        this.description = description == null ? "" : description;
    }

    /** An input that must be wired. */
    public static PortSpec required(String name, PortType<?> type, String description) {
        return new PortSpec(name, type, true, description);
    }

    /** An input that may be left unwired. */
    public static PortSpec optional(String name, PortType<?> type, String description) {
        return new PortSpec(name, type, false, description);
    }

    /** An output (always produced). */
    public static PortSpec output(String name, PortType<?> type, String description) {
        return new PortSpec(name, type, true, description);
    }

    public String name() {
        return name;
    }

    public PortType<?> type() {
        return type;
    }

    public boolean isRequired() {
        return required;
    }

    public String description() {
        return description;
    }

    @Override
    public String toString() {
        return name + ":" + type.name() + (required ? "" : "?");
    }
}

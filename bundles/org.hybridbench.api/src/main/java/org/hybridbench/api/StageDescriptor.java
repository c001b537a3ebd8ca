package org.hybridbench.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the core and the user need to know about a stage type without creating it: its type name, role,
 * documentation, configuration fields and ports. Built with {@link #builder(String, StageRole)}.
 */
public final class StageDescriptor {
    private final String type;
    private final StageRole role;
    private final String description;
    private final List<ConfigParam> config;
    private final List<PortSpec> inputs;
    private final List<PortSpec> outputs;

    private StageDescriptor(Builder b) {
        this.type = b.type;
        this.role = b.role;
        this.description = b.description;
        this.config = List.copyOf(b.config);
        this.inputs = List.copyOf(b.inputs);
        this.outputs = List.copyOf(b.outputs);
    }

    public static Builder builder(String type, StageRole role) {
        return new Builder(type, role);
    }

    public String type() {
        return type;
    }

    public StageRole role() {
        return role;
    }

    public String description() {
        return description;
    }

    public List<ConfigParam> config() {
        return config;
    }

    public List<PortSpec> inputs() {
        return inputs;
    }

    public List<PortSpec> outputs() {
        return outputs;
    }

    public Optional<ConfigParam> configParam(String name) {
        return config.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    public Optional<PortSpec> input(String name) {
        return inputs.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    public Optional<PortSpec> output(String name) {
        return outputs.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** Builds a {@link StageDescriptor}; names must be unique per list. */
    public static final class Builder {
        private final String type;
        private final StageRole role;
        private String description = "";
        private final List<ConfigParam> config = new ArrayList<>();
        private final List<PortSpec> inputs = new ArrayList<>();
        private final List<PortSpec> outputs = new ArrayList<>();

        private Builder(String type, StageRole role) {
            this.type = Objects.requireNonNull(type, "type");
            this.role = Objects.requireNonNull(role, "role");
        }

        public Builder description(String text) {
            this.description = Objects.requireNonNull(text);
            return this;
        }

        public Builder config(ConfigParam param) {
            if (config.stream().anyMatch(p -> p.name().equals(param.name()))) {
                throw new IllegalArgumentException(type + ": configuration field '" + param.name() + "' declared twice");
            }
            config.add(param);
            return this;
        }

        public Builder input(PortSpec port) {
            if (inputs.stream().anyMatch(p -> p.name().equals(port.name()))) {
                throw new IllegalArgumentException(type + ": input port '" + port.name() + "' declared twice");
            }
            inputs.add(port);
            return this;
        }

        public Builder output(PortSpec port) {
            if (outputs.stream().anyMatch(p -> p.name().equals(port.name()))) {
                throw new IllegalArgumentException(type + ": output port '" + port.name() + "' declared twice");
            }
            outputs.add(port);
            return this;
        }

        public StageDescriptor build() {
            return new StageDescriptor(this);
        }
    }
}

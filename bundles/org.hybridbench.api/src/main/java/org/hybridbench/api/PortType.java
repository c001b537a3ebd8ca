package org.hybridbench.api;

import java.util.Objects;

/**
 * What flows through a port: a name used in pipeline validation messages and the Java type a value must have.
 * Two ports can be wired when their names are equal. Plugins may define their own port types; the common
 * ones are in {@link PortTypes}.
 *
 * @param <T> the Java type of values on such a port
 */
public final class PortType<T> {
    private final String name;
    private final Class<T> javaType;

    private PortType(String name, Class<T> javaType) {
        this.name = Objects.requireNonNull(name, "name");
        this.javaType = Objects.requireNonNull(javaType, "javaType");
    }

    /** A port type called {@code name} carrying values of {@code javaType}. */
    public static <T> PortType<T> of(String name, Class<T> javaType) {
        return new PortType<>(name, javaType);
    }

    public String name() {
        return name;
    }

    public Class<T> javaType() {
        return javaType;
    }

    /** True when an output of this type may feed an input of {@code input}. */
    public boolean canFeed(PortType<?> input) {
        return name.equals(input.name);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PortType<?> other && name.equals(other.name) && javaType.getName().equals(other.javaType.getName());
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }
}

package org.hybridbench.testing;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.hybridbench.api.PortType;
import org.hybridbench.api.StageIO;

/** Ports as maps, for unit tests. */
public final class FakeStageIO implements StageIO {
    public final Map<String, Object> inputs = new HashMap<>();
    public final Map<String, Object> outputs = new HashMap<>();

    public FakeStageIO with(String port, Object value) {
        inputs.put(port, value);
        return this;
    }

    @Override
    public <T> T input(String port, PortType<T> type) {
        Object v = inputs.get(port);
        if (v == null) {
            throw new IllegalArgumentException("input " + port + " not wired");
        }
        return type.javaType().cast(v);
    }

    @Override
    public <T> Optional<T> optionalInput(String port, PortType<T> type) {
        return Optional.ofNullable(inputs.get(port)).map(type.javaType()::cast);
    }

    @Override
    public <T> void output(String port, PortType<T> type, T value) {
        outputs.put(port, type.javaType().cast(value));
    }

    /** The value a stage set on an output; fails the test if it was not set. */
    public <T> T output(String port, PortType<T> type) {
        Object v = outputs.get(port);
        if (v == null) {
            throw new AssertionError("output " + port + " was not set");
        }
        return type.javaType().cast(v);
    }
}

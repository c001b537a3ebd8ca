package org.hybridbench.core.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.hybridbench.api.PortSpec;
import org.hybridbench.api.PortType;
import org.hybridbench.api.StageDescriptor;
import org.hybridbench.api.StageIO;
import org.hybridbench.core.internal.PipelineDefinition.PortRef;

/** Ports of one running stage: inputs looked up in the values produced so far, outputs checked by type. */
final class StageIOImpl implements StageIO {
    private final String stageName;
    private final StageDescriptor descriptor;
    private final Map<String, PortRef> wiring;
    private final Map<String, Object> produced; // "stage.port" -> value
    private final Map<String, Object> outputs = new HashMap<>();

    StageIOImpl(String stageName, StageDescriptor descriptor, Map<String, PortRef> wiring, Map<String, Object> produced) {
        this.stageName = stageName;
        this.descriptor = descriptor;
        this.wiring = wiring;
        this.produced = produced;
    }

    @Override
    public <T> T input(String port, PortType<T> type) {
        return optionalInput(port, type).orElseThrow(() -> new IllegalArgumentException("stage '" + stageName
                + "': input port '" + port + "' is not wired"));
    }

    @Override
    public <T> Optional<T> optionalInput(String port, PortType<T> type) {
        PortSpec spec = descriptor.input(port).orElseThrow(() -> new IllegalArgumentException("stage '" + stageName
                + "' (type " + descriptor.type() + ") declares no input port '" + port + "'; inputs: " + descriptor.inputs()));
        if (!spec.type().canFeed(type)) {
            throw new IllegalArgumentException("stage '" + stageName + "': port '" + port + "' carries " + spec.type()
                    + ", not " + type);
        }
        PortRef ref = wiring.get(port);
        if (ref == null) {
            return Optional.empty();
        }
        Object v = produced.get(ref.toString());
        if (v == null) {
            throw new IllegalStateException("stage '" + stageName + "': " + ref + " produced no value");
        }
        return Optional.of(type.javaType().cast(v));
    }

    @Override
    public <T> void output(String port, PortType<T> type, T value) {
        PortSpec spec = descriptor.output(port).orElseThrow(() -> new IllegalArgumentException("stage '" + stageName
                + "' (type " + descriptor.type() + ") declares no output port '" + port + "'; outputs: " + descriptor.outputs()));
        if (!spec.type().name().equals(type.name()) || !type.javaType().isInstance(value)) {
            throw new IllegalArgumentException("stage '" + stageName + "': output '" + port + "' must carry " + spec.type()
                    + ", got " + (value == null ? "null" : value.getClass().getName()));
        }
        outputs.put(port, value);
    }

    /** Publishes the outputs for downstream stages; fails if a declared output was never set. */
    void publish() {
        for (PortSpec out : descriptor.outputs()) {
            Object v = outputs.get(out.name());
            if (v == null) {
                throw new IllegalStateException("stage '" + stageName + "' (type " + descriptor.type()
                        + ") finished without setting its output '" + out.name() + "'");
            }
            produced.put(stageName + "." + out.name(), v);
        }
    }
}

package org.hybridbench.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The resolved configuration of one stage: every field of the type's {@link ConfigParam}s present, defaults
 * filled in, bounds checked. Values are {@code Long}, {@code Double}, {@code Boolean} or {@code String}.
 */
public final class StageConfig {
    private final String stageName;
    private final Map<String, Object> values;

    public StageConfig(String stageName, Map<String, Object> values) {
        this.stageName = stageName;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The name of the stage in its pipeline (not its type). */
    public String stageName() {
        return stageName;
    }

    public long getLong(String name) {
        return ((Number) get(name)).longValue();
    }

    public int getInt(String name) {
        return Math.toIntExact(getLong(name));
    }

    public double getDouble(String name) {
        return ((Number) get(name)).doubleValue();
    }

    public boolean getBoolean(String name) {
        return (Boolean) get(name);
    }

    public String getString(String name) {
        return (String) get(name);
    }

    /** All values, in declaration order. */
    public Map<String, Object> asMap() {
        return values;
    }

    private Object get(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("stage '" + stageName + "' has no configuration field '" + name
                    + "' (fields: " + values.keySet() + ")");
        }
        return v;
    }
}

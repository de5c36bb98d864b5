package org.cnn4j.nn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A layer's hyper-parameters by name (the names PyTorch uses), as Keras' {@code get_config()}: what a
 * model file stores so that {@link LayerRegistry} rebuilds the layer. Values are ints, longs, floats,
 * booleans or strings; a getter fails naming the layer type and the field when it is missing or of
 * another kind, so a hand-edited or corrupt description says where it is wrong.
 */
public final class LayerConfig {
    private final String type;
    private final Map<String, Object> values = new LinkedHashMap<>();

    public LayerConfig(String type) {
        this.type = type;
    }

    public String type() {
        return type;
    }

    public LayerConfig put(String name, Object value) {
        if (!(value instanceof Number || value instanceof Boolean || value instanceof String)) {
            throw new IllegalArgumentException(type + ": config value '" + name + "' must be a number, boolean or string, got " + value);
        }
        values.put(name, value);
        return this;
    }

    /** The fields in the order they were put. */
    public Map<String, Object> values() {
        return Collections.unmodifiableMap(values);
    }

    public int integer(String name) {
        long v = longValue(name);
        if (v != (int) v) {
            throw missing(name, "integer");
        }
        return (int) v;
    }

    public long longValue(String name) {
        Object v = values.get(name);
        boolean integral = v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte;
        if (!integral) {
            throw missing(name, "integer");
        }
        return ((Number) v).longValue();
    }

    public float number(String name) {
        if (!(values.get(name) instanceof Number v)) {
            throw missing(name, "number");
        }
        return v.floatValue();
    }

    public boolean bool(String name) {
        if (!(values.get(name) instanceof Boolean v)) {
            throw missing(name, "true/false");
        }
        return v;
    }

    private IllegalArgumentException missing(String name, String kind) {
        return new IllegalArgumentException(type + " has no " + kind + " '" + name + "'");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LayerConfig c && c.type.equals(type) && c.values.equals(values);
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + values.hashCode();
    }

    @Override
    public String toString() {
        return type + values;
    }
}

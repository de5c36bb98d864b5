package org.cnn4j.zoo;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cnn4j.nn.Module;

/**
 * The model zoo by name, so a model file can name its architecture and be rebuilt: each entry takes
 * the input shape (channels, height, width) and the number of classes.
 */
public final class Zoo {
    /** Builds an architecture for an input shape and class count. */
    @FunctionalInterface
    public interface Builder {
        Module build(int channels, int height, int width, int classes);
    }

    private static final Map<String, Builder> MODELS = new LinkedHashMap<>();

    static {
        MODELS.put("fmnist-cnn", (c, h, w, k) -> FmnistCnn.build(c, h, w, k, 1));
        MODELS.put("fmnist-cnn-small", (c, h, w, k) -> FmnistCnn.build(c, h, w, k, 4));
        MODELS.put("fmnist-resnet", (c, h, w, k) -> FmnistResnet.build(c, k));
    }

    private Zoo() {
    }

    /** The architectures by name, in the order they were added. */
    public static Map<String, Builder> models() {
        return Collections.unmodifiableMap(MODELS);
    }

    public static Module build(String name, int channels, int height, int width, int classes) {
        Builder b = MODELS.get(name);
        if (b == null) {
            throw new IllegalArgumentException("zoo: unknown model '" + name + "' (known: " + String.join(", ", MODELS.keySet()) + ")");
        }
        return b.build(channels, height, width, classes);
    }
}

package org.cnn4j.nn;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The layer types a model file can hold, by the name {@link Module#typeName()} gives: each with the
 * factory that rebuilds a layer from its {@link Module#config()} (Keras' {@code from_config}) and, for
 * layers with weights, the floats it would allocate, counted from the config alone so a model file can
 * check them against the data it holds before a corrupt header makes it allocate gigabytes. A new layer
 * type is its own file plus one line here.
 */
public final class LayerRegistry {
    private record Type(Function<LayerConfig, Module> factory, ToLongFunction<LayerConfig> weightFloats) {
    }

    private static final Map<String, Type> TYPES = new LinkedHashMap<>();

    static {
        register("Conv2d", Conv2d::fromConfig, Conv2d::weightFloats);
        register("ConvTranspose2d", ConvTranspose2d::fromConfig, ConvTranspose2d::weightFloats);
        register("BatchNorm2d", BatchNorm2d::fromConfig, BatchNorm2d::weightFloats);
        register("Linear", Linear::fromConfig, Linear::weightFloats);
        register("MaxPool2d", Pool2d::fromConfig, null);
        register("AvgPool2d", Pool2d::fromConfig, null);
        register("ReLU", c -> ActivationLayer.relu(), null);
        register("LeakyReLU", c -> ActivationLayer.leakyRelu(c.number("negative_slope")), null);
        register("Sigmoid", c -> ActivationLayer.sigmoid(), null);
        register("Tanh", c -> ActivationLayer.tanh(), null);
        register("ReLU6", c -> ActivationLayer.relu6(), null);
        register("HardSigmoid", c -> ActivationLayer.hardSigmoid(c.number("alpha"), c.number("beta")), null);
        register("HardSwish", c -> ActivationLayer.hardSwish(), null);
        register("GlobalAvgPool2d", c -> new GlobalAvgPool2d(), null);
        register("GlobalMaxPool2d", c -> new GlobalMaxPool2d(), null);
        register("Flatten", c -> new Flatten(), null);
        register("Dropout", Dropout::fromConfig, null);
        register("Add", c -> new Add(), null);
        register("Multiply", c -> new Multiply(), null);
        register("Concat", c -> new Concat(), null);
        register("ScaleShift", ScaleShift::fromConfig, ScaleShift::weightFloats);
        register("ChannelShuffle", c -> new ChannelShuffle(c.integer("groups")), null);
        register("ChannelSlice", c -> new ChannelSlice(c.integer("start"), c.integer("end")), null);
        register("Conv1d", Conv1d::fromConfig, Conv1d::weightFloats);
        register("BatchNorm1d", BatchNorm1d::fromConfig, BatchNorm2d::weightFloats);
        register("MaxPool1d", Pool1d::fromConfig, null);
        register("AvgPool1d", Pool1d::fromConfig, null);
        register("GlobalAvgPool1d", c -> new GlobalAvgPool1d(), null);
        register("GlobalMaxPool1d", c -> new GlobalMaxPool1d(), null);
        register("LogMelSpectrogram", org.cnn4j.audio.LogMelSpectrogram::fromConfig, null);
        register("SpecAugment", org.cnn4j.audio.SpecAugment::fromConfig, null);
        register("FrequencyWarp", org.cnn4j.audio.FrequencyWarp::fromConfig, null);
    }

    private LayerRegistry() {
    }

    private static void register(String name, Function<LayerConfig, Module> factory, ToLongFunction<LayerConfig> weightFloats) {
        TYPES.put(name, new Type(factory, weightFloats == null ? c -> 0 : weightFloats));
    }

    public static Set<String> typeNames() {
        return TYPES.keySet();
    }

    public static boolean knows(String type) {
        return TYPES.containsKey(type);
    }

    /** A new layer of {@code config}'s type and hyper-parameters, with fresh initial weights. */
    public static Module build(LayerConfig config) {
        return type(config).factory.apply(config);
    }

    /** The floats of weights and statistics a layer of {@code config} would allocate. */
    public static long weightFloats(LayerConfig config) {
        return type(config).weightFloats.applyAsLong(config);
    }

    private static Type type(LayerConfig config) {
        Type t = TYPES.get(config.type());
        if (t == null) {
            throw new IllegalArgumentException("unknown layer type '" + config.type() + "' (known: " + String.join(", ", TYPES.keySet()) + ")");
        }
        return t;
    }

    /** The product of sizes below 2^31, saturating at 2^62 (four of them could wrap a long). */
    static long product(long... sizes) {
        long p = 1;
        for (long s : sizes) {
            p = s == 0 || p <= (1L << 62) / s ? p * s : 1L << 62;
        }
        return Math.min(p, 1L << 62);
    }
}

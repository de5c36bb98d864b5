package org.cnn4j.zoo;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cnn4j.nn.Module;

/**
 * The model zoo by name, so a model file can name its architecture and be rebuilt: each entry takes
 * the input shape (channels, height, width) and the number of classes, and says the input it was
 * designed for.
 */
public final class Zoo {
    /** Builds an architecture for an input shape and class count. */
    @FunctionalInterface
    public interface Builder {
        Module build(int channels, int height, int width, int classes);
    }

    /** A zoo architecture: what it is, the input and class count it was designed for, and how to build it. */
    public record Entry(String name, String summary, int channels, int height, int width, int classes, Builder builder) {
        /** Built for its own input shape and class count. */
        public Module build() {
            return builder.build(channels, height, width, classes);
        }
    }

    private static final Map<String, Entry> MODELS = new LinkedHashMap<>();

    static {
        add("fmnist-cnn", "two conv-BN-ReLU blocks and two linear layers", 1, 28, 10, (c, h, w, k) -> FmnistCnn.build(c, h, w, k, 1));
        add("fmnist-cnn-small", "fmnist-cnn at a quarter of the width", 1, 28, 10, (c, h, w, k) -> FmnistCnn.build(c, h, w, k, 4));
        add("fmnist-resnet", "three stages of basic residual blocks, widths 16-64", 1, 28, 10, (c, h, w, k) -> FmnistResnet.build(c, k));
        add("lenet5", "LeNet-5 (ReLU, max pooling)", 1, 28, 10, LeNet5::build);
        add("inception-small", "four GoogLeNet Inception modules with BN", 1, 28, 10, Inception::small);
        add("vgg11", "VGG-11 (configuration A)", 3, 224, 1000, (c, h, w, k) -> Vgg.vgg11(c, h, w, k, false));
        add("vgg11-bn", "VGG-11 with batch norm", 3, 224, 1000, (c, h, w, k) -> Vgg.vgg11(c, h, w, k, true));
        add("vgg16", "VGG-16 (configuration D)", 3, 224, 1000, (c, h, w, k) -> Vgg.vgg16(c, h, w, k, false));
        add("vgg16-bn", "VGG-16 with batch norm", 3, 224, 1000, (c, h, w, k) -> Vgg.vgg16(c, h, w, k, true));
        add("resnet18", "ResNet-18, basic blocks", 3, 224, 1000, ResNet::resnet18);
        add("resnet34", "ResNet-34, basic blocks", 3, 224, 1000, ResNet::resnet34);
        add("resnet50", "ResNet-50, bottleneck blocks", 3, 224, 1000, ResNet::resnet50);
        sound("m5", "M5 raw-waveform CNN: an 80-tap stride-16 stem, three kernel-3 blocks", M5::m5);
        sound("m5-res", "M5's stem and three 1-D basic residual blocks, widths 32-128", M5::m5Res);
        sound("spectro-cnn", "log-mel front end, SpecAugment, four conv-BN-ReLU blocks", SpectroCnn::build);
    }

    private Zoo() {
    }

    /** A sound model, designed for 1 s of 8 kHz audio ([1, 1, 8000]) and the 20 words of tools/make_speech_commands.py. */
    private static void sound(String name, String summary, Builder builder) {
        MODELS.put(name, new Entry(name, summary, 1, 1, 8000, 20, builder));
    }

    private static void add(String name, String summary, int channels, int size, int classes, Builder builder) {
        MODELS.put(name, new Entry(name, summary, channels, size, size, classes, builder));
    }

    /** The architectures by name, in the order they were added. */
    public static Map<String, Entry> models() {
        return Collections.unmodifiableMap(MODELS);
    }

    public static Entry entry(String name) {
        Entry e = MODELS.get(name);
        if (e == null) {
            throw new IllegalArgumentException("zoo: unknown model '" + name + "' (known: " + String.join(", ", MODELS.keySet()) + ")");
        }
        return e;
    }

    public static Module build(String name, int channels, int height, int width, int classes) {
        return entry(name).builder().build(channels, height, width, classes);
    }
}

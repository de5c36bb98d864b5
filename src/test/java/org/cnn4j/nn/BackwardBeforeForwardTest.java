package org.cnn4j.nn;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.cnn4j.backend.Activation;
import org.cnn4j.backend.Pool2dSpec;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.zoo.Zoo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** backward() before any forward() fails with an IllegalStateException naming the layer, for every layer type. */
class BackwardBeforeForwardTest {

    static Stream<Supplier<Module>> everyLayerType() {
        return Stream.of(
                () -> new Conv2d(1, 32, 3, 1, 1, 1, 1, true),
                () -> new Conv2d(4, 4, 3, 1, 1, 1, 4, false),
                () -> new Linear(8, 4),
                () -> new BatchNorm2d(4),
                ActivationLayer::relu,
                () -> ActivationLayer.leakyRelu(0.1f),
                ActivationLayer::sigmoid,
                ActivationLayer::tanh,
                () -> new ActivationLayer(Activation.RELU),
                () -> Pool2d.max(2, 2),
                () -> Pool2d.avg(2, 2),
                () -> new Pool2d(Pool2dSpec.Kind.MAX, 3, 2, 1, true, false),
                GlobalAvgPool2d::new,
                Flatten::new,
                () -> new Dropout(0.5f, 1),
                () -> new Dropout(0f, 1),
                () -> new Sequential(Conv2d.builder(1, 2, 3).padding(1).build(), ActivationLayer.relu(), new Flatten()),
                () -> new Graph("x").layer("a", ActivationLayer.relu(), "x").layer("b", ActivationLayer.tanh(), "x")
                        .add("sum", "a", "b").concat("cat", "sum", "a").output("cat"));
    }

    @ParameterizedTest
    @MethodSource("everyLayerType")
    void namesTheLayer(Supplier<Module> layer) {
        try (Module m = layer.get(); Tensor g = Tensor.zeros(1, 4)) {
            assertThatThrownBy(() -> m.backward(g)).isInstanceOf(IllegalStateException.class).hasMessageEndingWith(": backward before forward");
        }
    }

    @Test
    void inEvaluationModeToo() {
        try (Module m = new Dropout(0.5f, 1).eval(); Tensor g = Tensor.zeros(1, 4)) {
            assertThatThrownBy(() -> m.backward(g)).isInstanceOf(IllegalStateException.class).hasMessage("Dropout(0.5): backward before forward");
        }
    }

    @Test
    void theMessageIsTheLayersDescription() {
        try (Conv2d c = new Conv2d(1, 32, 3, 1, 1, 1, 1, true); Tensor g = Tensor.zeros(1, 32, 28, 28)) {
            assertThatThrownBy(() -> c.backward(g)).hasMessage(c.describe() + ": backward before forward");
        }
    }

    /** Every building block of every zoo model, each fresh, and each whole model. */
    @Test
    void everyModuleOfTheZoo() {
        for (Zoo.Entry e : Zoo.models().values()) {
            boolean imagenet = e.height() > 64; // the ImageNet models at 32x32: their blocks, not their size, matter; signals as they are
            int h = imagenet ? 32 : e.height(), w = imagenet ? 32 : e.width();
            try (Module net = Init.withoutRandomValues(() -> e.builder().build(e.channels(), h, w, 10)); Tensor g = Tensor.zeros(1, 10)) {
                assertThatThrownBy(() -> net.backward(g)).as(e.name()).isInstanceOf(IllegalStateException.class)
                        .hasMessageEndingWith(": backward before forward");
                for (Module m : descendants(net)) { // a container reports the layer its backward reaches first
                    String owner = m.children().isEmpty() ? m.describe() : "";
                    assertThatThrownBy(() -> m.backward(g)).as(e.name() + " " + m.describe()).isInstanceOf(IllegalStateException.class)
                            .hasMessageEndingWith(owner + ": backward before forward");
                }
            }
        }
    }

    private static List<Module> descendants(Module m) {
        List<Module> out = new ArrayList<>();
        for (Module c : m.children().values()) {
            out.add(c);
            out.addAll(descendants(c));
        }
        return out;
    }
}

package org.cnn4j.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Shape;
import org.cnn4j.zoo.Zoo;
import org.junit.jupiter.api.Test;

/**
 * {@code bench --network} sets a network up on the input and classes its zoo entry names; it once guessed
 * them from an {@code fmnist} name prefix and built LeNet-5 on 3x224x224 with 1000 classes (5.7 M parameters).
 * Nothing here is timed.
 */
class NetworkBenchmarkInputTest {

    @Test
    void lenet5IsBenchedOnOneChannel28x28InputsAndTenClasses() {
        Zoo.Entry lenet5 = Zoo.entry("lenet5");
        try (Module model = lenet5.build()) {
            NetworkBenchmark bench = new NetworkBenchmark(model, lenet5);
            assertThat(bench.inputShape(1)).isEqualTo(Shape.of(1, 1, 28, 28));
            assertThat(bench.classes()).isEqualTo(10);
            assertThat(model.parameterCount()).as("LeNet-5's classic size, not the 224x224 one").isEqualTo(61_706);
        }
    }

    @Test
    void resnet50IsBenchedOnThreeChannel224x224InputsAndAThousandClasses() {
        Zoo.Entry resnet50 = Zoo.entry("resnet50");
        try (Module model = resnet50.build()) {
            NetworkBenchmark bench = new NetworkBenchmark(model, resnet50);
            assertThat(bench.inputShape(16)).isEqualTo(Shape.of(16, 3, 224, 224));
            assertThat(bench.classes()).isEqualTo(1000);
        }
    }
}

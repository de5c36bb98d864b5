package org.cnn4j.zoo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The Fashion-MNIST networks of the zoo have the sizes their layers add up to, and named parameters. */
class ZooTest {

    @Test
    void fmnistCnnHas870826Parameters() {
        // conv 288 + 9216 + 18432 + 36864, BN 2*(32+32+64+64), fc1 3136*256+256, fc2 256*10+10 = 870,826 ("about 0.87 M")
        try (Module m = Zoo.build("fmnist-cnn", 1, 28, 28, 10); Tensor x = Tensor.zeros(2, 1, 28, 28)) {
            assertThat(m.parameterCount()).isEqualTo(870_826);
            assertThat(m.namedParameters()).containsKeys("conv1.weight", "bn1.gamma", "bn4.beta", "fc1.weight", "fc2.bias");
            assertThat(m.namedBuffers()).containsKeys("bn1.running_mean", "bn4.running_var");
            assertThat(m.forward(x).dims()).containsExactly(2, 10);
        }
    }

    @Test
    void fmnistResnetHasAbout170kParametersAndSkipConnections() {
        try (Module m = Zoo.build("fmnist-resnet", 1, 28, 28, 10); Tensor x = Tensor.zeros(2, 1, 28, 28)) {
            assertThat(m.parameterCount()).isBetween(165_000L, 180_000L);
            assertThat(m.namedParameters()).containsKeys("s2b1_proj.weight", "s3b1_proj_bn.gamma", "fc.weight");
            assertThat(m.describe()).contains("s1b1_sum <- s1b1_bn2, stem_relu: Add");
            assertThat(m.forward(x).dims()).containsExactly(2, 10);
        }
    }

    @Test
    void theZooListsItsModelsInOrder() {
        assertThat(Zoo.models().keySet()).startsWith("fmnist-cnn", "fmnist-cnn-small", "fmnist-resnet");
    }

    @Test
    void unknownModelsAreNamedInTheError() {
        assertThatThrownBy(() -> Zoo.build("lenet-9", 1, 28, 28, 10)).hasMessageContaining("lenet-9").hasMessageContaining("fmnist-cnn");
    }
}

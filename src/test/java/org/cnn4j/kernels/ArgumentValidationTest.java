package org.cnn4j.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.cnn4j.backend.Activation;
import org.cnn4j.backend.AdamSpec;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.backend.Pool2dSpec;
import org.cnn4j.backend.SgdSpec;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Bad arguments are rejected in Java, before any native call, with a message naming the op, the
 * argument and the values; the JVM lives on (these run on the native backend when it loads).
 */
class ArgumentValidationTest {

    @Test
    void wrongShapesNameTheOpTheArgumentAndTheShapes() {
        Conv2dSpec spec = Conv2dSpec.of(1, 3, 8, 8, 4, 3, 1, 1);
        try (Tensor x = Tensor.zeros(1, 3, 8, 8); Tensor w = Tensor.zeros(4, 2, 3, 3); Tensor y = Tensor.zeros(1, 4, 8, 8)) {
            assertThatThrownBy(() -> Convolution.forward(spec, x, w, null, y)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("conv2d").hasMessageContaining("weight").hasMessageContaining("[4, 2, 3, 3]")
                    .hasMessageContaining("[4, 3, 3, 3]");
            assertThatThrownBy(() -> Elementwise.add(x, y, y)).hasMessageContaining("add").hasMessageContaining("[1, 3, 8, 8]");
            assertThatThrownBy(() -> Linear.forward(Tensor.zeros(2, 5), Tensor.zeros(3, 4), null, Tensor.zeros(2, 3)))
                    .hasMessageContaining("linear").hasMessageContaining("input");
            assertThatThrownBy(() -> Elementwise.concatChannels(List.of(x), y)).hasMessageContaining("concat").hasMessageContaining("channels");
            try (Tensor w3 = Tensor.zeros(4, 3, 3, 3); Tensor small = Tensor.zeros(1, 4, 4, 4)) {
                // a residual that is also the output is named as the residual: that is what the caller got wrong
                assertThatThrownBy(() -> Convolution.forwardAddRelu(spec, x, w3, null, small, small))
                        .hasMessageContaining("conv2d+add+relu").hasMessageContaining("residual").hasMessageContaining("[1, 4, 4, 4]");
            }
        }
    }

    @Test
    void negativeSizesAndImpossibleGeometriesAreRejected() {
        assertThatThrownBy(() -> Conv2dSpec.of(1, 3, -8, 8, 4, 3, 1, 1)).hasMessageContaining("conv2d: h must be > 0, got -8");
        assertThatThrownBy(() -> Conv2dSpec.of(1, 3, 2, 2, 4, 5, 1, 0)).hasMessageContaining("larger than the padded input");
        assertThatThrownBy(() -> Conv2dSpec.of(1, 3, 8, 8, 4, 3, 1, 1, 1, 2)).hasMessageContaining("groups=2");
        assertThatThrownBy(() -> Pool2dSpec.of(Pool2dSpec.Kind.MAX, 1, 1, 4, 4, 0, 1, 0)).hasMessageContaining("pool2d");
        assertThatThrownBy(() -> new SgdSpec(-1f, 0, 0, 0, false)).hasMessageContaining("sgd").hasMessageContaining("lr=-1.0");
        assertThatThrownBy(() -> Gemm.gemm(false, false, -1, 2, 2, 1f, Tensor.zeros(4), Tensor.zeros(4), 0f, Tensor.zeros(4)))
                .hasMessageContaining("gemm").hasMessageContaining("m=-1");
    }

    @Test
    void geometriesThatOverflowAnIntAreRejected() {
        // 4 gaps of 2^30 wrapped to 0 in int, so this 5-tap kernel fit the 8x8 input and the reference returned numbers
        assertThatThrownBy(() -> new Conv2dSpec(1, 1, 8, 8, 1, 5, 1, 1, 1, 0, 0, 0, 0, 1 << 30, 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("conv2d: kernel 5x1 (dilation 1073741824x1, spanning 4294967297x1) is larger than the padded input 8x8");
        assertThatThrownBy(() -> Conv2dSpec.of(1, 1, 8, 8, 1, 3, 1, 1 << 30)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("conv2d: padded input 2147483656x2147483656 (h=8 + padding 1073741824+1073741824");
        assertThatThrownBy(() -> Conv2dSpec.of(1, 1, 1, 1, 1, 1, 1, 30000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("conv2d: output [1, 1, 60001, 60001] has more than 2^31-1 elements");
        // twice 2^30 + 1 wrapped negative in int, so the padding passed as at most half the kernel
        assertThatThrownBy(() -> new Pool2dSpec(Pool2dSpec.Kind.MAX, 1, 1, 8, 8, 3, 3, 1, 1, (1 << 30) + 1, 0, false, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pool2d: padding must be between 0 and half the kernel");
        assertThatThrownBy(() -> new Pool2dSpec(Pool2dSpec.Kind.MAX, 1, 1, 8, 8, Integer.MAX_VALUE - 1, 1, 1, 1, (1 << 30) - 1, 0, false, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pool2d: padded input 2147483654x8");
        assertThatThrownBy(() -> Pool2dSpec.of(Pool2dSpec.Kind.MAX, 1, 1, 46340, 46340, 2, 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pool2d: output [1, 1, 46341, 46341] has more than 2^31-1 elements");
        // ceil mode rounded 2^31-2 + 2^30-1 in int: an output height of 0 instead of PyTorch's 2
        assertThat(new Pool2dSpec(Pool2dSpec.Kind.MAX, 1, 1, Integer.MAX_VALUE, 1, 1, 1, 1 << 30, 1, 0, 0, true, false).outH()).isEqualTo(2);
    }

    @Test
    void closedAndNullTensorsAreRejected() {
        Tensor x = Tensor.zeros(2, 3);
        x.close();
        try (Tensor y = Tensor.zeros(2, 3)) {
            assertThatThrownBy(() -> Activations.forward(Activation.RELU, x, y)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("relu").hasMessageContaining("input").hasMessageContaining("closed");
            assertThatThrownBy(() -> Activations.forward(Activation.RELU, null, y)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("input is null");
            assertThatThrownBy(() -> Loss.softmaxCrossEntropy(Tensor.zeros(2, 3), Tensor.of(new float[] {0, 7}, 2), Tensor.zeros(2, 3), null))
                    .hasMessageContaining("target 1 is 7.0");
        }
        try (Tensor in = Tensor.zeros(2, 3, 4, 4); Tensor c = Tensor.zeros(3); Tensor g = Tensor.zeros(2, 3, 4, 4)) {
            assertThatThrownBy(() -> BatchNorm.backward(1e-5f, true, in, c, null, c, c, g, null, c, c, true))
                    .as("the fused ReLU's mask is recomputed from beta").hasMessageContaining("batchnorm2d backward: beta is null");
        }
    }

    @Test
    void frozenTensorsAreNeverWritten() {
        Conv2dSpec spec = Conv2dSpec.of(1, 3, 8, 8, 4, 3, 1, 1);
        try (Tensor x = Tensor.zeros(1, 3, 8, 8); Tensor w = Tensor.zeros(4, 3, 3, 3).freeze(); Tensor y = Tensor.zeros(1, 4, 8, 8).freeze();
             Tensor g = Tensor.zeros(4, 3, 3, 3); Tensor m = Tensor.zeros(4, 3, 3, 3); Tensor v = Tensor.zeros(4, 3, 3, 3)) {
            assertThatThrownBy(() -> Convolution.forward(spec, x, w, null, y)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("conv2d: output [1, 4, 8, 8] is frozen");
            AdamSpec adam = new AdamSpec(1e-3f, 0.9f, 0.999f, 1e-8f, 0f, false);
            assertThatThrownBy(() -> Optimizers.adamStep(adam, 1, w, g, m, v)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("adam: param [4, 3, 3, 3] is frozen");
            assertThatThrownBy(() -> Activations.forward(Activation.RELU, x, x.reshape(1, 3, 8, 8).freeze()))
                    .hasMessageContaining("relu").hasMessageContaining("output").hasMessageContaining("frozen");
        }
    }
}

package org.cnn4j.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The im2col+GEMM convolution's C ABI rejects geometries Java would never pass (a kernel larger than the
 * input, sizes that overflow an int) with a status and a message instead of crashing; its results are
 * the golden tests' business (NativeConvolutionGoldenTest). {@link #random} is the tests' shared seeded input.
 */
class NativeIm2colTest {

    @BeforeEach
    void load() {
        NativeTestSupport.requireNative();
    }

    @Test
    void invalidGeometryIsAnErrorNotACrash() {
        int[] bad = NativeBackend.geometry(Conv2dSpec.of(1, 1, 4, 4, 1, 3, 1, 0));
        bad[5] = 9; // kernel larger than the input
        try (Tensor x = Tensor.zeros(16); Tensor w = Tensor.zeros(81); Tensor y = Tensor.zeros(16)) {
            int status = NativeKernels.cnn4j_conv2d_im2col_forward(bad, x.buffer(), w.buffer(), null, null, y.buffer(), 0);
            assertThat(status).isEqualTo(1);
            assertThat(NativeKernels.cnn4j_last_error()).contains("im2col");
            assertThatThrownBy(() -> NativeStatus.check(NativeKernels.cnn4j_conv2d_im2col_forward(bad, x.buffer(), w.buffer(), null,
                    null, null, 0), "conv2d")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("im2col");
        }
    }

    @Test
    void aGeometryThatOverflowsAnIntIsAnErrorNotNumbers() {
        // Conv2dSpec rejects it, and so does the native side on its own: 4 gaps of 2^30 wrapped to 0 in 32 bits
        int[] wrapped = NativeBackend.geometry(Conv2dSpec.of(1, 1, 8, 8, 1, 1, 1, 0));
        wrapped[5] = 5; // kh
        wrapped[13] = 1 << 30; // dilation_h
        try (Tensor x = Tensor.zeros(64); Tensor w = Tensor.zeros(5); Tensor y = Tensor.zeros(64)) {
            assertThatThrownBy(() -> NativeStatus.check(NativeKernels.cnn4j_conv2d_im2col_forward(wrapped, x.buffer(), w.buffer(),
                    null, null, y.buffer(), 0), "conv2d")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("conv2d forward (im2col_gemm)")
                    .hasMessageContaining("kernel spanning 4294967297x1 does not fit the padded input 8x8");
        }
    }

    static Tensor random(int[] dims, long seed) {
        Tensor t = Tensor.zeros(dims);
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[t.numel()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return t.copyFrom(v);
    }
}

package org.cnn4j.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * im2col and col2im on every ISA path against plain Java loops, over a seeded grid of geometries
 * with the awkward cases (1x1 inputs, odd sizes, stride larger than the kernel, dilation, uneven
 * padding, widths that are not a multiple of the vector length).
 */
class NativeIm2colTest {

    @BeforeEach
    void load() {
        NativeTestSupport.requireNative();
    }

    @AfterEach
    void restoreIsa() {
        NativeLibrary.useIsa(Isa.AVX512);
    }

    static List<Conv2dSpec> geometries() {
        List<Conv2dSpec> specs = new ArrayList<>(List.of(
                Conv2dSpec.of(1, 1, 1, 1, 1, 1, 1, 0),
                Conv2dSpec.of(1, 3, 5, 7, 2, 3, 1, 1),
                Conv2dSpec.of(2, 2, 17, 33, 4, 3, 1, 1),
                Conv2dSpec.of(1, 4, 9, 9, 2, 2, 3, 0),
                Conv2dSpec.of(1, 2, 13, 19, 2, 3, 2, 2, 2, 1),
                new Conv2dSpec(1, 3, 8, 21, 3, 3, 2, 1, 2, 0, 2, 1, 0, 1, 3, 1),
                Conv2dSpec.of(1, 1, 40, 40, 1, 5, 4, 2)));
        SplittableRandom rnd = new SplittableRandom(2024);
        while (specs.size() < 60) {
            int k = 1 + rnd.nextInt(5), d = 1 + rnd.nextInt(2), s = 1 + rnd.nextInt(3), p = rnd.nextInt(3);
            int h = 1 + rnd.nextInt(24), w = 1 + rnd.nextInt(40);
            if (h + 2 * p < (k - 1) * d + 1 || w + 2 * p < (k - 1) * d + 1) {
                continue;
            }
            specs.add(Conv2dSpec.of(1 + rnd.nextInt(2), 1 + rnd.nextInt(4), h, w, 1, k, s, p, d, 1));
        }
        return specs;
    }

    @Test
    void im2colMatchesPlainJavaOnEveryIsa() {
        for (Isa isa : NativeTestSupport.runnableIsas()) {
            assertThat(NativeLibrary.useIsa(isa)).isEqualTo(isa);
            for (Conv2dSpec spec : geometries()) {
                try (Tensor input = random(spec.inputDims(), 7);
                     Tensor columns = Tensor.zeros(spec.c() * spec.kh() * spec.kw(), spec.outH() * spec.outW())) {
                    int image = spec.n() - 1;
                    NativeBackend.instance().im2col(spec, input, image, columns);
                    // pure copies: equal bit for bit
                    assertThat(columns.toArray()).as("%s on %s", spec, isa).containsExactly(plainIm2col(spec, input.toArray(), image));
                }
            }
        }
    }

    @Test
    void col2imMatchesPlainJavaOnEveryIsa() {
        for (Isa isa : NativeTestSupport.runnableIsas()) {
            NativeLibrary.useIsa(isa);
            for (Conv2dSpec spec : geometries()) {
                int rows = spec.c() * spec.kh() * spec.kw(), cols = spec.outH() * spec.outW();
                try (Tensor columns = random(new int[] {rows, cols}, 11); Tensor image = Tensor.zeros(spec.inputDims())) {
                    image.fill(42f); // col2im must overwrite, not accumulate into old values
                    NativeBackend.instance().col2im(spec, columns, 0, image);
                    float[] expected = plainCol2im(spec, columns.toArray());
                    float[] actual = java.util.Arrays.copyOf(image.toArray(), expected.length);
                    // each pixel sums at most kh*kw taps in the same order as the loop below: a few ulps at most
                    for (int i = 0; i < expected.length; i++) {
                        assertThat(actual[i]).as("%s on %s at %d", spec, isa, i).isCloseTo(expected[i], org.assertj.core.api.Assertions.within(1e-5f * (1 + Math.abs(expected[i]))));
                    }
                }
            }
        }
    }

    @Test
    void invalidGeometryIsAnErrorNotACrash() {
        int[] bad = NativeBackend.geometry(Conv2dSpec.of(1, 1, 4, 4, 1, 3, 1, 0));
        bad[5] = 9; // kernel larger than the input
        try (Tensor img = Tensor.zeros(16); Tensor col = Tensor.zeros(16)) {
            int status = NativeKernels.cnn4j_im2col(bad, img.buffer(), col.buffer());
            assertThat(status).isEqualTo(1);
            assertThat(NativeKernels.cnn4j_last_error()).contains("im2col").contains("geometry");
            assertThatThrownBy(() -> NativeStatus.check(NativeKernels.cnn4j_im2col(bad, img.buffer(), null), "im2col"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("im2col");
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

    private static float[] plainIm2col(Conv2dSpec s, float[] x, int image) {
        int oh = s.outH(), ow = s.outW();
        float[] col = new float[s.c() * s.kh() * s.kw() * oh * ow];
        for (int c = 0; c < s.c(); c++) {
            for (int i = 0; i < s.kh(); i++) {
                for (int j = 0; j < s.kw(); j++) {
                    int row = (c * s.kh() + i) * s.kw() + j;
                    for (int y = 0; y < oh; y++) {
                        for (int z = 0; z < ow; z++) {
                            int ih = y * s.strideH() - s.padTop() + i * s.dilationH();
                            int iw = z * s.strideW() - s.padLeft() + j * s.dilationW();
                            boolean inside = ih >= 0 && ih < s.h() && iw >= 0 && iw < s.w();
                            col[(row * oh + y) * ow + z] = inside ? x[((image * s.c() + c) * s.h() + ih) * s.w() + iw] : 0f;
                        }
                    }
                }
            }
        }
        return col;
    }

    private static float[] plainCol2im(Conv2dSpec s, float[] col) {
        int oh = s.outH(), ow = s.outW();
        float[] x = new float[s.c() * s.h() * s.w()];
        for (int c = 0; c < s.c(); c++) {
            for (int i = 0; i < s.kh(); i++) {
                for (int j = 0; j < s.kw(); j++) {
                    int row = (c * s.kh() + i) * s.kw() + j;
                    for (int y = 0; y < oh; y++) {
                        for (int z = 0; z < ow; z++) {
                            int ih = y * s.strideH() - s.padTop() + i * s.dilationH();
                            int iw = z * s.strideW() - s.padLeft() + j * s.dilationW();
                            if (ih >= 0 && ih < s.h() && iw >= 0 && iw < s.w()) {
                                x[(c * s.h() + ih) * s.w() + iw] += col[(row * oh + y) * ow + z];
                            }
                        }
                    }
                }
            }
        }
        return x;
    }
}

package org.cnn4j.filters;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.backend.Pool2dSpec;
import org.cnn4j.backend.cpu.NativeBackend;
import org.cnn4j.backend.reference.ReferenceBackend;
import org.cnn4j.kernels.Convolution;
import org.cnn4j.kernels.Elementwise;
import org.cnn4j.kernels.Pooling;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The worked examples of the lecture cnn4j grew from, on every backend. */
class LectureExamplesTest {

    static List<Backend> backends() {
        return NativeBackend.isAvailable() ? List.of(ReferenceBackend.INSTANCE, NativeBackend.instance()) : List.of(ReferenceBackend.INSTANCE);
    }

    @AfterEach
    void restore() {
        Backends.use(backends().get(backends().size() - 1));
    }

    @ParameterizedTest
    @MethodSource("backends")
    void discreteConvolutionOfAPatchIsTheSumOfProducts(Backend backend) {
        Backends.use(backend);
        float[] patch = {1, 0, 0, 1, 1, 0, 1, 1, 1};
        float[] kernel = {1, 0, 1, 0, 1, 0, 1, 0, 1};
        try (Tensor x = Tensor.of(patch, 1, 1, 3, 3); Tensor w = Tensor.of(kernel, 1, 1, 3, 3);
             Tensor products = Tensor.zeros(1, 1, 3, 3); Tensor y = Tensor.zeros(1, 1, 1, 1)) {
            Elementwise.multiply(x, w, products);
            assertThat(products.toArray()).containsExactly(1, 0, 0, 0, 1, 0, 1, 0, 1);
            Convolution.forward(Conv2dSpec.of(1, 1, 3, 3, 1, 3, 1, 0), x, w, null, y);
            assertThat(y.toArray()).containsExactly(4);
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void maxPool2x2Stride2KeepsTheLargestOfEachBlock(Backend backend) {
        Backends.use(backend);
        float[] in = {1, 1, 2, 4, 5, 6, 9, 3, 3, 2, 4, 4, 1, 2, 0, 7};
        try (Tensor x = Tensor.of(in, 1, 1, 4, 4); Tensor y = Tensor.zeros(1, 1, 2, 2)) {
            Pooling.forward(Pool2dSpec.of(Pool2dSpec.Kind.MAX, 1, 1, 4, 4, 2, 2, 0), x, y);
            assertThat(y.toArray()).containsExactly(6, 9, 3, 7);
        }
    }

    /**
     * The slide's line detectors: a 5x5 kernel whose middle row (or column) is ones sums five pixels
     * along a line, so on an image of black with white lines it reads 5 exactly where a line is and 0
     * elsewhere (the slide's "5 5 5 5 5" rows and columns).
     */
    @ParameterizedTest
    @MethodSource("backends")
    void lineDetectorsLightUpExactlyOnTheLines(Backend backend) {
        Backends.use(backend);
        int h = 13, w = 13;
        float[] horizontal = new float[h * w];
        float[] vertical = new float[h * w];
        for (int i = 0; i < w; i++) {
            horizontal[4 * w + i] = 1;
            horizontal[8 * w + i] = 1;
            vertical[i * w + 6] = 1;
        }
        float[] rowKernel = new float[25];
        float[] columnKernel = new float[25];
        for (int i = 0; i < 5; i++) {
            rowKernel[2 * 5 + i] = 1;
            columnKernel[i * 5 + 2] = 1;
        }
        Conv2dSpec spec = Conv2dSpec.of(1, 1, h, w, 1, 5, 1, 2);
        try (Tensor img = Tensor.of(horizontal, 1, 1, h, w); Tensor img2 = Tensor.of(vertical, 1, 1, h, w);
             Tensor rowDetector = Tensor.of(rowKernel, 1, 1, 5, 5); Tensor columnDetector = Tensor.of(columnKernel, 1, 1, 5, 5);
             Tensor y = Tensor.zeros(1, 1, h, w); Tensor y2 = Tensor.zeros(1, 1, h, w)) {
            Convolution.forward(spec, img, rowDetector, null, y);
            Convolution.forward(spec, img2, columnDetector, null, y2);
            for (int r = 0; r < h; r++) {
                for (int c = 2; c < w - 2; c++) { // away from the zero padding at the ends of a line
                    assertThat(y.get(0, 0, r, c)).as("row %d col %d", r, c).isEqualTo(r == 4 || r == 8 ? 5f : 0f);
                    assertThat(y2.get(0, 0, c, r)).as("col %d row %d", r, c).isEqualTo(r == 6 ? 5f : 0f);
                }
            }
            // the horizontal detector does not see the vertical line except where it crosses one pixel
            Convolution.forward(spec, img2, rowDetector, null, y);
            assertThat(y.get(0, 0, 3, 6)).isEqualTo(1f);
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void classicFiltersFindEdges(Backend backend) {
        Backends.use(backend);
        float[] step = new float[8 * 8];
        for (int r = 0; r < 8; r++) {
            for (int c = 4; c < 8; c++) {
                step[r * 8 + c] = 1; // dark left half, bright right half: one vertical edge
            }
        }
        try (Tensor img = Tensor.of(step, 1, 1, 8, 8); Tensor gx = Filtering.apply(ImageFilter.SOBEL_X, img);
             Tensor gy = Filtering.apply(ImageFilter.SOBEL_Y, img); Tensor blur = Filtering.apply(ImageFilter.BOX_BLUR, img)) {
            assertThat(gx.get(0, 0, 4, 3)).isEqualTo(4f);
            assertThat(gx.get(0, 0, 4, 4)).isEqualTo(4f);
            assertThat(gx.get(0, 0, 4, 1)).isEqualTo(0f);
            assertThat(gy.get(0, 0, 4, 4)).isEqualTo(0f);
            assertThat(blur.get(0, 0, 4, 4)).isCloseTo(2f / 3, org.assertj.core.api.Assertions.within(1e-6f));
            assertThat(ImageFilter.byLabel("gaussian-blur").weights()).hasSize(25);
        }
    }
}

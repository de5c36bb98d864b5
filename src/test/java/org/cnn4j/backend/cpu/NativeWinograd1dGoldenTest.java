package org.cnn4j.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.backend.ConvAlgorithm;
import org.cnn4j.backend.reference.ReferenceBackend;
import org.cnn4j.selftest.Tolerance;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * 1-D Winograd F(4,3) and F(6,3) against the reference backend (double accumulation) on a seeded grid of
 * signal shapes [N, C, 1, L] with 1x3 kernels: L = 1..3 with padding, L not a multiple of the tile, C and K
 * not multiples of 16, causal padding (left 2, right 0), padding 3 (negative padding in backward-data),
 * batches of 1 to 3, forward with and without bias and fused with a residual and ReLU, backward-data and
 * backward-weights (with and without the bias gradient), on every ISA path; a differential fuzz over random
 * signal geometries; and the strided 1xk layers of sound models on oneDNN and im2col+GEMM.
 *
 * <p>Tolerance: max |y - ref| / max |ref| within {@link Tolerance#convolution}, twice the documented bounds
 * {@link Tolerance#F4_1D_BOUND} and {@link Tolerance#F6_1D_BOUND} in units of sqrt(R) * 2^-24 (R = C*3
 * forward, K*3 backward-data, N*L backward-weights): F(6,3)'s are the larger because its transform constants
 * (32 in A^T, 21/4 in B^T) grow the values rounded to float32 more than F(4,3)'s (8 and 5). {@link #errorTable}
 * checks the measured errors against the bounds.
 */
class NativeWinograd1dGoldenTest {
    @BeforeEach
    void load() {
        NativeTestSupport.requireNative();
    }

    @AfterEach
    void reset() {
        ConvAlgorithm.use(null);
        NativeLibrary.useIsa(Isa.AVX512);
    }

    /** A signal convolution with a 1xk kernel, stride s and padding left/right. */
    static Conv2dSpec signal(int n, int c, int length, int k, int kernel, int stride, int left, int right) {
        return new Conv2dSpec(n, c, 1, length, k, 1, kernel, 1, stride, 0, 0, left, right, 1, 1, 1);
    }

    static List<Conv2dSpec> shapes() {
        List<Conv2dSpec> specs = new ArrayList<>(List.of(
                signal(1, 16, 16, 32, 3, 1, 1, 1),
                signal(1, 5, 1, 3, 3, 1, 1, 1),     // one sample, padded to the kernel
                signal(2, 7, 2, 9, 3, 1, 1, 1),
                signal(1, 3, 3, 4, 3, 1, 0, 0),     // one output
                signal(2, 9, 1, 5, 3, 1, 2, 0),     // causal, one sample
                signal(3, 17, 29, 33, 3, 1, 2, 0),  // causal, L not a multiple of 4 or 6
                signal(2, 33, 31, 17, 3, 1, 1, 1),
                signal(1, 4, 11, 50, 3, 1, 3, 3),   // backward-data's reversed convolution has padding -1
                signal(1, 20, 13, 24, 3, 1, 0, 2),
                signal(3, 21, 400, 35, 3, 1, 1, 1), // hundreds of tiles: each thread runs its own chunks
                signal(3, 13, 333, 11, 3, 1, 1, 1))); // the same with 16-wide panels (K <= 16)
        SplittableRandom rnd = new SplittableRandom(13);
        while (specs.size() < 50) {
            int c = 1 + rnd.nextInt(rnd.nextBoolean() ? 8 : 70), k = 1 + rnd.nextInt(rnd.nextBoolean() ? 8 : 70);
            int length = 1 + rnd.nextInt(rnd.nextBoolean() ? 8 : 80), left = rnd.nextInt(4), right = rnd.nextInt(4);
            if (length + left + right < 3) {
                continue;
            }
            specs.add(signal(1 + rnd.nextInt(3), c, length, k, 3, 1, left, right));
        }
        return specs;
    }

    @ParameterizedTest
    @EnumSource(value = ConvAlgorithm.class, names = {"WINOGRAD_1D_F4_3", "WINOGRAD_1D_F6_3"})
    void matchesTheReferenceInEveryDirectionOnEveryIsa(ConvAlgorithm algorithm) {
        SplittableRandom seeds = new SplittableRandom(algorithm.ordinal());
        int checked = 0;
        for (Isa isa : NativeTestSupport.runnableIsas()) {
            NativeLibrary.useIsa(isa);
            for (Conv2dSpec spec : shapes()) {
                check(spec, algorithm, seeds.nextBoolean() ? Layout.NHWC : Layout.NCHW, seeds.nextLong(), isa);
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(50);
    }

    /** Random signal geometries (seeded), every direction and the fused epilogue, on the active ISA. */
    @ParameterizedTest
    @EnumSource(value = ConvAlgorithm.class, names = {"WINOGRAD_1D_F4_3", "WINOGRAD_1D_F6_3"})
    void differentialFuzzOverRandomSignalGeometries(ConvAlgorithm algorithm) {
        SplittableRandom rnd = new SplittableRandom(1000 + algorithm.ordinal());
        for (int i = 0; i < 150; i++) {
            int length = 1 + rnd.nextInt(rnd.nextInt(4) == 0 ? 5 : 200), left = rnd.nextInt(5), right = rnd.nextInt(5);
            if (length + left + right < 3) {
                continue;
            }
            Conv2dSpec spec = signal(1 + rnd.nextInt(4), 1 + rnd.nextInt(96), length, 1 + rnd.nextInt(96), 3, 1, left, right);
            check(spec, algorithm, rnd.nextBoolean() ? Layout.NHWC : Layout.NCHW, rnd.nextLong(), NativeLibrary.activeIsa());
        }
    }

    @Test
    void theFilterTransformIsCachedAndRecomputedWhenTheWeightsChange() {
        Conv2dSpec s = signal(1, 24, 50, 40, 3, 1, 1, 1);
        try (Tensor x = NativeIm2colTest.random(s.inputDims(), 1).toLayout(Layout.NHWC);
             Tensor w = NativeIm2colTest.random(s.weightDims(), 2);
             Tensor y = Tensor.zeros(Shape.of(s.outputDims()), Layout.NHWC);
             Tensor yRef = Tensor.zeros(s.outputDims())) {
            ConvAlgorithm.use(ConvAlgorithm.WINOGRAD_1D_F6_3);
            NativeBackend.instance().conv2dForward(s, x, w, null, y);
            long before = NativeKernels.cnn4j_winograd_filter_transforms();
            NativeBackend.instance().conv2dForward(s, x, w, null, y);
            assertThat(NativeKernels.cnn4j_winograd_filter_transforms()).as("unchanged weights reuse U").isEqualTo(before);
            w.buffer().put(17, w.buffer().get(17) + 0.5f); // in place, as an optimiser step would
            NativeBackend.instance().conv2dForward(s, x, w, null, y);
            assertThat(NativeKernels.cnn4j_winograd_filter_transforms()).as("changed weights recompute U").isEqualTo(before + 1);
            ReferenceBackend.INSTANCE.conv2dForward(s, x, w, null, yRef);
            NativeGoldenSupport.assertWithin("forward after a weight change", y.toArray(), yRef.toArray(),
                    Tolerance.convolution(ConvAlgorithm.WINOGRAD_1D_F6_3, s.c() * 3));
        }
    }

    @Test
    void anIneligibleShapeIsRejectedWithTheOpAndTheShape() {
        Conv2dSpec strided = signal(1, 8, 20, 8, 3, 2, 1, 1);
        assertThat(NativeConvolution.supports(ConvAlgorithm.WINOGRAD_1D_F4_3, strided)).isFalse();
        assertThat(NativeConvolution.supports(ConvAlgorithm.WINOGRAD_1D_F4_3, Conv2dSpec.of(1, 8, 9, 9, 8, 3, 1, 1))).isFalse();
        assertThat(NativeConvolution.supports(ConvAlgorithm.WINOGRAD_1D_F6_3, signal(1, 8, 20, 8, 3, 1, 2, 0))).isTrue();
        try (Tensor x = Tensor.zeros(strided.inputDims()); Tensor w = Tensor.zeros(strided.weightDims());
             Tensor y = Tensor.zeros(strided.outputDims())) {
            ConvAlgorithm.use(ConvAlgorithm.WINOGRAD_1D_F6_3);
            assertThatThrownBy(() -> NativeBackend.instance().conv2dForward(strided, x, w, null, y))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("conv2d forward").hasMessageContaining("WINOGRAD_1D_F6_3")
                    .hasMessageContaining("stride").hasMessageContaining(strided.toString());
        }
    }

    /** The weight gradient sums per-thread copies in a fixed split: it must repeat bit for bit. */
    @ParameterizedTest
    @EnumSource(value = ConvAlgorithm.class, names = {"WINOGRAD_1D_F4_3", "WINOGRAD_1D_F6_3"})
    void theWeightGradientRepeatsBitForBit(ConvAlgorithm algorithm) {
        Conv2dSpec s = signal(64, 32, 124, 32, 3, 1, 1, 1); // thousands of tiles: per-thread accumulators
        ConvAlgorithm.use(algorithm);
        try (Tensor x = NativeIm2colTest.random(s.inputDims(), 5).toLayout(Layout.NHWC);
             Tensor dy = NativeIm2colTest.random(s.outputDims(), 6).toLayout(Layout.NHWC);
             Tensor dw = Tensor.zeros(s.weightDims()); Tensor db = Tensor.zeros(s.k())) {
            NativeBackend.instance().conv2dBackwardWeights(s, x, dy, dw, db);
            float[] first = dw.toArray(), firstBias = db.toArray();
            for (int run = 0; run < 4; run++) {
                NativeBackend.instance().conv2dBackwardWeights(s, x, dy, dw, db);
                assertThat(dw.toArray()).as("run %d", run).isEqualTo(first);
                assertThat(db.toArray()).as("run %d", run).isEqualTo(firstBias);
            }
        }
    }

    /**
     * The strided 1xk layers of sound models (a k=80 stride-16 stem on raw audio, kernel-3 stride-2 and
     * 1x1 stride-2 downsampling) on the direct algorithms, in every direction. Tolerance: {@link Tolerance#sum}
     * of the reduction, as for any direct float32 convolution.
     */
    @ParameterizedTest
    @EnumSource(value = ConvAlgorithm.class, names = {"ONEDNN", "IM2COL_GEMM"})
    void stridedSignalLayersMatchTheReferenceOnTheDirectAlgorithms(ConvAlgorithm algorithm) {
        for (Conv2dSpec s : List.of(signal(2, 1, 8000, 32, 80, 16, 0, 0), signal(2, 1, 1000, 8, 80, 16, 3, 5),
                signal(2, 32, 124, 64, 3, 2, 1, 1), signal(1, 64, 62, 128, 3, 2, 1, 1), signal(2, 32, 124, 64, 1, 2, 0, 0),
                signal(1, 64, 61, 128, 1, 2, 0, 0))) {
            ConvAlgorithm.use(algorithm);
            try (Tensor x = NativeIm2colTest.random(s.inputDims(), 7).toLayout(Layout.NHWC);
                 Tensor w = NativeIm2colTest.random(s.weightDims(), 8);
                 Tensor b = NativeIm2colTest.random(new int[] {s.k()}, 9);
                 Tensor dy = NativeIm2colTest.random(s.outputDims(), 10).toLayout(Layout.NHWC);
                 Tensor y = Tensor.zeros(Shape.of(s.outputDims()), Layout.NHWC);
                 Tensor dx = Tensor.zeros(Shape.of(s.inputDims()), Layout.NHWC);
                 Tensor dw = Tensor.zeros(s.weightDims()); Tensor db = Tensor.zeros(s.k());
                 Tensor yRef = Tensor.zeros(s.outputDims()); Tensor dxRef = Tensor.zeros(s.inputDims());
                 Tensor dwRef = Tensor.zeros(s.weightDims()); Tensor dbRef = Tensor.zeros(s.k())) {
                String what = algorithm + " " + s;
                NativeBackend.instance().conv2dForward(s, x, w, b, y);
                NativeBackend.instance().conv2dBackwardData(s, dy, w, dx);
                NativeBackend.instance().conv2dBackwardWeights(s, x, dy, dw, db);
                ReferenceBackend ref = ReferenceBackend.INSTANCE;
                ref.conv2dForward(s, x, w, b, yRef);
                ref.conv2dBackwardData(s, dy, w, dxRef);
                ref.conv2dBackwardWeights(s, x, dy, dwRef, dbRef);
                NativeGoldenSupport.assertWithin(what + " forward", y.toArray(), yRef.toArray(), Tolerance.sum(s.c() * s.kw() + 1));
                NativeGoldenSupport.assertWithin(what + " backward data", dx.toArray(), dxRef.toArray(), Tolerance.sum(s.k() * s.kw()));
                NativeGoldenSupport.assertWithin(what + " backward weights", dw.toArray(), dwRef.toArray(), Tolerance.sum(s.n() * s.outW()));
                NativeGoldenSupport.assertWithin(what + " bias gradient", db.toArray(), dbRef.toArray(), Tolerance.sum(s.n() * s.outW()));
            }
        }
    }

    /**
     * The error table of the documentation: max |y - ref| / max |ref| of forward, L = 96, K = 16, pad 1,
     * inputs and weights uniform in [-1, 1], on the active ISA, for C = 16..512, each within the documented
     * bound; then the weight gradient's as its reduction R = N*L grows.
     */
    @Test
    void errorTable() {
        StringBuilder table = new StringBuilder(String.format("%6s %16s %16s %16s%n", "C", "F(4,3)", "F(6,3)", "im2col_gemm"));
        for (int c = 16; c <= 512; c *= 2) {
            Conv2dSpec s = signal(1, c, 96, 16, 3, 1, 1, 1);
            try (Tensor x = NativeIm2colTest.random(s.inputDims(), c).toLayout(Layout.NHWC);
                 Tensor w = NativeIm2colTest.random(s.weightDims(), c + 1);
                 Tensor y = Tensor.zeros(Shape.of(s.outputDims()), Layout.NHWC);
                 Tensor yRef = Tensor.zeros(s.outputDims())) {
                ReferenceBackend.INSTANCE.conv2dForward(s, x, w, null, yRef);
                tableRow(table, c, c * 3, yRef, y, () -> NativeBackend.instance().conv2dForward(s, x, w, null, y));
            }
        }
        table.append(String.format("%6s %16s %16s %16s%n", "R", "dW F(4,3)", "dW F(6,3)", "im2col_gemm"));
        for (int n = 1; n <= 64; n *= 4) {
            Conv2dSpec s = signal(n, 32, 124, 32, 3, 1, 1, 1);
            int terms = n * 124;
            try (Tensor x = NativeIm2colTest.random(s.inputDims(), n).toLayout(Layout.NHWC);
                 Tensor dy = NativeIm2colTest.random(s.outputDims(), n + 1).toLayout(Layout.NHWC);
                 Tensor dw = Tensor.zeros(s.weightDims());
                 Tensor dwRef = Tensor.zeros(s.weightDims())) {
                ReferenceBackend.INSTANCE.conv2dBackwardWeights(s, x, dy, dwRef, null);
                tableRow(table, terms, terms, dwRef, dw, () -> NativeBackend.instance().conv2dBackwardWeights(s, x, dy, dw, null));
            }
        }
        System.out.print("Winograd 1-D error table (max |y - ref| / max |ref|, " + NativeLibrary.activeIsa() + "):\n" + table);
    }

    /** One table row: each error, then its size in units of sqrt(terms) 2^-24, within the documented bound. */
    private static void tableRow(StringBuilder table, int label, int terms, Tensor expected, Tensor actual, Runnable run) {
        table.append(String.format("%6d", label));
        for (ConvAlgorithm a : List.of(ConvAlgorithm.WINOGRAD_1D_F4_3, ConvAlgorithm.WINOGRAD_1D_F6_3, ConvAlgorithm.IM2COL_GEMM)) {
            ConvAlgorithm.use(a);
            run.run();
            double error = NativeWinogradGoldenTest.relativeError(actual.toArray(), expected.toArray());
            table.append(String.format(Locale.ROOT, " %9.2e (%4.2f)", error, error / (Math.sqrt(terms) * 0x1p-24)));
            assertThat(error).as("%s at %d", a, label).isLessThanOrEqualTo(Tolerance.convolutionBound(a, terms));
        }
        table.append('\n');
    }

    private static void check(Conv2dSpec s, ConvAlgorithm algorithm, Layout layout, long seed, Isa isa) {
        boolean bias = (seed & 1) == 0, fused = (seed & 2) == 0;
        try (Tensor x = NativeIm2colTest.random(s.inputDims(), seed).toLayout(layout);
             Tensor w = NativeIm2colTest.random(s.weightDims(), seed + 1);
             Tensor b = NativeIm2colTest.random(new int[] {s.k()}, seed + 2);
             Tensor dy = NativeIm2colTest.random(s.outputDims(), seed + 3).toLayout(layout);
             Tensor residual = NativeIm2colTest.random(s.outputDims(), seed + 4).toLayout(layout);
             Tensor y = Tensor.zeros(Shape.of(s.outputDims()), layout);
             Tensor yRef = Tensor.zeros(s.outputDims());
             Tensor dx = Tensor.zeros(Shape.of(s.inputDims()), layout);
             Tensor dxRef = Tensor.zeros(s.inputDims());
             Tensor dw = Tensor.zeros(s.weightDims());
             Tensor dwRef = Tensor.zeros(s.weightDims());
             Tensor db = Tensor.zeros(s.k());
             Tensor dbRef = Tensor.zeros(s.k())) {
            String what = algorithm + " " + isa + " " + layout + (fused ? " +residual+relu" : "") + " " + s;
            ConvAlgorithm.use(algorithm);
            ReferenceBackend ref = ReferenceBackend.INSTANCE;
            if (fused) {
                NativeBackend.instance().conv2dForwardAddRelu(s, x, w, bias ? b : null, residual, y);
                ref.conv2dForwardAddRelu(s, x, w, bias ? b : null, residual, yRef);
            } else {
                NativeBackend.instance().conv2dForward(s, x, w, bias ? b : null, y);
                ref.conv2dForward(s, x, w, bias ? b : null, yRef);
            }
            NativeBackend.instance().conv2dBackwardData(s, dy, w, dx);
            NativeBackend.instance().conv2dBackwardWeights(s, x, dy, dw, bias ? db : null);
            ref.conv2dBackwardData(s, dy, w, dxRef);
            ref.conv2dBackwardWeights(s, x, dy, dwRef, bias ? dbRef : null);
            // the add and the ReLU are exact in float: the fused output carries the convolution's error
            NativeGoldenSupport.assertWithin(what + " forward", y.toArray(), yRef.toArray(), Tolerance.convolution(algorithm, s.c() * 3 + 1));
            NativeGoldenSupport.assertWithin(what + " backward data", dx.toArray(), dxRef.toArray(), Tolerance.convolution(algorithm, s.k() * 3));
            NativeGoldenSupport.assertWithin(what + " backward weights", dw.toArray(), dwRef.toArray(),
                    Tolerance.convolution(algorithm, s.n() * s.outW()));
            if (bias) { // a plain sum of dy in double
                NativeConvolutionGoldenTest.assertClose(what + " bias gradient", db.toArray(), dbRef.toArray(), 4);
            }
        }
    }
}

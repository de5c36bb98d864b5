package org.cnn4j.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.backend.ConvAlgorithm;
import org.cnn4j.backend.ConvDirection;
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
 * Winograd F(2x2,3x3) and F(4x4,3x3) against the reference backend (double accumulation) on a seeded
 * grid of 3x3 stride-1 shapes with odd sizes, C and K not multiples of 16, batches of 1 to 3 and every
 * padding from 0 to 2 per side (plus 3, where backward-data's flipped convolution has negative
 * padding), forward with and without bias, backward-data and backward-weights (with and without the
 * bias gradient), on every ISA path.
 *
 * <p>Tolerance: the error is measured as max |y - ref| / max |ref|, within {@link Tolerance#convolution}:
 * twice the documented bounds ({@link Tolerance#F2_BOUND}, {@link Tolerance#F4_BOUND} and
 * {@link Tolerance#DIRECT_BOUND} in units of sqrt(R) * 2^-24, R = C*9 forward, K*9 backward-data, N*H*W
 * backward-weights; the reasons are given there), which {@link #errorTable} and
 * {@link #weightGradientErrorTable} check the measured errors against.
 */
class NativeWinogradGoldenTest {
    @BeforeEach
    void load() {
        NativeTestSupport.requireNative();
    }

    @AfterEach
    void reset() {
        ConvAlgorithm.use(null);
        ConvAlgorithm.allowWinograd(null);
        NativeLibrary.useIsa(Isa.AVX512);
    }

    static List<Conv2dSpec> shapes() {
        List<Conv2dSpec> specs = new ArrayList<>(List.of(
                Conv2dSpec.of(1, 16, 8, 8, 32, 3, 1, 1),
                Conv2dSpec.of(2, 33, 9, 7, 17, 3, 1, 0),
                Conv2dSpec.of(1, 5, 1, 1, 3, 3, 1, 1),
                Conv2dSpec.of(1, 7, 3, 3, 9, 3, 1, 0),
                Conv2dSpec.of(3, 4, 5, 6, 50, 3, 1, 3),
                Conv2dSpec.of(3, 21, 31, 29, 35, 3, 1, 1), // 192 tiles of F(4x4): each thread runs its own chunks
                Conv2dSpec.of(3, 13, 31, 29, 11, 3, 1, 1), // the same with 16-wide panels (K <= 16), and C <= 16 backward
                Conv2dSpec.of(5, 10, 22, 22, 12, 3, 1, 1), // own chunks again, 180 (F(4x4)) or 605 tiles: a last block of fewer than 8
                new Conv2dSpec(1, 20, 11, 13, 24, 3, 3, 1, 1, 0, 2, 2, 1, 1, 1, 1)));
        SplittableRandom rnd = new SplittableRandom(11);
        while (specs.size() < 60) {
            int c = 1 + rnd.nextInt(rnd.nextBoolean() ? 8 : 40), k = 1 + rnd.nextInt(rnd.nextBoolean() ? 8 : 40);
            int h = 1 + 2 * rnd.nextInt(8), w = 1 + 2 * rnd.nextInt(8);
            int pt = rnd.nextInt(3), pb = rnd.nextInt(3), pl = rnd.nextInt(3), pr = rnd.nextInt(3);
            if (h + pt + pb < 3 || w + pl + pr < 3) {
                continue;
            }
            specs.add(new Conv2dSpec(1 + rnd.nextInt(3), c, h, w, k, 3, 3, 1, 1, pt, pb, pl, pr, 1, 1, 1));
        }
        return specs;
    }

    @ParameterizedTest
    @EnumSource(value = ConvAlgorithm.class, names = {"WINOGRAD_2X2_3X3", "WINOGRAD_4X4_3X3"})
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
        assertThat(checked).isGreaterThanOrEqualTo(60);
    }

    @Test
    void theFilterTransformIsCachedAndRecomputedWhenTheWeightsChange() {
        Conv2dSpec s = Conv2dSpec.of(1, 24, 9, 9, 40, 3, 1, 1);
        try (Tensor x = NativeIm2colTest.random(s.inputDims(), 1).toLayout(Layout.NHWC);
             Tensor w = NativeIm2colTest.random(s.weightDims(), 2);
             Tensor y = Tensor.zeros(Shape.of(s.outputDims()), Layout.NHWC);
             Tensor yRef = Tensor.zeros(s.outputDims())) {
            ConvAlgorithm.use(ConvAlgorithm.WINOGRAD_4X4_3X3);
            NativeBackend.instance().conv2dForward(s, x, w, null, y);
            long before = NativeKernels.cnn4j_winograd_filter_transforms();
            NativeBackend.instance().conv2dForward(s, x, w, null, y);
            assertThat(NativeKernels.cnn4j_winograd_filter_transforms()).as("unchanged weights reuse U").isEqualTo(before);
            // one weight changed in place, through the buffer, as an optimiser step would
            w.buffer().put(123, w.buffer().get(123) + 0.5f);
            NativeBackend.instance().conv2dForward(s, x, w, null, y);
            assertThat(NativeKernels.cnn4j_winograd_filter_transforms()).as("changed weights recompute U").isEqualTo(before + 1);
            ReferenceBackend.INSTANCE.conv2dForward(s, x, w, null, yRef);
            NativeGoldenSupport.assertWithin("forward after a weight change", y.toArray(), yRef.toArray(),
                    Tolerance.convolution(ConvAlgorithm.WINOGRAD_4X4_3X3, s.c() * 9));
        }
    }

    @Test
    void anIneligibleShapeIsRejectedWithTheOpAndTheShape() {
        Conv2dSpec strided = Conv2dSpec.of(1, 8, 9, 9, 8, 3, 2, 1);
        assertThat(NativeConvolution.supports(ConvAlgorithm.WINOGRAD_4X4_3X3, strided)).isFalse();
        assertThat(NativeConvolution.supports(ConvAlgorithm.WINOGRAD_2X2_3X3, Conv2dSpec.of(1, 8, 9, 9, 8, 3, 1, 1))).isTrue();
        try (Tensor x = Tensor.zeros(strided.inputDims()); Tensor w = Tensor.zeros(strided.weightDims());
             Tensor y = Tensor.zeros(strided.outputDims())) {
            ConvAlgorithm.use(ConvAlgorithm.WINOGRAD_4X4_3X3);
            assertThatThrownBy(() -> NativeBackend.instance().conv2dForward(strided, x, w, null, y))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("conv2d forward").hasMessageContaining("WINOGRAD_4X4_3X3")
                    .hasMessageContaining(strided.toString());
        }
    }

    /**
     * Winograd and im2col+GEMM sum the weight gradient in per-thread copies: which part of the batch each
     * copy sums must not vary between calls, or training would not repeat bit for bit (oneDNN's does too).
     */
    @ParameterizedTest
    @EnumSource(value = ConvAlgorithm.class, names = {"WINOGRAD_2X2_3X3", "WINOGRAD_4X4_3X3", "IM2COL_GEMM", "ONEDNN"})
    void theWeightGradientRepeatsBitForBit(ConvAlgorithm algorithm) {
        Conv2dSpec s = Conv2dSpec.of(16, 32, 28, 28, 32, 3, 1, 1); // 784 tiles of F(4x4): per-thread accumulators
        ConvAlgorithm.use(algorithm);
        try (Tensor x = NativeIm2colTest.random(s.inputDims(), 5).toLayout(Layout.NHWC);
             Tensor dy = NativeIm2colTest.random(s.outputDims(), 6).toLayout(Layout.NHWC);
             Tensor dw = Tensor.zeros(s.weightDims()); Tensor db = Tensor.zeros(s.k())) {
            NativeBackend.instance().conv2dBackwardWeights(s, x, dy, dw, db);
            float[] first = dw.toArray(), firstBias = db.toArray();
            for (int run = 0; run < 8; run++) {
                NativeBackend.instance().conv2dBackwardWeights(s, x, dy, dw, db);
                assertThat(dw.toArray()).as("run %d", run).isEqualTo(first);
                assertThat(db.toArray()).as("run %d", run).isEqualTo(firstBias);
            }
        }
    }

    @Test
    void theNoWinogradOptionKeepsAutoOffWinograd() {
        assertThat(org.cnn4j.cli.Main.run("--no-winograd", "info")).isZero();
        assertThat(ConvAlgorithm.winogradAllowed()).isFalse();
        assertThat(NativeBackend.instance().convolutionChoice(ConvDirection.FORWARD, Conv2dSpec.of(1, 64, 14, 14, 64, 3, 1, 1)))
                .isEqualTo(ConvAlgorithm.ONEDNN);
    }

    /**
     * The error table of the documentation: max |y - ref| / max |ref| of forward, 12x12 images, K = 16,
     * pad 1, inputs and weights uniform in [-1, 1], AVX-512, for C = 16..512, each within the documented
     * bound the tolerances are built on.
     */
    @Test
    void errorTable() {
        StringBuilder table = new StringBuilder(String.format("%6s %16s %16s %16s%n", "C", "F(2x2,3x3)", "F(4x4,3x3)", "im2col_gemm"));
        for (int c = 16; c <= 512; c *= 2) {
            Conv2dSpec s = Conv2dSpec.of(1, c, 12, 12, 16, 3, 1, 1);
            try (Tensor x = NativeIm2colTest.random(s.inputDims(), c).toLayout(Layout.NHWC);
                 Tensor w = NativeIm2colTest.random(s.weightDims(), c + 1);
                 Tensor y = Tensor.zeros(Shape.of(s.outputDims()), Layout.NHWC);
                 Tensor yRef = Tensor.zeros(s.outputDims())) {
                ReferenceBackend.INSTANCE.conv2dForward(s, x, w, null, yRef);
                tableRow(table, c, c * 9, yRef, y, () -> NativeBackend.instance().conv2dForward(s, x, w, null, y));
            }
        }
        System.out.print("Winograd error table (max |y - ref| / max |ref|):\n" + table);
    }

    /**
     * The weight gradient's error (max |dw - ref| / max |ref|) as the reduction over the batch's output
     * positions (R = N*H*W) grows, in units of sqrt(R) * 2^-24.
     */
    @Test
    void weightGradientErrorTable() {
        StringBuilder table = new StringBuilder(String.format("%6s %16s %16s %16s%n", "R", "F(2x2,3x3)", "F(4x4,3x3)", "im2col_gemm"));
        for (int n = 1; n <= 64; n *= 4) {
            Conv2dSpec s = Conv2dSpec.of(n, 32, 28, 28, 32, 3, 1, 1);
            int terms = n * 28 * 28;
            try (Tensor x = NativeIm2colTest.random(s.inputDims(), n).toLayout(Layout.NHWC);
                 Tensor dy = NativeIm2colTest.random(s.outputDims(), n + 1).toLayout(Layout.NHWC);
                 Tensor dw = Tensor.zeros(s.weightDims());
                 Tensor dwRef = Tensor.zeros(s.weightDims())) {
                ReferenceBackend.INSTANCE.conv2dBackwardWeights(s, x, dy, dwRef, null);
                tableRow(table, terms, terms, dwRef, dw, () -> NativeBackend.instance().conv2dBackwardWeights(s, x, dy, dw, null));
            }
        }
        System.out.print("Winograd weight-gradient error table (max |dw - ref| / max |ref|):\n" + table);
    }

    /**
     * One row of an error table: {@code run} computes {@code actual} with each algorithm in turn, whose
     * error against {@code expected} must be within the documented bound for a reduction of {@code terms}.
     * Each error is followed by its size in units of sqrt(terms) 2^-24.
     */
    private static void tableRow(StringBuilder table, int label, int terms, Tensor expected, Tensor actual, Runnable run) {
        table.append(String.format("%6d", label));
        for (ConvAlgorithm a : List.of(ConvAlgorithm.WINOGRAD_2X2_3X3, ConvAlgorithm.WINOGRAD_4X4_3X3, ConvAlgorithm.IM2COL_GEMM)) {
            ConvAlgorithm.use(a);
            run.run();
            double error = relativeError(actual.toArray(), expected.toArray());
            table.append(String.format(Locale.ROOT, " %9.2e (%4.2f)", error, error / (Math.sqrt(terms) * 0x1p-24)));
            assertThat(error).as("%s at %d", a, label).isLessThanOrEqualTo(Tolerance.convolutionBound(a, terms));
        }
        table.append('\n');
    }

    private static void check(Conv2dSpec s, ConvAlgorithm algorithm, Layout layout, long seed, Isa isa) {
        boolean bias = (seed & 1) == 0;
        try (Tensor x = NativeIm2colTest.random(s.inputDims(), seed).toLayout(layout);
             Tensor w = NativeIm2colTest.random(s.weightDims(), seed + 1);
             Tensor b = NativeIm2colTest.random(new int[] {s.k()}, seed + 2);
             Tensor dy = NativeIm2colTest.random(s.outputDims(), seed + 3).toLayout(layout);
             Tensor y = Tensor.zeros(Shape.of(s.outputDims()), layout);
             Tensor yRef = Tensor.zeros(s.outputDims());
             Tensor dx = Tensor.zeros(Shape.of(s.inputDims()), layout);
             Tensor dxRef = Tensor.zeros(s.inputDims());
             Tensor dw = Tensor.zeros(s.weightDims());
             Tensor dwRef = Tensor.zeros(s.weightDims());
             Tensor db = Tensor.zeros(s.k());
             Tensor dbRef = Tensor.zeros(s.k())) {
            String what = algorithm + " " + isa + " " + layout + " " + s;
            ConvAlgorithm.use(algorithm);
            NativeBackend.instance().conv2dForward(s, x, w, bias ? b : null, y);
            NativeBackend.instance().conv2dBackwardData(s, dy, w, dx);
            NativeBackend.instance().conv2dBackwardWeights(s, x, dy, dw, bias ? db : null);
            ReferenceBackend ref = ReferenceBackend.INSTANCE;
            ref.conv2dForward(s, x, w, bias ? b : null, yRef);
            ref.conv2dBackwardData(s, dy, w, dxRef);
            ref.conv2dBackwardWeights(s, x, dy, dwRef, bias ? dbRef : null);
            NativeGoldenSupport.assertWithin(what + " forward", y.toArray(), yRef.toArray(), Tolerance.convolution(algorithm, s.c() * 9 + 1));
            NativeGoldenSupport.assertWithin(what + " backward data", dx.toArray(), dxRef.toArray(), Tolerance.convolution(algorithm, s.k() * 9));
            int positions = s.n() * s.outH() * s.outW(); // the weight gradient's reduction, over the batch's output positions
            NativeGoldenSupport.assertWithin(what + " backward weights", dw.toArray(), dwRef.toArray(),
                    Tolerance.convolution(algorithm, positions));
            if (bias) { // a plain sum of dy in double
                NativeConvolutionGoldenTest.assertClose(what + " bias gradient", db.toArray(), dbRef.toArray(), 4);
            }
        }
    }

    static double relativeError(float[] actual, float[] expected) {
        double scale = 1e-30, worst = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            worst = Math.max(worst, Math.abs((double) actual[i] - expected[i]));
        }
        return worst / scale;
    }
}

package org.cnn4j.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.backend.ConvAlgorithm;
import org.cnn4j.backend.reference.ReferenceBackend;
import org.cnn4j.selftest.Tolerance;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every native convolution algorithm, forward, backward-data and backward-weights, against the
 * reference backend on a seeded grid of 200+ shapes that includes the awkward ones: 1x1 inputs, odd
 * sizes, stride larger than the kernel, dilation, uneven padding, groups, depthwise, C and K that are
 * not multiples of 16. Each runs on NCHW and on NHWC tensors, and im2col on every ISA path.
 *
 * <p>Tolerance: both algorithms accumulate in float32 (the reference in double), over R =
 * (C/groups)*kh*kw terms for forward, K/groups*kh*kw for backward-data and N*outH*outW for
 * backward-weights, with inputs in [-1, 1]: {@link Tolerance#sum}, 2.4e-7 * R relative to the output
 * scale, floored at 1e-5 (the reason is given there).
 */
class NativeConvolutionGoldenTest {

    @BeforeEach
    void load() {
        NativeTestSupport.requireNative();
    }

    @AfterEach
    void reset() {
        ConvAlgorithm.use(null);
        NativeLibrary.useIsa(Isa.AVX512);
        NativeLibrary.useOwnGemm(false);
    }

    static List<Conv2dSpec> shapes() {
        List<Conv2dSpec> specs = new ArrayList<>(List.of(
                Conv2dSpec.of(1, 1, 1, 1, 1, 1, 1, 0),
                Conv2dSpec.of(2, 3, 1, 1, 5, 1, 1, 0),
                Conv2dSpec.of(1, 3, 1, 1, 4, 3, 1, 1),
                Conv2dSpec.of(2, 4, 9, 9, 6, 2, 3, 0),
                Conv2dSpec.of(1, 4, 9, 9, 6, 3, 2, 1, 2, 2),
                Conv2dSpec.of(2, 8, 7, 7, 8, 3, 1, 1, 1, 8),
                Conv2dSpec.of(1, 17, 6, 5, 33, 3, 1, 1),
                Conv2dSpec.of(1, 16, 8, 8, 32, 1, 2, 0),
                Conv2dSpec.of(2, 32, 7, 7, 16, 1, 1, 0),
                new Conv2dSpec(1, 3, 8, 11, 5, 3, 2, 1, 2, 0, 2, 1, 0, 1, 3, 1),
                new Conv2dSpec(2, 6, 10, 7, 9, 5, 3, 2, 1, 2, 2, 1, 1, 2, 1, 3)));
        SplittableRandom rnd = new SplittableRandom(7);
        while (specs.size() < 210) {
            int groups = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(3) : 1;
            int c = groups * (1 + rnd.nextInt(rnd.nextBoolean() ? 5 : 24));
            int k = rnd.nextInt(5) == 0 ? c : groups * (1 + rnd.nextInt(20));
            if (k == c && rnd.nextBoolean()) {
                groups = c; // depthwise
            }
            int kernel = 1 + rnd.nextInt(5), stride = 1 + rnd.nextInt(3), dil = rnd.nextInt(4) == 0 ? 2 : 1;
            int h = 1 + rnd.nextInt(14), w = 1 + rnd.nextInt(14);
            int pt = rnd.nextInt(3), pb = rnd.nextInt(3), pl = rnd.nextInt(3), pr = rnd.nextInt(3);
            int eff = (kernel - 1) * dil + 1;
            if (h + pt + pb < eff || w + pl + pr < eff) {
                continue;
            }
            specs.add(new Conv2dSpec(1 + rnd.nextInt(3), c, h, w, k, kernel, kernel, stride, stride, pt, pb, pl, pr, dil, dil, groups));
        }
        return specs;
    }

    @ParameterizedTest
    @EnumSource(value = ConvAlgorithm.class, names = {"ONEDNN", "IM2COL_GEMM", "AUTO", "AUTOTUNE"})
    void matchesTheReferenceInEveryDirection(ConvAlgorithm algorithm) {
        List<Isa> isas = algorithm == ConvAlgorithm.IM2COL_GEMM ? NativeTestSupport.runnableIsas() : List.of(Isa.AVX512);
        SplittableRandom seeds = new SplittableRandom(algorithm.ordinal());
        int checked = 0;
        for (Isa isa : isas) {
            NativeLibrary.useIsa(isa);
            for (Conv2dSpec spec : shapes()) {
                Layout layout = seeds.nextBoolean() ? Layout.NHWC : Layout.NCHW;
                check(spec, algorithm, layout, seeds.nextLong(), isa);
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(200);
    }

    @org.junit.jupiter.api.Test
    void im2colGemmWithOurOwnGemmMatchesTheReference() {
        NativeLibrary.useOwnGemm(true);
        SplittableRandom seeds = new SplittableRandom(31);
        for (Isa isa : NativeTestSupport.runnableIsas()) {
            NativeLibrary.useIsa(isa);
            for (Conv2dSpec spec : shapes().subList(0, 70)) {
                check(spec, ConvAlgorithm.IM2COL_GEMM, Layout.NHWC, seeds.nextLong(), isa);
            }
        }
    }

    /** oneDNN's reordered weights are cached; changing the weights in place must not reuse the stale copy. */
    @org.junit.jupiter.api.Test
    void cachedWeightReordersFollowInPlaceChanges() {
        ConvAlgorithm.use(ConvAlgorithm.ONEDNN);
        Conv2dSpec s = Conv2dSpec.of(2, 32, 9, 9, 32, 3, 1, 1);
        try (Tensor x = NativeIm2colTest.random(s.inputDims(), 1).toLayout(Layout.NHWC);
             Tensor w = NativeIm2colTest.random(s.weightDims(), 2);
             Tensor dy = NativeIm2colTest.random(s.outputDims(), 3).toLayout(Layout.NHWC);
             Tensor y = Tensor.zeros(org.cnn4j.tensor.Shape.of(s.outputDims()), Layout.NHWC);
             Tensor dx = Tensor.zeros(org.cnn4j.tensor.Shape.of(s.inputDims()), Layout.NHWC);
             Tensor yRef = Tensor.zeros(s.outputDims()); Tensor dxRef = Tensor.zeros(s.inputDims())) {
            for (int round = 0; round < 3; round++) {
                NativeBackend.instance().conv2dForward(s, x, w, null, y);
                NativeBackend.instance().conv2dBackwardData(s, dy, w, dx);
                ReferenceBackend.INSTANCE.conv2dForward(s, x, w, null, yRef);
                ReferenceBackend.INSTANCE.conv2dBackwardData(s, dy, w, dxRef);
                assertClose("forward after change " + round, y.toArray(), yRef.toArray(), 32 * 9);
                assertClose("backward data after change " + round, dx.toArray(), dxRef.toArray(), 32 * 9);
                w.buffer().put(round * 7, w.buffer().get(round * 7) + 1f); // one weight changes in place
            }
        }
    }

    /**
     * Frozen weights are cached by their id, not re-read: a frozen array freed and replaced by another
     * (which the allocator may place at the same address) must not be served the old one's cached
     * reorder or Winograd transform, and frozen results equal the reference.
     */
    @ParameterizedTest
    @EnumSource(value = ConvAlgorithm.class, names = {"ONEDNN", "WINOGRAD_2X2_3X3", "WINOGRAD_4X4_3X3", "IM2COL_GEMM"})
    void frozenWeightsAreCachedByIdentity(ConvAlgorithm algorithm) {
        ConvAlgorithm.use(algorithm);
        Conv2dSpec s = Conv2dSpec.of(2, 32, 9, 9, 32, 3, 1, 1);
        try (Tensor x = NativeIm2colTest.random(s.inputDims(), 1).toLayout(Layout.NHWC);
             Tensor dy = NativeIm2colTest.random(s.outputDims(), 3).toLayout(Layout.NHWC);
             Tensor y = Tensor.zeros(org.cnn4j.tensor.Shape.of(s.outputDims()), Layout.NHWC);
             Tensor dx = Tensor.zeros(org.cnn4j.tensor.Shape.of(s.inputDims()), Layout.NHWC);
             Tensor yRef = Tensor.zeros(s.outputDims()); Tensor dxRef = Tensor.zeros(s.inputDims())) {
            for (int round = 0; round < 4; round++) {
                try (Tensor w = NativeIm2colTest.random(s.weightDims(), 20 + round).freeze()) {
                    for (int call = 0; call < 2; call++) {
                        NativeBackend.instance().conv2dForward(s, x, w, null, y);
                        NativeBackend.instance().conv2dBackwardData(s, dy, w, dx);
                        ReferenceBackend.INSTANCE.conv2dForward(s, x, w, null, yRef);
                        ReferenceBackend.INSTANCE.conv2dBackwardData(s, dy, w, dxRef);
                        assertClose(algorithm + " forward, frozen weights " + round, y.toArray(), yRef.toArray(), 32 * 9);
                        assertClose(algorithm + " backward data, frozen weights " + round, dx.toArray(), dxRef.toArray(), 32 * 9);
                    }
                }
            }
        }
    }

    /**
     * Layers of one shape (ResNet's repeated blocks) each keep their reordered weights: more arrays than
     * the cache's 64 slots per shape, used in turn twice, must each give their own convolution.
     */
    @org.junit.jupiter.api.Test
    void layersOfOneShapeKeepTheirOwnReorderedWeights() {
        ConvAlgorithm.use(ConvAlgorithm.ONEDNN);
        Conv2dSpec s = Conv2dSpec.of(1, 16, 5, 5, 16, 3, 1, 1);
        List<Tensor> weights = new ArrayList<>();
        try (Tensor x = NativeIm2colTest.random(s.inputDims(), 1).toLayout(Layout.NHWC);
             Tensor y = Tensor.zeros(org.cnn4j.tensor.Shape.of(s.outputDims()), Layout.NHWC);
             Tensor yRef = Tensor.zeros(s.outputDims())) {
            for (int i = 0; i < 70; i++) {
                weights.add(NativeIm2colTest.random(s.weightDims(), 100 + i));
            }
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < weights.size(); i++) {
                    NativeBackend.instance().conv2dForward(s, x, weights.get(i), null, y);
                    ReferenceBackend.INSTANCE.conv2dForward(s, x, weights.get(i), null, yRef);
                    assertClose("weights " + i + " round " + round, y.toArray(), yRef.toArray(), 16 * 9);
                }
            }
        } finally {
            weights.forEach(Tensor::close);
        }
    }

    private static void check(Conv2dSpec s, ConvAlgorithm algorithm, Layout layout, long seed, Isa isa) {
        boolean bias = (seed & 1) == 0;
        try (Tensor x = NativeIm2colTest.random(s.inputDims(), seed).toLayout(layout);
             Tensor w = NativeIm2colTest.random(s.weightDims(), seed + 1);
             Tensor b = NativeIm2colTest.random(new int[] {s.k()}, seed + 2);
             Tensor dy = NativeIm2colTest.random(s.outputDims(), seed + 3).toLayout(layout);
             Tensor y = Tensor.zeros(org.cnn4j.tensor.Shape.of(s.outputDims()), layout);
             Tensor yRef = Tensor.zeros(s.outputDims());
             Tensor dx = Tensor.zeros(org.cnn4j.tensor.Shape.of(s.inputDims()), layout);
             Tensor dxRef = Tensor.zeros(s.inputDims());
             Tensor dw = Tensor.zeros(s.weightDims());
             Tensor dwRef = Tensor.zeros(s.weightDims());
             Tensor db = Tensor.zeros(s.k());
             Tensor dbRef = Tensor.zeros(s.k())) {
            String what = algorithm + " " + isa + " " + layout + " " + s;
            ReferenceBackend ref = ReferenceBackend.INSTANCE;
            ConvAlgorithm.use(algorithm);
            NativeBackend.instance().conv2dForward(s, x, w, bias ? b : null, y);
            NativeBackend.instance().conv2dBackwardData(s, dy, w, dx);
            NativeBackend.instance().conv2dBackwardWeights(s, x, dy, dw, bias ? db : null);
            ConvAlgorithm.use(null);
            ref.conv2dForward(s, x, w, bias ? b : null, yRef);
            ref.conv2dBackwardData(s, dy, w, dxRef);
            ref.conv2dBackwardWeights(s, x, dy, dwRef, bias ? dbRef : null);
            int taps = s.kh() * s.kw();
            assertClose(what + " forward", y.toArray(), yRef.toArray(), (s.c() / s.groups()) * taps + 1);
            assertClose(what + " backward data", dx.toArray(), dxRef.toArray(), (s.k() / s.groups()) * taps);
            assertClose(what + " backward weights", dw.toArray(), dwRef.toArray(), s.n() * s.outH() * s.outW());
            if (bias) {
                assertClose(what + " backward bias", db.toArray(), dbRef.toArray(), s.n() * s.outH() * s.outW());
            }
        }
    }

    /** Within {@link Tolerance#sum} for a reduction of {@code reductionLength} terms. */
    static void assertClose(String what, float[] actual, float[] expected, int reductionLength) {
        NativeGoldenSupport.assertWithin(what, actual, expected, Tolerance.sum(reductionLength));
    }
}

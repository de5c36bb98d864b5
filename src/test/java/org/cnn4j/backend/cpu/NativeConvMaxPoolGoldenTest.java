package org.cnn4j.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.backend.ConvAlgorithm;
import org.cnn4j.backend.Pool2dSpec;
import org.cnn4j.kernels.Convolution;
import org.cnn4j.kernels.Pooling;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The inference fusion max_pool_2x2(relu(conv(x) + bias)) that Winograd computes in its output transform, on both
 * tile sizes, every ISA and both layouts, with and without the ReLU, over even, odd (the last row or column dropped),
 * one-window and channel counts that fill no vector. Against the same convolution and pooling run as two native ops it
 * must be bit for bit equal (the same transforms, then bias, ReLU and the pooling op's comparisons in its order, NaNs
 * included); against the reference backend's two ops within the convolution's tolerance (1e-4 of the largest output for
 * F(2x2), 2e-3 for F(4x4): docs/winograd.md), since max and ReLU are exact.
 */
class NativeConvMaxPoolGoldenTest {
    private static final List<Conv2dSpec> SHAPES = List.of(
            Conv2dSpec.of(2, 3, 9, 7, 5, 3, 1, 1), Conv2dSpec.of(1, 16, 28, 28, 32, 3, 1, 1),
            Conv2dSpec.of(3, 17, 10, 13, 33, 3, 1, 0), Conv2dSpec.of(1, 8, 4, 5, 16, 3, 1, 0),
            Conv2dSpec.of(2, 4, 6, 6, 20, 3, 1, 2), Conv2dSpec.of(128, 2, 14, 14, 3, 3, 1, 1));

    @AfterEach
    void restore() {
        ConvAlgorithm.use(null);
        NativeLibrary.useIsa(Isa.AVX512);
    }

    @Test
    void winogradPoolsInItsOutputTransformAsTheTwoOpsDo() {
        NativeTestSupport.requireNative();
        Backend reference = Backends.byName("reference");
        for (Conv2dSpec spec : SHAPES) {
            for (ConvAlgorithm algo : List.of(ConvAlgorithm.WINOGRAD_2X2_3X3, ConvAlgorithm.WINOGRAD_4X4_3X3)) {
                for (Isa isa : NativeTestSupport.runnableIsas()) {
                    NativeLibrary.useIsa(isa);
                    for (Layout layout : List.of(Layout.NHWC, Layout.NCHW)) {
                        for (boolean relu : new boolean[] {true, false}) {
                            check(reference, spec, algo, layout, relu, false);
                        }
                    }
                }
            }
        }
    }

    @Test
    void aNanInTheInputComesOutWhereTheTwoOpsPutIt() {
        NativeTestSupport.requireNative();
        for (ConvAlgorithm algo : List.of(ConvAlgorithm.WINOGRAD_2X2_3X3, ConvAlgorithm.WINOGRAD_4X4_3X3)) {
            for (boolean relu : new boolean[] {true, false}) {
                check(null, Conv2dSpec.of(1, 5, 12, 9, 7, 3, 1, 1), algo, Layout.NHWC, relu, true);
            }
        }
    }

    @Test
    void onlyTheTwoDimensionalWinogradAlgorithmsPoolInside() {
        NativeTestSupport.requireNative();
        Conv2dSpec spec = Conv2dSpec.of(1, 4, 8, 8, 8, 3, 1, 1);
        ConvAlgorithm.use(ConvAlgorithm.WINOGRAD_4X4_3X3);
        assertThat(Convolution.fusesMaxPool(spec)).isTrue();
        for (ConvAlgorithm algo : List.of(ConvAlgorithm.ONEDNN, ConvAlgorithm.IM2COL_GEMM)) {
            ConvAlgorithm.use(algo);
            assertThat(Convolution.fusesMaxPool(spec)).as(algo.toString()).isFalse();
            try (Tensor x = Tensor.zeros(spec.inputDims()); Tensor w = Tensor.zeros(spec.weightDims()); Tensor pooled = Tensor.zeros(1, 8, 4, 4)) {
                assertThatThrownBy(() -> Convolution.forwardMaxPool(spec, x, w, null, true, pooled))
                        .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("conv2d forward + max pool")
                        .hasMessageContaining(algo.toString());
            }
        }
    }

    @Test
    void aPooledOutputOfTheWrongShapeIsRefusedNamingIt() {
        NativeTestSupport.requireNative();
        Conv2dSpec spec = Conv2dSpec.of(1, 4, 9, 9, 8, 3, 1, 1);
        ConvAlgorithm.use(ConvAlgorithm.WINOGRAD_4X4_3X3);
        try (Tensor x = Tensor.zeros(spec.inputDims()); Tensor w = Tensor.zeros(spec.weightDims()); Tensor unpooled = Tensor.zeros(spec.outputDims())) {
            assertThatThrownBy(() -> Convolution.forwardMaxPool(spec, x, w, null, true, unpooled))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("conv2d+relu+maxpool").hasMessageContaining("pooled")
                    .hasMessageContaining("[1, 8, 4, 4]");
        }
    }

    private static void check(Backend reference, Conv2dSpec spec, ConvAlgorithm algo, Layout layout, boolean relu, boolean nan) {
        String what = algo + " " + NativeLibrary.activeIsa() + " " + layout + (relu ? " relu " : " ") + spec;
        Pool2dSpec pool = Pool2dSpec.of(Pool2dSpec.Kind.MAX, spec.n(), spec.k(), spec.outH(), spec.outW(), 2, 2, 0);
        try (Tensor x = NativeGoldenSupport.random(spec.inputDims(), layout, 1);
             Tensor w = NativeGoldenSupport.random(spec.weightDims(), Layout.NCHW, 2);
             Tensor b = NativeGoldenSupport.random(new int[] {spec.k()}, Layout.PLAIN, 3);
             Tensor unpooled = NativeGoldenSupport.zeros(spec.outputDims(), layout);
             Tensor twoOps = NativeGoldenSupport.zeros(pool.outputDims(), layout);
             Tensor fused = NativeGoldenSupport.zeros(pool.outputDims(), layout)) {
            if (nan) {
                float[] v = x.toArray();
                v[v.length / 3] = Float.NaN;
                x.copyFrom(v);
            }
            ConvAlgorithm.use(algo);
            assertThat(Convolution.fusesMaxPool(spec)).as(what).isTrue();
            if (relu) {
                Convolution.forwardAddRelu(spec, x, w, b, null, unpooled);
            } else {
                Convolution.forward(spec, x, w, b, unpooled);
            }
            Pooling.forward(pool, unpooled, twoOps);
            Convolution.forwardMaxPool(spec, x, w, b, relu, fused);
            NativeGoldenSupport.assertExact(what + " against the two native ops", fused.toArray(), twoOps.toArray());
            if (nan) {
                assertThat(fused.toArray()).as(what).contains(Float.NaN);
                return;
            }
            try (Tensor refConv = NativeGoldenSupport.zeros(spec.outputDims(), Layout.NCHW);
                 Tensor expected = NativeGoldenSupport.zeros(pool.outputDims(), Layout.NCHW)) {
                if (relu) {
                    reference.conv2dForwardAddRelu(spec, x, w, b, null, refConv);
                } else {
                    reference.conv2dForward(spec, x, w, b, refConv);
                }
                reference.pool2dForward(pool, refConv, expected);
                float[] want = expected.toArray();
                double tol = (algo == ConvAlgorithm.WINOGRAD_4X4_3X3 ? 2e-3 : 1e-4) * NativeGoldenSupport.maxAbs(refConv.toArray());
                NativeGoldenSupport.assertWithin(what + " against the reference", fused.toArray(), want, tol);
            }
        }
    }
}

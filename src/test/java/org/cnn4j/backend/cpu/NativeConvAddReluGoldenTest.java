package org.cnn4j.backend.cpu;

import java.util.List;
import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.backend.ConvAlgorithm;
import org.cnn4j.kernels.Convolution;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fused inference convolution relu(conv(x) + bias [+ residual]) on every algorithm (Winograd, which
 * adds and clamps in its output transform, on every ISA; im2col, which accumulates onto the residual in
 * its GEMM) and both layouts, without a residual, with a separate one and with the output itself as the
 * residual, against the reference backend. Tolerance:
 * the convolution's (1e-4 of the largest output for the direct algorithms and F(2x2), whose error is
 * that of a direct convolution; 2e-3 for F(4x4): docs/winograd.md's error table), since the add and the ReLU
 * are exact in float.
 */
class NativeConvAddReluGoldenTest {
    private static final List<Conv2dSpec> SHAPES = List.of(
            Conv2dSpec.of(2, 16, 9, 7, 16, 3, 1, 1), Conv2dSpec.of(1, 64, 14, 14, 64, 3, 1, 1),
            Conv2dSpec.of(3, 8, 8, 8, 32, 1, 1, 0), Conv2dSpec.of(2, 32, 11, 11, 64, 3, 2, 1));

    @AfterEach
    void restore() {
        ConvAlgorithm.use(null);
        NativeLibrary.useIsa(Isa.AVX512);
    }

    @Test
    void fusedConvolutionAddAndReluMatchTheReference() {
        NativeTestSupport.requireNative();
        Backend reference = Backends.byName("reference");
        for (Conv2dSpec spec : SHAPES) {
            for (ConvAlgorithm algo : List.of(ConvAlgorithm.ONEDNN, ConvAlgorithm.IM2COL_GEMM, ConvAlgorithm.WINOGRAD_4X4_3X3,
                    ConvAlgorithm.WINOGRAD_2X2_3X3, ConvAlgorithm.REFERENCE)) {
                if (!NativeConvolution.supports(algo, spec)) {
                    continue;
                }
                // Winograd adds and clamps in its output transform, written once per ISA; the others do not vary by ISA
                for (Isa isa : algo.isWinograd() ? NativeTestSupport.runnableIsas() : List.of(Isa.AVX512)) {
                    NativeLibrary.useIsa(isa);
                    for (Layout layout : List.of(Layout.NHWC, Layout.NCHW)) {
                        for (Residual residual : Residual.values()) {
                            check(reference, spec, algo, layout, residual);
                        }
                    }
                }
            }
        }
    }

    /**
     * A dilation on a one-tap kernel dimension changes nothing, and oneDNN is not given it: its fused forward
     * crashed the JVM on a dilated 1x1 kernel with stride 2 and padding (found by the differential fuzz).
     */
    @Test
    void aDilatedOneByOneKernelWithAFusedReluRunsAsTheUndilatedOne() {
        NativeTestSupport.requireNative();
        Backend reference = Backends.byName("reference");
        Conv2dSpec spec = new Conv2dSpec(1, 4, 12, 1, 4, 1, 1, 2, 2, 1, 1, 1, 1, 2, 2, 1);
        for (Layout layout : List.of(Layout.NHWC, Layout.NCHW)) {
            for (Residual residual : Residual.values()) {
                check(reference, spec, ConvAlgorithm.ONEDNN, layout, residual);
            }
        }
    }

    /** conv + ReLU alone; with a residual in its own tensor; with the residual in the output (ResNet's in-place add). */
    private enum Residual { NONE, SEPARATE, IN_PLACE }

    private static void check(Backend reference, Conv2dSpec spec, ConvAlgorithm algo, Layout layout, Residual mode) {
        String what = algo + " " + NativeLibrary.activeIsa() + " " + layout + " residual " + mode + " " + spec;
        try (Tensor x = NativeGoldenSupport.random(spec.inputDims(), layout, 1);
             Tensor w = NativeGoldenSupport.random(spec.weightDims(), Layout.NCHW, 2);
             Tensor b = NativeGoldenSupport.random(new int[] {spec.k()}, Layout.PLAIN, 3);
             Tensor residual = NativeGoldenSupport.random(spec.outputDims(), layout, 4);
             Tensor expected = NativeGoldenSupport.zeros(spec.outputDims(), Layout.NCHW);
             Tensor out = NativeGoldenSupport.zeros(spec.outputDims(), layout)) {
            reference.conv2dForwardAddRelu(spec, x, w, b, mode == Residual.NONE ? null : residual, expected);
            ConvAlgorithm.use(algo);
            if (mode == Residual.IN_PLACE) {
                out.copyFrom(residual);
            }
            Convolution.forwardAddRelu(spec, x, w, b, switch (mode) {
                case NONE -> null;
                case SEPARATE -> residual;
                case IN_PLACE -> out;
            }, out);
            float[] want = expected.toArray();
            double tol = (algo == ConvAlgorithm.WINOGRAD_4X4_3X3 ? 2e-3 : 1e-4) * NativeGoldenSupport.maxAbs(want);
            NativeGoldenSupport.assertWithin(what, out.toArray(), want, tol);
        }
    }
}

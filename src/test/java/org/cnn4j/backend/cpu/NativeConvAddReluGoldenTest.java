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
 * The fused inference convolution relu(conv(x) + bias + residual) on every algorithm and both layouts,
 * with the residual a separate tensor or the output itself, against the reference backend. Tolerance:
 * the convolution's (1e-4 of the largest output for the direct algorithms, 2e-3 for Winograd F(4x4),
 * whose error table is in the README), since the add and the ReLU are exact in float.
 */
class NativeConvAddReluGoldenTest {
    private static final List<Conv2dSpec> SHAPES = List.of(
            Conv2dSpec.of(2, 16, 9, 7, 16, 3, 1, 1), Conv2dSpec.of(1, 64, 14, 14, 64, 3, 1, 1),
            Conv2dSpec.of(3, 8, 8, 8, 32, 1, 1, 0), Conv2dSpec.of(2, 32, 11, 11, 64, 3, 2, 1));

    @AfterEach
    void restore() {
        ConvAlgorithm.use(null);
    }

    @Test
    void fusedConvolutionAddAndReluMatchTheReference() {
        NativeTestSupport.requireNative();
        Backend reference = Backends.byName("reference");
        for (Conv2dSpec spec : SHAPES) {
            for (ConvAlgorithm algo : List.of(ConvAlgorithm.ONEDNN, ConvAlgorithm.IM2COL_GEMM, ConvAlgorithm.WINOGRAD_4X4_3X3)) {
                if (!NativeConvolution.supports(algo, spec)) {
                    continue;
                }
                for (Layout layout : List.of(Layout.NHWC, Layout.NCHW)) {
                    for (boolean inPlace : new boolean[] {false, true}) {
                        check(reference, spec, algo, layout, inPlace);
                    }
                }
            }
        }
    }

    private static void check(Backend reference, Conv2dSpec spec, ConvAlgorithm algo, Layout layout, boolean inPlace) {
        String what = algo + " " + layout + (inPlace ? " in place " : " ") + spec;
        try (Tensor x = NativeGoldenSupport.random(spec.inputDims(), layout, 1);
             Tensor w = NativeGoldenSupport.random(spec.weightDims(), Layout.NCHW, 2);
             Tensor b = NativeGoldenSupport.random(new int[] {spec.k()}, Layout.PLAIN, 3);
             Tensor residual = NativeGoldenSupport.random(spec.outputDims(), layout, 4);
             Tensor expected = NativeGoldenSupport.zeros(spec.outputDims(), Layout.NCHW);
             Tensor out = NativeGoldenSupport.zeros(spec.outputDims(), layout)) {
            reference.conv2dForwardRelu(spec, x, w, b, residual, expected);
            ConvAlgorithm.use(algo);
            if (inPlace) {
                out.copyFrom(residual);
            }
            Convolution.forwardAddRelu(spec, x, w, b, inPlace ? out : residual, out);
            float[] want = expected.toArray();
            double tol = (algo == ConvAlgorithm.WINOGRAD_4X4_3X3 ? 2e-3 : 1e-4) * NativeGoldenSupport.maxAbs(want);
            NativeGoldenSupport.assertWithin(what, out.toArray(), want, tol);
        }
    }
}

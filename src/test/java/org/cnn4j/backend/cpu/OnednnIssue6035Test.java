package org.cnn4j.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.backend.ConvAlgorithm;
import org.cnn4j.backend.ConvDirection;
import org.cnn4j.backend.reference.ReferenceBackend;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * oneDNN issue 6035: its 1x1 backward-weights of a strided layer with a channels-last source of fewer than 16
 * channels wrote past its workspace (heap corruption on 2 threads, gradients off by 15-19 on 1 thread). Such
 * calls now run on oneDNN's blocked layout (conv_onednn.cpp, hits_onednn_issue_6035); here each affected shape
 * runs many times, asked for as oneDNN and as AUTO, and matches the reference every time.
 */
@ExtendWith(RestoresNativeThreads.class)
class OnednnIssue6035Test {
    @BeforeEach
    void load() {
        NativeTestSupport.requireNative();
    }

    @AfterEach
    void reset() {
        ConvAlgorithm.use(null);
    }

    /** The issue's shapes: n=1, 28x28, stride 2, C 1-15; 27x27 at stride 3; a stride in one direction only. */
    static List<Conv2dSpec> affected() {
        return List.of(Conv2dSpec.of(1, 4, 28, 28, 8, 1, 2, 0), Conv2dSpec.of(1, 3, 28, 28, 8, 1, 2, 0),
                Conv2dSpec.of(1, 8, 28, 28, 8, 1, 2, 0), Conv2dSpec.of(1, 15, 28, 28, 16, 1, 2, 0),
                Conv2dSpec.of(1, 1, 28, 28, 4, 1, 2, 0), Conv2dSpec.of(1, 4, 27, 27, 8, 1, 3, 0),
                new Conv2dSpec(1, 4, 28, 28, 8, 1, 1, 1, 2, 0, 0, 0, 0, 1, 1, 1));
    }

    @ParameterizedTest
    @MethodSource("affected")
    void manyRunsOnTwoThreadsMatchTheReference(Conv2dSpec spec) {
        NativeLibrary.useThreads(2);
        for (ConvAlgorithm algo : List.of(ConvAlgorithm.ONEDNN, ConvAlgorithm.AUTO)) {
            ConvAlgorithm.use(algo);
            assertThat(NativeBackend.instance().convolutionChoice(ConvDirection.BACKWARD_WEIGHTS, spec)).as("what reports name")
                    .isEqualTo(ConvAlgorithm.ONEDNN);
            for (boolean bias : new boolean[] {false, true}) {
                checkRuns(spec, bias, 200);
            }
        }
    }

    /** A batch of 8 at 64x64 on one thread did not crash but returned gradients off by 15-19. */
    @Test
    void oneThreadGivesTheReferenceGradients() {
        NativeLibrary.useThreads(1);
        ConvAlgorithm.use(ConvAlgorithm.ONEDNN);
        checkRuns(Conv2dSpec.of(8, 4, 64, 64, 8, 1, 2, 0), true, 20);
    }

    /** The affected call goes through oneDNN's blocked layout; a layer of 16 channels keeps its NHWC buffers. */
    @Test
    void onlyAffectedShapesAreReordered() {
        ConvAlgorithm.use(ConvAlgorithm.ONEDNN);
        assertThat(copiesOfOneCall(Conv2dSpec.of(1, 4, 28, 28, 8, 1, 2, 0))).as("source and grad_output reordered in").isEqualTo(2);
        assertThat(copiesOfOneCall(Conv2dSpec.of(1, 16, 28, 28, 8, 1, 2, 0))).as("16 channels").isZero();
        assertThat(copiesOfOneCall(Conv2dSpec.of(1, 4, 28, 28, 8, 1, 1, 0))).as("stride 1").isZero();
        assertThat(copiesOfOneCall(Conv2dSpec.of(1, 4, 28, 28, 8, 1, 3, 0))).as("28 is not 3 x 10: no unit-stride copy").isZero();
    }

    private static long copiesOfOneCall(Conv2dSpec spec) {
        try (Tensor x = NativeGoldenSupport.random(spec.inputDims(), Layout.NHWC, 1);
             Tensor dy = NativeGoldenSupport.random(spec.outputDims(), Layout.NHWC, 2);
             Tensor dw = Tensor.zeros(spec.weightDims())) {
            long before = NativeKernels.cnn4j_onednn_activation_copies();
            NativeBackend.instance().conv2dBackwardWeights(spec, x, dy, dw, null);
            return NativeKernels.cnn4j_onednn_activation_copies() - before;
        }
    }

    /** Tolerance as in NativeConvolutionGoldenTest: 2.4e-7 per summed term (n * outH * outW) of the gradient's scale. */
    private static void checkRuns(Conv2dSpec spec, boolean bias, int runs) {
        try (Tensor x = NativeGoldenSupport.random(spec.inputDims(), Layout.NHWC, 1);
             Tensor dy = NativeGoldenSupport.random(spec.outputDims(), Layout.NHWC, 2);
             Tensor dwRef = Tensor.zeros(spec.weightDims()); Tensor dbRef = Tensor.zeros(spec.k());
             Tensor dw = Tensor.zeros(spec.weightDims()); Tensor db = Tensor.zeros(spec.k())) {
            ReferenceBackend.INSTANCE.conv2dBackwardWeights(spec, x, dy, dwRef, bias ? dbRef : null);
            float[] want = dwRef.toArray(), wantBias = dbRef.toArray();
            double terms = (double) spec.n() * spec.outH() * spec.outW();
            double tol = Math.max(1e-5, 2.4e-7 * terms) * NativeGoldenSupport.maxAbs(want);
            for (int run = 0; run < runs; run++) {
                dw.fill(Float.NaN);
                NativeBackend.instance().conv2dBackwardWeights(spec, x, dy, dw, bias ? db : null);
                String what = spec + " " + ConvAlgorithm.current() + " run " + run;
                NativeGoldenSupport.assertWithin(what + " grad_weight", dw.toArray(), want, tol);
                if (bias) {
                    NativeGoldenSupport.assertWithin(what + " grad_bias", db.toArray(), wantBias, tol);
                }
            }
        }
    }
}

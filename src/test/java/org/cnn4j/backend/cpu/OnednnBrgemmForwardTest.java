package org.cnn4j.backend.cpu;

import java.util.List;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.backend.ConvAlgorithm;
import org.cnn4j.backend.reference.ReferenceBackend;
import org.cnn4j.selftest.Tolerance;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two faults of oneDNN's brgemm forward convolution that the differential fuzz found, whose shapes now skip
 * the brgemm implementations (conv_onednn.cpp): issue 5942, a null post-work kernel (the bias) called for an
 * output column that reads only padding, which killed the JVM on every run (seed 2026, cases 6101 and 8615,
 * and one padded on the left); and a one-channel channels-last source whose width-strided output has one
 * column, computed wrong (seed 42, cases 8231 and 34824). Each runs with a bias, fused or not, in both
 * layouts on 2 threads, and matches the reference.
 */
@ExtendWith(RestoresNativeThreads.class)
class OnednnBrgemmForwardTest {
    @BeforeEach
    void load() {
        NativeTestSupport.requireNative();
        NativeLibrary.useThreads(2);
        ConvAlgorithm.use(ConvAlgorithm.ONEDNN);
    }

    @AfterEach
    void reset() {
        ConvAlgorithm.use(null);
    }

    static List<Conv2dSpec> affected() {
        return List.of(new Conv2dSpec(1, 29, 3, 1, 8, 3, 2, 1, 1, 0, 0, 0, 2, 1, 1, 1),
                new Conv2dSpec(1, 12, 1, 4, 1, 3, 1, 3, 2, 2, 2, 0, 1, 1, 1, 1),
                new Conv2dSpec(2, 16, 5, 2, 16, 3, 2, 1, 1, 1, 1, 3, 0, 1, 1, 1),
                new Conv2dSpec(3, 1, 17, 8, 3, 7, 7, 1, 4, 3, 0, 2, 0, 1, 1, 1),
                new Conv2dSpec(3, 1, 12, 2, 14, 3, 3, 1, 2, 2, 1, 2, 0, 1, 1, 1));
    }

    @ParameterizedTest
    @MethodSource("affected")
    void aBiasedForwardMatchesTheReference(Conv2dSpec spec) {
        int terms = spec.c() / spec.groups() * spec.kh() * spec.kw();
        for (Layout layout : List.of(Layout.NHWC, Layout.NCHW)) {
            try (Tensor x = NativeGoldenSupport.random(spec.inputDims(), layout, 1);
                 Tensor w = NativeGoldenSupport.random(spec.weightDims(), Layout.NCHW, 2);
                 Tensor b = NativeGoldenSupport.random(new int[] {spec.k()}, Layout.PLAIN, 3);
                 Tensor want = NativeGoldenSupport.zeros(spec.outputDims(), layout);
                 Tensor wantRelu = NativeGoldenSupport.zeros(spec.outputDims(), layout);
                 Tensor y = NativeGoldenSupport.zeros(spec.outputDims(), layout)) {
                ReferenceBackend.INSTANCE.conv2dForward(spec, x, w, b, want);
                ReferenceBackend.INSTANCE.conv2dForwardAddRelu(spec, x, w, b, null, wantRelu);
                for (int run = 0; run < 20; run++) {
                    String what = spec + " " + layout + " run " + run;
                    NativeBackend.instance().conv2dForward(spec, x, w, b, y);
                    NativeGoldenSupport.assertWithin(what, y.toArray(), want.toArray(), Tolerance.sum(terms));
                    NativeBackend.instance().conv2dForwardAddRelu(spec, x, w, b, null, y);
                    NativeGoldenSupport.assertWithin(what + " + ReLU", y.toArray(), wantRelu.toArray(), Tolerance.sum(terms));
                }
            }
        }
    }
}

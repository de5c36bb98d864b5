package org.cnn4j.backend.cpu;

import java.util.Arrays;
import java.util.List;
import org.cnn4j.backend.Backend;
import org.cnn4j.backend.reference.ReferenceBackend;
import org.cnn4j.selftest.Tolerance;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Per-channel scaling (squeeze-excite's x * s) and its scale gradient, native against the reference on
 * every ISA, both layouts and shapes whose channels and pixels leave partial vectors. The forward is one
 * float multiply, so exact; the gradient sums H*W products in float where the reference sums in double,
 * the tolerance of a sum of H*W terms ({@link Tolerance#sum}, as global pooling's).
 */
class NativeChannelScaleGoldenTest {
    private static final List<int[]> SHAPES = List.of(new int[] {1, 1, 1, 1}, new int[] {2, 3, 5, 7}, new int[] {1, 17, 13, 1},
            new int[] {3, 64, 7, 7}, new int[] {2, 20, 9, 9}, new int[] {1, 40, 1, 1}, new int[] {0, 4, 3, 3});

    @BeforeEach
    void load() {
        NativeTestSupport.requireNative();
    }

    @AfterEach
    void restoreIsa() {
        NativeLibrary.useIsa(Isa.AVX512);
    }

    @Test
    void nativeEqualsTheReference() {
        Backend nat = NativeBackend.instance(), ref = ReferenceBackend.INSTANCE;
        for (Isa isa : NativeTestSupport.runnableIsas()) {
            NativeLibrary.useIsa(isa);
            for (int[] d : SHAPES) {
                int[] sd = {d[0], d[1], 1, 1};
                for (Layout layout : List.of(Layout.NCHW, Layout.NHWC)) {
                    String what = isa + " " + layout + " " + Arrays.toString(d);
                    try (Tensor x = NativeGoldenSupport.random(d, layout, 3); Tensor s = NativeGoldenSupport.random(sd, layout, 4);
                         Tensor dy = NativeGoldenSupport.random(d, layout, 5);
                         Tensor y = NativeGoldenSupport.zeros(d, layout); Tensor yRef = NativeGoldenSupport.zeros(d, layout);
                         Tensor ds = NativeGoldenSupport.zeros(sd, layout); Tensor dsRef = NativeGoldenSupport.zeros(sd, layout)) {
                        nat.channelScale(x, s, y);
                        ref.channelScale(x, s, yRef);
                        NativeGoldenSupport.assertExact(what + " forward", y.toArray(), yRef.toArray());
                        nat.channelScaleGrad(x, dy, ds);
                        ref.channelScaleGrad(x, dy, dsRef);
                        NativeGoldenSupport.assertWithin(what + " scale gradient", ds.toArray(), dsRef.toArray(),
                                Tolerance.sum(d[2] * d[3]));
                    }
                }
            }
        }
    }
}

package org.cnn4j.backend.cpu;

import java.util.Arrays;
import java.util.List;
import org.cnn4j.backend.Backend;
import org.cnn4j.backend.reference.ReferenceBackend;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The per-channel scale and shift (ScaleShift, ONNX's Mul and Add by constants) and its backward (no shift),
 * native against the reference on every ISA, both layouts, images and feature vectors, with channel and pixel
 * counts that leave partial vectors. One multiply-add per element: the native result is the exact value
 * rounded once (twice on the scalar ISA, which has no FMA), the reference's once from double, so they
 * differ by at most an ulp of |x s| + |b| <= 2 (random values in [-1, 1]).
 */
class NativeChannelAffineGoldenTest {
    private static final List<int[]> SHAPES = List.of(new int[] {1, 1, 1, 1}, new int[] {2, 3, 5, 7}, new int[] {1, 17, 13, 1},
            new int[] {3, 64, 7, 7}, new int[] {2, 20, 9, 9}, new int[] {1, 40, 1, 1}, new int[] {0, 4, 3, 3}, new int[] {5, 33},
            new int[] {1, 1});
    private static final double ULP_OF_2 = Math.ulp(2f);

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
                int[] cd = {d[1]};
                for (Layout layout : d.length == 4 ? List.of(Layout.NCHW, Layout.NHWC) : List.of(Layout.PLAIN)) {
                    String what = isa + " " + layout + " " + Arrays.toString(d);
                    try (Tensor x = NativeGoldenSupport.random(d, layout, 3); Tensor s = NativeGoldenSupport.random(cd, Layout.PLAIN, 4);
                         Tensor b = NativeGoldenSupport.random(cd, Layout.PLAIN, 5);
                         Tensor y = NativeGoldenSupport.zeros(d, layout); Tensor yRef = NativeGoldenSupport.zeros(d, layout);
                         Tensor g = NativeGoldenSupport.zeros(d, layout); Tensor gRef = NativeGoldenSupport.zeros(d, layout)) {
                        nat.channelAffine(x, s, b, y);
                        ref.channelAffine(x, s, b, yRef);
                        NativeGoldenSupport.assertWithin(what + " forward", y.toArray(), yRef.toArray(), ULP_OF_2);
                        nat.channelAffine(x, s, null, g);
                        ref.channelAffine(x, s, null, gRef);
                        NativeGoldenSupport.assertExact(what + " backward (a product, no shift)", g.toArray(), gRef.toArray());
                    }
                }
            }
        }
    }
}

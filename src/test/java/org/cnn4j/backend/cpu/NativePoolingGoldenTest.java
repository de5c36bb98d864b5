package org.cnn4j.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.cnn4j.backend.Pool2dSpec;
import org.cnn4j.backend.Pool2dSpec.Kind;
import org.cnn4j.backend.reference.ReferenceBackend;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Max and average pooling (floor and ceil mode, with and without count_include_pad) and global
 * average pooling, forward and backward, on NCHW and NHWC tensors and every ISA path, against the
 * reference backend over a seeded grid with odd sizes, C not a multiple of 16, 1x1 inputs, N = 1,
 * stride larger than the kernel and windows hanging over the padding.
 *
 * <p>Tolerances: max pooling forward selects an input, so it must match bit for bit. Every other
 * result is a float32 sum of R terms of size at most 1 (the reference sums in double): R = kh*kw for
 * average pooling, the number of windows covering a pixel for the backward passes, H*W for global
 * pooling; we allow 2.4e-7 * R (about 4 ulps per term), floored at 1e-5, relative to the largest output.
 */
class NativePoolingGoldenTest {

    @BeforeEach
    void load() {
        NativeTestSupport.requireNative();
    }

    @AfterEach
    void restoreIsa() {
        NativeLibrary.useIsa(Isa.AVX512);
    }

    static List<Pool2dSpec> shapes() {
        List<Pool2dSpec> specs = new ArrayList<>(List.of(
                Pool2dSpec.of(Kind.MAX, 1, 1, 1, 1, 1, 1, 0),
                Pool2dSpec.of(Kind.AVG, 1, 3, 1, 1, 1, 2, 0),
                Pool2dSpec.of(Kind.MAX, 2, 17, 7, 9, 3, 2, 1),
                Pool2dSpec.of(Kind.AVG, 2, 33, 8, 8, 2, 2, 0),
                Pool2dSpec.of(Kind.MAX, 1, 16, 9, 9, 2, 3, 0),
                new Pool2dSpec(Kind.AVG, 1, 5, 6, 7, 3, 3, 2, 2, 1, 1, true, true),
                new Pool2dSpec(Kind.AVG, 2, 5, 6, 7, 3, 3, 2, 2, 1, 1, true, false),
                new Pool2dSpec(Kind.MAX, 1, 19, 5, 8, 3, 2, 2, 3, 1, 1, true, false),
                new Pool2dSpec(Kind.AVG, 3, 2, 13, 4, 5, 3, 3, 1, 2, 0, false, true)));
        SplittableRandom r = new SplittableRandom(11);
        while (specs.size() < 48) {
            int kh = 1 + r.nextInt(4), kw = 1 + r.nextInt(4), sh = 1 + r.nextInt(3), sw = 1 + r.nextInt(3);
            int ph = r.nextInt(kh / 2 + 1), pw = r.nextInt(kw / 2 + 1);
            int h = Math.max(1, kh - 2 * ph) + r.nextInt(9), w = Math.max(1, kw - 2 * pw) + r.nextInt(9);
            int c = r.nextBoolean() ? 1 + r.nextInt(5) : 1 + r.nextInt(40);
            specs.add(new Pool2dSpec(r.nextBoolean() ? Kind.MAX : Kind.AVG, 1 + r.nextInt(3), c, h, w, kh, kw, sh, sw, ph, pw,
                    r.nextBoolean(), r.nextBoolean()));
        }
        return specs;
    }

    @Test
    void poolingMatchesTheReferenceOnEveryIsaAndLayout() {
        int checked = 0;
        for (Isa isa : NativeTestSupport.runnableIsas()) {
            assertThat(NativeLibrary.useIsa(isa)).isEqualTo(isa);
            SplittableRandom seeds = new SplittableRandom(5);
            for (Pool2dSpec spec : shapes()) {
                for (Layout layout : List.of(Layout.NCHW, Layout.NHWC)) {
                    check(spec, layout, seeds.nextLong(), isa);
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(96);
    }

    /** Ties, as after a ReLU: the gradient goes to the first maximum of each window, as the reference routes it. */
    @Test
    void maxPoolGradientGoesToTheFirstOfTiedMaxima() {
        List<Pool2dSpec> specs = List.of(Pool2dSpec.of(Kind.MAX, 2, 35, 8, 8, 2, 2, 0), Pool2dSpec.of(Kind.MAX, 1, 20, 9, 7, 2, 2, 0),
                Pool2dSpec.of(Kind.MAX, 1, 20, 9, 7, 3, 2, 1), new Pool2dSpec(Kind.MAX, 1, 17, 7, 7, 2, 2, 2, 2, 0, 0, true, false));
        for (Isa isa : NativeTestSupport.runnableIsas()) {
            NativeLibrary.useIsa(isa);
            for (Pool2dSpec s : specs) {
                for (Layout layout : List.of(Layout.NCHW, Layout.NHWC)) {
                    try (Tensor x = NativeGoldenSupport.random(s.inputDims(), layout, 3);
                         Tensor dy = NativeGoldenSupport.random(s.outputDims(), layout, 4);
                         Tensor dx = NativeGoldenSupport.zeros(s.inputDims(), layout);
                         Tensor dxRef = Tensor.zeros(s.inputDims())) {
                        java.nio.FloatBuffer b = x.buffer();
                        for (int i = 0; i < b.capacity(); i++) {
                            b.put(i, Math.max(0f, Math.round(b.get(i) * 2) / 2f)); // few distinct values, many zeros
                        }
                        dx.fill(7f);
                        NativeBackend.instance().pool2dBackward(s, x, dy, dx);
                        ReferenceBackend.INSTANCE.pool2dBackward(s, x, dy, dxRef);
                        int overlap = ceilDiv(s.kh(), s.strideH()) * ceilDiv(s.kw(), s.strideW());
                        checkArgmax(s, x, dy, dxRef, overlap, isa + " " + layout + " " + s + " with ties");
                        String what = isa + " " + layout + " " + s + " backward with ties";
                        if (s.strideH() >= s.kh() && s.strideW() >= s.kw()) { // one window per pixel: nothing is summed
                            NativeGoldenSupport.assertExact(what, dx.toArray(), dxRef.toArray());
                        } else {
                            NativeConvolutionGoldenTest.assertClose(what, dx.toArray(), dxRef.toArray(), overlap + 1);
                        }
                    }
                }
            }
        }
    }

    private static void check(Pool2dSpec s, Layout layout, long seed, Isa isa) {
        String what = isa + " " + layout + " " + s;
        try (Tensor x = NativeGoldenSupport.random(s.inputDims(), layout, seed);
             Tensor dy = NativeGoldenSupport.random(s.outputDims(), layout, seed + 1);
             Tensor y = NativeGoldenSupport.zeros(s.outputDims(), layout);
             Tensor yRef = Tensor.zeros(s.outputDims());
             Tensor dx = NativeGoldenSupport.zeros(s.inputDims(), layout);
             Tensor dxRef = Tensor.zeros(s.inputDims())) {
            dx.fill(7f); // backward must overwrite
            NativeBackend.instance().pool2dForward(s, x, y);
            NativeBackend.instance().pool2dBackward(s, x, dy, dx);
            ReferenceBackend.INSTANCE.pool2dForward(s, x, yRef);
            ReferenceBackend.INSTANCE.pool2dBackward(s, x, dy, dxRef);
            if (s.kind() == Kind.MAX) {
                NativeGoldenSupport.assertExact(what + " forward", y.toArray(), yRef.toArray());
            } else {
                NativeConvolutionGoldenTest.assertClose(what + " forward", y.toArray(), yRef.toArray(), s.kh() * s.kw() + 1);
            }
            int overlap = ceilDiv(s.kh(), s.strideH()) * ceilDiv(s.kw(), s.strideW());
            NativeConvolutionGoldenTest.assertClose(what + " backward", dx.toArray(), dxRef.toArray(), overlap + 1);
            if (s.kind() == Kind.MAX) {
                checkArgmax(s, x, dy, dxRef, overlap, what);
            }
        }
    }

    /** The recorded maxima: the same output and positions as the reference, and the same gradient from them. */
    private static void checkArgmax(Pool2dSpec s, Tensor x, Tensor dy, Tensor dxRef, int overlap, String what) {
        int outputs = s.n() * s.c() * s.outH() * s.outW();
        ByteBuffer at = ByteBuffer.allocateDirect(outputs), atRef = ByteBuffer.allocateDirect(outputs);
        try (Tensor y = NativeGoldenSupport.zeros(s.outputDims(), x.layout()); Tensor yRef = NativeGoldenSupport.zeros(s.outputDims(), x.layout());
             Tensor dx = NativeGoldenSupport.zeros(s.inputDims(), x.layout())) {
            NativeBackend.instance().maxPool2dForward(s, x, y, at);
            ReferenceBackend.INSTANCE.maxPool2dForward(s, x, yRef, atRef);
            NativeGoldenSupport.assertExact(what + " forward with argmax", y.toArray(), yRef.toArray());
            for (int i = 0; i < outputs; i++) {
                assertThat(at.get(i)).as("%s argmax %d", what, i).isEqualTo(atRef.get(i));
            }
            dx.fill(7f); // backward must overwrite
            NativeBackend.instance().maxPool2dBackward(s, at, dy, dx);
            NativeConvolutionGoldenTest.assertClose(what + " backward from argmax", dx.toArray(), dxRef.toArray(), overlap + 1);
        }
    }

    @Test
    void maxPoolingRoutesTiesToTheFirstMaximumOfTheWindow() {
        Pool2dSpec s = new Pool2dSpec(Kind.MAX, 2, 18, 5, 6, 3, 3, 1, 2, 1, 1, true, false);
        for (Isa isa : NativeTestSupport.runnableIsas()) {
            NativeLibrary.useIsa(isa);
            for (Layout layout : List.of(Layout.NCHW, Layout.NHWC)) {
                try (Tensor x = NativeGoldenSupport.zeros(s.inputDims(), layout);
                     Tensor dy = NativeGoldenSupport.random(s.outputDims(), layout, 3);
                     Tensor dx = NativeGoldenSupport.zeros(s.inputDims(), layout);
                     Tensor dxRef = Tensor.zeros(s.inputDims())) {
                    x.fill(0.5f); // every element of every window ties
                    NativeBackend.instance().pool2dBackward(s, x, dy, dx);
                    ReferenceBackend.INSTANCE.pool2dBackward(s, x, dy, dxRef);
                    NativeConvolutionGoldenTest.assertClose(isa + " " + layout + " ties", dx.toArray(), dxRef.toArray(), 4);
                    assertThat(dx.get(1, 17, 4, 2)).as("column 2 is never the first element of a window").isZero();
                }
            }
        }
    }

    @Test
    void globalAveragePoolingMatchesTheReference() {
        int[][] shapes = {{1, 1, 1, 1}, {2, 3, 1, 1}, {1, 17, 7, 7}, {3, 5, 9, 13}, {2, 64, 4, 4}, {1, 2, 31, 1}, {2, 33, 3, 5}};
        for (Isa isa : NativeTestSupport.runnableIsas()) {
            NativeLibrary.useIsa(isa);
            for (int[] d : shapes) {
                for (Layout layout : List.of(Layout.NCHW, Layout.NHWC)) {
                    int[] pooled = {d[0], d[1], 1, 1};
                    String what = isa + " " + layout + " " + java.util.Arrays.toString(d);
                    try (Tensor x = NativeGoldenSupport.random(d, layout, d[1]);
                         Tensor dy = NativeGoldenSupport.random(pooled, layout, d[2]);
                         Tensor y = NativeGoldenSupport.zeros(pooled, layout);
                         Tensor yRef = Tensor.zeros(pooled);
                         Tensor dx = NativeGoldenSupport.zeros(d, layout);
                         Tensor dxRef = Tensor.zeros(d)) {
                        NativeBackend.instance().globalAvgPoolForward(x, y);
                        NativeBackend.instance().globalAvgPoolBackward(dy, dx);
                        ReferenceBackend.INSTANCE.globalAvgPoolForward(x, yRef);
                        ReferenceBackend.INSTANCE.globalAvgPoolBackward(dy, dxRef);
                        NativeConvolutionGoldenTest.assertClose(what + " forward", y.toArray(), yRef.toArray(), d[2] * d[3] + 1);
                        NativeConvolutionGoldenTest.assertClose(what + " backward", dx.toArray(), dxRef.toArray(), 2);
                    }
                }
            }
        }
    }

    /** A 65536x65536 window counting its padding covers 2^32 cells, which an int count wrapped to 0 (divisor 1). */
    @Test
    void averageDivisorsBeyondAnIntAreExact() {
        Pool2dSpec spec = new Pool2dSpec(Kind.AVG, 1, 1, 1, 1, 65536, 65536, 1, 1, 32768, 32768, false, true);
        float share = (float) Math.scalb(1.0, -32);
        for (var backend : List.of(ReferenceBackend.INSTANCE, NativeBackend.instance())) {
            try (Tensor x = Tensor.of(new float[] {1}, 1, 1, 1, 1); Tensor y = Tensor.zeros(1, 1, 2, 2);
                 Tensor dy = Tensor.of(new float[] {1, 1, 1, 1}, 1, 1, 2, 2); Tensor dx = Tensor.zeros(1, 1, 1, 1)) {
                backend.pool2dForward(spec, x, y);
                backend.pool2dBackward(spec, x, dy, dx);
                assertThat(y.toArray()).as(backend.name()).containsOnly(share);
                assertThat(dx.toArray()).as(backend.name()).containsOnly(4 * share);
            }
        }
    }

    @Test
    void aGeometryThatDoesNotFitIsAnErrorNotACrash() {
        int[] bad = NativeBackend.pool(Pool2dSpec.of(Kind.MAX, 1, 1, 4, 4, 2, 2, 0));
        bad[10] = 9; // out_h far beyond the input
        try (Tensor x = Tensor.zeros(16); Tensor y = Tensor.zeros(16)) {
            assertThatThrownBy(() -> NativeStatus.check(NativeKernels.cnn4j_pool2d_forward(bad, 0, x.buffer(), y.buffer(), null), "pool2d"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pool2d forward")
                    .hasMessageContaining("output size");
            int[] average = NativeBackend.pool(Pool2dSpec.of(Kind.AVG, 1, 1, 4, 4, 2, 2, 0));
            ByteBuffer at = ByteBuffer.allocateDirect(4);
            assertThatThrownBy(() -> NativeStatus.check(NativeKernels.cnn4j_pool2d_forward(average, 0, x.buffer(), y.buffer(), at), "pool2d"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("argmax needs max pooling");
        }
        int[] wide = NativeBackend.pool(Pool2dSpec.of(Kind.MAX, 1, 1, 8, 8, 1, 1, 0));
        wide[4] = Integer.MAX_VALUE - 1; // kh
        wide[8] = (1 << 30) - 1; // pad_h: the padded height 2^31 + 6 overflows an int
        wide[10] = 1; // out_h
        try (Tensor x = Tensor.zeros(64); Tensor y = Tensor.zeros(8)) {
            assertThatThrownBy(() -> NativeStatus.check(NativeKernels.cnn4j_pool2d_forward(wide, 0, x.buffer(), y.buffer(), null), "pool2d"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not fit the padded input 2147483654x8");
        }
        Pool2dSpec avg = Pool2dSpec.of(Kind.AVG, 1, 1, 4, 4, 2, 2, 0), max = Pool2dSpec.of(Kind.MAX, 1, 1, 4, 4, 2, 2, 0);
        try (Tensor x = Tensor.zeros(1, 1, 4, 4); Tensor y = Tensor.zeros(1, 1, 2, 2)) {
            assertThatThrownBy(() -> org.cnn4j.kernels.Pooling.maxForward(avg, x, y, ByteBuffer.allocateDirect(4)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max pool2d").hasMessageContaining("AVG");
            assertThatThrownBy(() -> org.cnn4j.kernels.Pooling.maxForward(max, x, y, ByteBuffer.allocateDirect(3)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 4 bytes");
            assertThatThrownBy(() -> org.cnn4j.kernels.Pooling.maxForward(max, x, y, ByteBuffer.allocate(4)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("heap buffer");
        }
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}

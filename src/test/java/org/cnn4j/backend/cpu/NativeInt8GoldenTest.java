package org.cnn4j.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.backend.Pool2dSpec;
import org.cnn4j.kernels.QuantizedOps;
import org.cnn4j.tensor.Int8Tensor;
import org.cnn4j.tensor.Int8Weights;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The native int8 ops (oneDNN's int8 convolution and inner product, our quantise and max pooling) against the
 * reference's definitions, on a seeded grid of awkward shapes and a small differential fuzz. Tolerance: the
 * integer sums are exact on both sides, but oneDNN scales them in float (src_scale * w_scale * acc + bias, the
 * sum post-op, then / dst_scale, in its own order) where the reference works in double, so a value that lands
 * within a float rounding of a half-quantum may round the other way: at most 1 quantum apart, and that on few
 * outputs (a wrong scale, channel or tap shows as many outputs off by more). f32 outputs: 1e-5 of the largest.
 * Quantise and max pooling must be exact.
 */
class NativeInt8GoldenTest {
    private static final List<Conv2dSpec> SHAPES = List.of(
            Conv2dSpec.of(2, 3, 9, 7, 5, 3, 1, 1), Conv2dSpec.of(1, 16, 8, 8, 32, 3, 1, 1),
            Conv2dSpec.of(2, 17, 11, 11, 13, 3, 2, 1), Conv2dSpec.of(3, 8, 8, 8, 24, 1, 1, 0),
            Conv2dSpec.of(1, 32, 14, 14, 64, 1, 2, 0), Conv2dSpec.of(2, 12, 7, 9, 12, 3, 1, 1, 1, 12),
            Conv2dSpec.of(1, 16, 10, 10, 32, 3, 2, 1, 1, 4), Conv2dSpec.of(1, 5, 12, 12, 7, 3, 1, 2, 2, 1),
            Conv2dSpec.of(1, 1, 1, 1, 3, 1, 1, 0), Conv2dSpec.of(2, 4, 5, 5, 6, 5, 3, 2));

    @Test
    void convolutionsMatchTheReferenceWithinOneQuantum() {
        NativeTestSupport.requireNative();
        long seed = 1;
        for (Conv2dSpec spec : SHAPES) {
            for (boolean unsignedInput : new boolean[] {true, false}) {
                for (Epilogue e : Epilogue.values()) {
                    checkConv(spec, unsignedInput, e, seed++);
                }
            }
        }
    }

    @Test
    void aSmallDifferentialFuzzOfConvolutionsAgrees() {
        NativeTestSupport.requireNative();
        Random r = new Random(2026);
        for (int i = 0; i < 60; i++) {
            int groups = r.nextInt(4) == 0 ? 1 + r.nextInt(3) : 1;
            int c = groups * (1 + r.nextInt(9)), k = groups * (1 + r.nextInt(9)), kernel = 1 + r.nextInt(3);
            int h = kernel + r.nextInt(9), w = kernel + r.nextInt(9), stride = 1 + r.nextInt(2), pad = r.nextInt(kernel);
            Conv2dSpec spec = Conv2dSpec.of(1 + r.nextInt(3), c, h, w, k, kernel, stride, pad, 1, groups);
            checkConv(spec, r.nextBoolean(), Epilogue.values()[r.nextInt(Epilogue.values().length)], 100 + i);
        }
    }

    @Test
    void linearLayersOnFlattenedChannelsLastInputsMatchTheReference() {
        NativeTestSupport.requireNative();
        int[][] inputs = {{3, 7}, {2, 5, 3, 3}, {4, 64, 1, 1}, {1, 16, 7, 7}};
        long seed = 500;
        for (int[] dims : inputs) {
            int in = 1;
            for (int i = 1; i < dims.length; i++) {
                in *= dims[i];
            }
            for (int out : new int[] {1, 10, 33}) {
                String what = "int8 linear " + Arrays.toString(dims) + " -> " + out;
                Int8Tensor x = randomInt8(dims, true, 0.05f, seed++);
                Int8Weights wt = randomWeights(new int[] {out, in}, seed++);
                try (Tensor bias = NativeGoldenSupport.random(new int[] {out}, Layout.PLAIN, seed++);
                     Tensor refF = Tensor.zeros(dims[0], out); Tensor natF = Tensor.zeros(dims[0], out)) {
                    reference().linearInt8ForwardToFloat(x, wt, bias, false, refF);
                    nativeBackend().linearInt8ForwardToFloat(x, wt, bias, false, natF);
                    double max = Math.max(1, NativeGoldenSupport.maxAbs(refF.toArray()));
                    NativeGoldenSupport.assertWithin(what + " f32", natF.toArray(), refF.toArray(), 1e-5 * max);
                    float scale = (float) Math.max(1e-3, NativeGoldenSupport.maxAbs(refF.toArray()) / 100);
                    Int8Tensor refQ = new Int8Tensor(true, scale, dims[0], out), natQ = new Int8Tensor(true, scale, dims[0], out);
                    reference().linearInt8Forward(x, wt, bias, true, refQ);
                    nativeBackend().linearInt8Forward(x, wt, bias, true, natQ);
                    assertWithinOneQuantum(what + " u8", natQ, refQ);
                }
            }
        }
    }

    @Test
    void quantiseDequantiseAndMaxPoolingAreExact() {
        NativeTestSupport.requireNative();
        int[] dims = {2, 5, 9, 7};
        try (Tensor x = NativeGoldenSupport.random(dims, Layout.NHWC, 9)) {
            // values on exact half-quanta: ties must go to even, as oneDNN rounds
            float[] v = x.toArray();
            for (int i = 0; i < 40; i++) {
                v[i] = (i - 20) * 0.5f * 0.03125f;
            }
            x.copyFrom(v);
            for (boolean unsigned : new boolean[] {true, false}) {
                Int8Tensor ref = new Int8Tensor(unsigned, 0.03125f, dims), nat = new Int8Tensor(unsigned, 0.03125f, dims);
                reference().quantize(x, ref);
                nativeBackend().quantize(x, nat);
                assertExact("quantize " + (unsigned ? "u8" : "s8"), nat, ref);
                try (Tensor back = Tensor.zeros(Shape.of(dims), Layout.NHWC)) {
                    nativeBackend().dequantize(nat, back);
                    float[] b = back.toArray();
                    // 0.5, 1.5, 2.5 and -1.5 quanta round to 0, 2, 2 and -2 (u8: 0)
                    assertThat(new float[] {b[21], b[23], b[25], b[17]}).containsExactly(0f, 0.0625f, 0.0625f, unsigned ? 0f : -0.0625f);
                }
                for (Pool2dSpec spec : List.of(Pool2dSpec.of(Pool2dSpec.Kind.MAX, 2, 5, 9, 7, 2, 2, 0),
                        Pool2dSpec.of(Pool2dSpec.Kind.MAX, 2, 5, 9, 7, 3, 2, 1))) {
                    Int8Tensor refP = new Int8Tensor(unsigned, 0.03125f, spec.outputDims());
                    Int8Tensor natP = new Int8Tensor(unsigned, 0.03125f, spec.outputDims());
                    reference().maxPool2dInt8Forward(spec, ref, refP);
                    nativeBackend().maxPool2dInt8Forward(spec, nat, natP);
                    assertExact("int8 max pool " + spec, natP, refP);
                }
            }
        }
    }

    @Test
    void bf16ConvolutionsAndLinearLayersMatchTheReferenceRounding() {
        NativeTestSupport.requireNative();
        // both round input and weights to bf16 the same way and accumulate exactly products of 8-bit mantissas
        // (exact in f32): only the f32 summation order differs, 1e-5 of the largest output
        for (Conv2dSpec spec : List.of(Conv2dSpec.of(2, 16, 9, 9, 32, 3, 1, 1), Conv2dSpec.of(1, 8, 11, 11, 8, 3, 2, 1, 1, 8))) {
            try (Tensor x = NativeGoldenSupport.random(spec.inputDims(), Layout.NHWC, 1);
                 Tensor w = NativeGoldenSupport.random(spec.weightDims(), Layout.NCHW, 2).freeze();
                 Tensor b = NativeGoldenSupport.random(new int[] {spec.k()}, Layout.PLAIN, 3).freeze();
                 Tensor res = NativeGoldenSupport.random(spec.outputDims(), Layout.NHWC, 4);
                 Tensor ref = NativeGoldenSupport.zeros(spec.outputDims(), Layout.NHWC);
                 Tensor nat = NativeGoldenSupport.zeros(spec.outputDims(), Layout.NHWC)) {
                reference().conv2dBf16Forward(spec, x, w, b, res, true, ref);
                nativeBackend().conv2dBf16Forward(spec, x, w, b, res, true, nat);
                NativeGoldenSupport.assertWithin("bf16 conv " + spec, nat.toArray(), ref.toArray(), 1e-5 * NativeGoldenSupport.maxAbs(ref.toArray()));
            }
        }
        try (Tensor x = NativeGoldenSupport.random(new int[] {5, 37}, Layout.PLAIN, 5);
             Tensor w = NativeGoldenSupport.random(new int[] {11, 37}, Layout.PLAIN, 6).freeze();
             Tensor ref = Tensor.zeros(5, 11); Tensor nat = Tensor.zeros(5, 11)) {
            reference().linearBf16Forward(x, w, null, false, ref);
            nativeBackend().linearBf16Forward(x, w, null, false, nat);
            NativeGoldenSupport.assertWithin("bf16 linear", nat.toArray(), ref.toArray(), 1e-5 * NativeGoldenSupport.maxAbs(ref.toArray()));
        }
    }

    @Test
    void quantisingNanIsAnErrorNamingTheOp() {
        NativeTestSupport.requireNative();
        try (Tensor x = Tensor.zeros(Shape.of(1, 2, 2, 2), Layout.NHWC)) {
            x.set(Float.NaN, 0, 1, 0, 1);
            Int8Tensor q = new Int8Tensor(false, 0.1f, 1, 2, 2, 2);
            assertThatThrownBy(() -> nativeBackend().quantize(x, q)).hasMessageContaining("quantize").hasMessageContaining("NaN");
            assertThatThrownBy(() -> reference().quantize(x, q)).hasMessageContaining("quantize").hasMessageContaining("NaN");
        }
    }

    @Test
    void badArgumentsAreRefusedBeforeTheNativeCall() {
        NativeTestSupport.requireNative();
        Conv2dSpec spec = Conv2dSpec.of(1, 4, 5, 5, 8, 3, 1, 1);
        Int8Tensor x = randomInt8(spec.inputDims(), true, 0.1f, 1);
        Int8Weights w = randomWeights(spec.weightDims(), 2);
        Int8Tensor wrong = new Int8Tensor(false, 0.1f, 1, 8, 4, 4);
        assertThatThrownBy(() -> QuantizedOps.conv2d(spec, x, w, null, null, false, wrong))
                .hasMessageContaining("int8 conv2d").hasMessageContaining("output").hasMessageContaining("[1, 8, 4, 4]");
        Int8Tensor u8 = new Int8Tensor(true, 0.1f, spec.outputDims());
        assertThatThrownBy(() -> QuantizedOps.conv2d(spec, x, w, null, null, false, u8)).hasMessageContaining("u8 output needs the ReLU");
        Int8Tensor closed = randomInt8(spec.inputDims(), true, 0.1f, 3);
        closed.close();
        assertThatThrownBy(() -> QuantizedOps.conv2d(spec, closed, w, null, null, true, u8)).hasMessageContaining("input")
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> new Int8Tensor(true, Float.NaN, 1, 2)).hasMessageContaining("scale").hasMessageContaining("NaN");
        assertThatThrownBy(() -> new Int8Tensor(true, 1f, 65536, 65536)).hasMessageContaining("over 2^31");
    }

    /** What follows the convolution: its output type, the ReLU and a residual. */
    private enum Epilogue {
        S8, U8_RELU, F32, F32_RELU, S8_RESIDUAL_U8_RELU, U8_RESIDUAL_S8_RELU, S8_SATURATING
    }

    private static void checkConv(Conv2dSpec spec, boolean unsignedInput, Epilogue e, long seed) {
        String what = "int8 conv " + spec + " " + (unsignedInput ? "u8" : "s8") + " in, " + e;
        Int8Tensor x = randomInt8(spec.inputDims(), unsignedInput, 0.02f, seed);
        Int8Weights w = randomWeights(spec.weightDims(), seed + 1);
        boolean relu = e == Epilogue.U8_RELU || e == Epilogue.F32_RELU || e.name().contains("RESIDUAL");
        try (Tensor bias = seed % 3 == 0 ? null : NativeGoldenSupport.random(new int[] {spec.k()}, Layout.PLAIN, seed + 2);
             Tensor refF = Tensor.zeros(Shape.of(spec.outputDims()), Layout.NHWC);
             Tensor natF = Tensor.zeros(Shape.of(spec.outputDims()), Layout.NHWC)) {
            reference().conv2dInt8ForwardToFloat(spec, x, w, bias, e == Epilogue.F32_RELU, refF);
            double max = Math.max(1e-3, NativeGoldenSupport.maxAbs(refF.toArray()));
            if (e == Epilogue.F32 || e == Epilogue.F32_RELU) {
                nativeBackend().conv2dInt8ForwardToFloat(spec, x, w, bias, e == Epilogue.F32_RELU, natF);
                NativeGoldenSupport.assertWithin(what, natF.toArray(), refF.toArray(), 1e-5 * max);
                return;
            }
            // a scale that spans the outputs, or (saturating) one that clips most of them
            float scale = (float) (e == Epilogue.S8_SATURATING ? max / 500 : max / 100);
            Int8Tensor residual = switch (e) {
                case S8_RESIDUAL_U8_RELU -> randomInt8(spec.outputDims(), false, scale * 0.7f, seed + 3);
                case U8_RESIDUAL_S8_RELU -> randomInt8(spec.outputDims(), true, scale * 1.3f, seed + 3);
                default -> null;
            };
            Int8Tensor ref = new Int8Tensor(relu, scale, spec.outputDims()), nat = new Int8Tensor(relu, scale, spec.outputDims());
            reference().conv2dInt8Forward(spec, x, w, bias, residual, relu, ref);
            nativeBackend().conv2dInt8Forward(spec, x, w, bias, residual, relu, nat);
            assertWithinOneQuantum(what, nat, ref);
        }
    }

    private static void assertWithinOneQuantum(String what, Int8Tensor actual, Int8Tensor expected) {
        int off = 0;
        List<String> examples = new ArrayList<>();
        for (int i = 0; i < expected.numel(); i++) {
            int d = Math.abs(actual.get(i) - expected.get(i));
            if (d > 1 && examples.size() < 5) {
                examples.add("memory index " + i + ": " + actual.get(i) + " vs " + expected.get(i));
            }
            off += d == 1 ? 1 : 0;
        }
        assertThat(examples).as(what + ": outputs more than one quantum from the reference").isEmpty();
        assertThat(off).as(what + ": outputs one quantum off (of " + expected.numel() + ")").isLessThanOrEqualTo(Math.max(2, expected.numel() / 100));
    }

    private static void assertExact(String what, Int8Tensor actual, Int8Tensor expected) {
        for (int i = 0; i < expected.numel(); i++) {
            assertThat(actual.get(i)).as(what + " memory index " + i).isEqualTo(expected.get(i));
        }
    }

    static Int8Tensor randomInt8(int[] dims, boolean unsigned, float scale, long seed) {
        Random r = new Random(seed);
        Int8Tensor t = new Int8Tensor(unsigned, scale, dims);
        for (int i = 0; i < t.numel(); i++) {
            t.set(i, unsigned ? r.nextInt(256) : r.nextInt(256) - 128);
        }
        return t;
    }

    static Int8Weights randomWeights(int[] dims, long seed) {
        Random r = new Random(seed);
        int count = 1;
        for (int d : dims) {
            count *= d;
        }
        byte[] q = new byte[count];
        for (int i = 0; i < count; i++) {
            q[i] = (byte) (r.nextInt(255) - 127);
        }
        float[] scales = new float[dims[0]];
        for (int o = 0; o < scales.length; o++) {
            scales[o] = 0.001f + 0.01f * r.nextFloat();
        }
        return new Int8Weights(q, scales, dims);
    }

    private static Backend reference() {
        return Backends.byName("reference");
    }

    private static Backend nativeBackend() {
        return Backends.byName("native");
    }
}

package org.cnn4j.kernels;

import org.cnn4j.backend.Backends;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.tensor.TensorUse;

/**
 * bf16 inference ops on the active backend: input and weights rounded to bf16 (8 bits of mantissa), products
 * accumulated in f32, f32 output. Weights must be {@linkplain Tensor#freeze() frozen}: the native kernels keep
 * their bf16 copy under the frozen id.
 */
@SuppressWarnings("try") // each op holds its TensorUse without reading it
public final class Bf16Ops {
    private Bf16Ops() {
    }

    /** output = relu?(conv(bf16(input), bf16(weight)) + bias + residual); residual may be null. */
    public static void conv2d(Conv2dSpec spec, Tensor input, Tensor weight, Tensor bias, Tensor residual, boolean relu, Tensor output) {
        String op = "bf16 conv2d";
        if (spec == null) {
            throw new IllegalArgumentException(op + ": spec is null");
        }
        Check.shape(op, "input", input, spec.inputDims());
        Check.shape(op, "weight", weight, spec.weightDims());
        frozen(op, weight);
        Check.optionalShape(op, "bias", bias, spec.k());
        Check.optionalShape(op, "residual", residual, spec.outputDims());
        Check.shape(op, "output", output, spec.outputDims());
        Check.writable(op, "output", output);
        try (TensorUse use = TensorUse.of(op, input, weight, bias, residual, output)) {
            Backends.current().conv2dBf16Forward(spec, input, weight, bias, residual, relu, output);
        }
    }

    /** output [N, out] = relu?(bf16(input) bf16(weight)^T + bias), input [N, in], weight [out, in]. */
    public static void linear(Tensor input, Tensor weight, Tensor bias, boolean relu, Tensor output) {
        String op = "bf16 linear";
        Check.rank(op, "weight", weight, 2);
        frozen(op, weight);
        Check.rank(op, "input", input, 2);
        Check.shape(op, "input", input, input.dim(0), weight.dim(1));
        Check.optionalShape(op, "bias", bias, weight.dim(0));
        Check.shape(op, "output", output, input.dim(0), weight.dim(0));
        Check.writable(op, "output", output);
        try (TensorUse use = TensorUse.of(op, input, weight, bias, output)) {
            Backends.current().linearBf16Forward(input, weight, bias, relu, output);
        }
    }

    private static void frozen(String op, Tensor weight) {
        if (!weight.isFrozen()) {
            throw new IllegalArgumentException(op + ": weight " + weight.shape() + " must be frozen (Tensor.freeze())");
        }
    }
}

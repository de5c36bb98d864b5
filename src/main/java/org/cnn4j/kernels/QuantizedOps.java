package org.cnn4j.kernels;

import java.util.Arrays;
import org.cnn4j.backend.Backends;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.backend.Pool2dSpec;
import org.cnn4j.tensor.Int8Tensor;
import org.cnn4j.tensor.Int8Weights;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.tensor.TensorUse;

/**
 * The int8 inference ops on the active backend: quantise and dequantise, convolution, linear layer and max
 * pooling on {@link Int8Tensor} activations with {@link Int8Weights}. Semantics (scales, rounding, saturation):
 * {@code Backend}'s quantised methods and docs/quantization.md. Arguments are checked here, naming op and values.
 */
@SuppressWarnings("try") // each op holds its TensorUse without reading it
public final class QuantizedOps {
    private QuantizedOps() {
    }

    public static void quantize(Tensor input, Int8Tensor output) {
        Check.open("quantize", "input", input);
        open("quantize", "output", output);
        sameDims("quantize", "output", output, input.dims());
        try (TensorUse use = TensorUse.of("quantize", input)) {
            Backends.current().quantize(input, output);
        }
    }

    public static void dequantize(Int8Tensor input, Tensor output) {
        open("dequantize", "input", input);
        Check.shape("dequantize", "output", output, input.dims());
        Check.writable("dequantize", "output", output);
        try (TensorUse use = TensorUse.of("dequantize", output)) {
            Backends.current().dequantize(input, output);
        }
    }

    /** output = requantise(relu?(conv(input, weight) + bias + residual)); residual (or null) is int8 of the output's shape. */
    public static void conv2d(Conv2dSpec spec, Int8Tensor input, Int8Weights weight, Tensor bias, Int8Tensor residual, boolean relu,
                              Int8Tensor output) {
        String op = "int8 conv2d";
        checkConv(op, spec, input, weight, bias);
        open(op, "output", output);
        sameDims(op, "output", output, spec.outputDims());
        if (residual != null) {
            open(op, "residual", residual);
            sameDims(op, "residual", residual, spec.outputDims());
        }
        if (output.isUnsigned() && !relu) {
            throw new IllegalArgumentException(op + ": a u8 output needs the ReLU (values below 0 would saturate)");
        }
        try (TensorUse use = TensorUse.of(op, bias)) {
            Backends.current().conv2dInt8Forward(spec, input, weight, bias, residual, relu, output);
        }
    }

    /** As {@link #conv2d} with an f32 output [N, K, outH, outW] (channels-last on the native backend). */
    public static void conv2dToFloat(Conv2dSpec spec, Int8Tensor input, Int8Weights weight, Tensor bias, boolean relu, Tensor output) {
        String op = "int8 conv2d";
        checkConv(op, spec, input, weight, bias);
        Check.shape(op, "output", output, spec.outputDims());
        Check.writable(op, "output", output);
        try (TensorUse use = TensorUse.of(op, bias, output)) {
            Backends.current().conv2dInt8ForwardToFloat(spec, input, weight, bias, relu, output);
        }
    }

    /** A linear layer on int8 input [N, C, H, W] (as a Flatten would read it) or [N, in], weight [out, in], requantised. */
    public static void linear(Int8Tensor input, Int8Weights weight, Tensor bias, boolean relu, Int8Tensor output) {
        String op = "int8 linear";
        checkLinear(op, input, weight, bias);
        open(op, "output", output);
        sameDims(op, "output", output, input.dim(0), weight.dim(0));
        if (output.isUnsigned() && !relu) {
            throw new IllegalArgumentException(op + ": a u8 output needs the ReLU (values below 0 would saturate)");
        }
        try (TensorUse use = TensorUse.of(op, bias)) {
            Backends.current().linearInt8Forward(input, weight, bias, relu, output);
        }
    }

    public static void linearToFloat(Int8Tensor input, Int8Weights weight, Tensor bias, boolean relu, Tensor output) {
        String op = "int8 linear";
        checkLinear(op, input, weight, bias);
        Check.shape(op, "output", output, input.dim(0), weight.dim(0));
        Check.writable(op, "output", output);
        try (TensorUse use = TensorUse.of(op, bias, output)) {
            Backends.current().linearInt8ForwardToFloat(input, weight, bias, relu, output);
        }
    }

    /** Max pooling; output must have the input's type and scale (pooling picks values, it does not rescale them). */
    public static void maxPool2d(Pool2dSpec spec, Int8Tensor input, Int8Tensor output) {
        String op = "int8 max pool2d";
        if (spec == null || spec.kind() != Pool2dSpec.Kind.MAX) {
            throw new IllegalArgumentException(op + ": spec must be a max pooling, got " + spec);
        }
        open(op, "input", input);
        sameDims(op, "input", input, spec.inputDims());
        open(op, "output", output);
        sameDims(op, "output", output, spec.outputDims());
        if (output.isUnsigned() != input.isUnsigned() || output.scale() != input.scale()) {
            throw new IllegalArgumentException(op + ": output " + output + " must have input " + input + "'s type and scale");
        }
        Backends.current().maxPool2dInt8Forward(spec, input, output);
    }

    private static void checkConv(String op, Conv2dSpec spec, Int8Tensor input, Int8Weights weight, Tensor bias) {
        if (spec == null) {
            throw new IllegalArgumentException(op + ": spec is null");
        }
        open(op, "input", input);
        sameDims(op, "input", input, spec.inputDims());
        if (weight == null) {
            throw new IllegalArgumentException(op + ": weight is null");
        }
        if (!Arrays.equals(weight.dims(), spec.weightDims())) {
            throw new IllegalArgumentException(op + ": weight has shape " + Arrays.toString(weight.dims()) + ", expected "
                    + Arrays.toString(spec.weightDims()));
        }
        Check.optionalShape(op, "bias", bias, spec.k());
    }

    private static void checkLinear(String op, Int8Tensor input, Int8Weights weight, Tensor bias) {
        open(op, "input", input);
        if (weight == null || weight.dims().length != 2) {
            throw new IllegalArgumentException(op + ": weight must be 2-D [out, in], got " + (weight == null ? null : Arrays.toString(weight.dims())));
        }
        if (input.rank() != 2 && input.rank() != 4) {
            throw new IllegalArgumentException(op + ": input must be [N, in] or [N, C, H, W], got " + Arrays.toString(input.dims()));
        }
        long in = 1;
        for (int i = 1; i < input.rank(); i++) {
            in *= input.dim(i);
        }
        if (in != weight.dim(1)) {
            throw new IllegalArgumentException(op + ": input " + Arrays.toString(input.dims()) + " has " + in + " features, weight "
                    + Arrays.toString(weight.dims()) + " takes " + weight.dim(1));
        }
        Check.optionalShape(op, "bias", bias, weight.dim(0));
    }

    private static void open(String op, String arg, Int8Tensor t) {
        if (t == null) {
            throw new IllegalArgumentException(op + ": " + arg + " is null");
        }
        if (t.isClosed()) {
            throw new IllegalStateException(op + ": " + arg + " " + Arrays.toString(t.dims()) + " is closed");
        }
    }

    private static void sameDims(String op, String arg, Int8Tensor t, int... dims) {
        if (!Arrays.equals(t.dims(), dims)) {
            throw new IllegalArgumentException(op + ": " + arg + " has shape " + Arrays.toString(t.dims()) + ", expected "
                    + Arrays.toString(dims));
        }
    }
}

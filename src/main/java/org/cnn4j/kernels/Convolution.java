package org.cnn4j.kernels;

import org.cnn4j.backend.Backends;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.tensor.TensorUse;

/**
 * 2-D convolution, forward and backward, on the active backend. Shapes: input [N, C, H, W], weight
 * [K, C/groups, kh, kw], bias [K] (optional), output [N, K, outH, outW]; activations may be NCHW or
 * NHWC. The algorithm is {@link org.cnn4j.backend.ConvAlgorithm#current()}.
 */
@SuppressWarnings("try") // each op holds its TensorUse without reading it
public final class Convolution {
    private Convolution() {
    }

    public static void forward(Conv2dSpec spec, Tensor input, Tensor weight, Tensor bias, Tensor output) {
        check(spec);
        Check.shape("conv2d", "input", input, spec.inputDims());
        Check.shape("conv2d", "weight", weight, spec.weightDims());
        Check.optionalShape("conv2d", "bias", bias, spec.k());
        Check.shape("conv2d", "output", output, spec.outputDims());
        Check.writable("conv2d", "output", output);
        try (TensorUse use = TensorUse.of("conv2d", input, weight, bias, output)) {
            Backends.current().conv2dForward(spec, input, weight, bias, output);
        } catch (IllegalStateException e) {
            throw TensorUse.closedMeanwhile("conv2d", e, input, weight, bias, output);
        }
    }

    /**
     * Inference fusion: output = relu(conv(input) + bias + residual) in one op (see Backend#conv2dForwardAddRelu);
     * residual may be null or the output itself.
     */
    public static void forwardAddRelu(Conv2dSpec spec, Tensor input, Tensor weight, Tensor bias, Tensor residual, Tensor output) {
        check(spec);
        String op = residual == null ? "conv2d+relu" : "conv2d+add+relu";
        Check.shape(op, "input", input, spec.inputDims());
        Check.shape(op, "weight", weight, spec.weightDims());
        Check.optionalShape(op, "bias", bias, spec.k());
        if (residual != null) { // first: when the residual is the output, it is the caller's residual that is wrong
            Check.shape(op, "residual", residual, spec.outputDims());
        }
        Check.shape(op, "output", output, spec.outputDims());
        Check.writable(op, "output", output);
        try (TensorUse use = TensorUse.of(op, input, weight, bias, residual, output)) {
            Backends.current().conv2dForwardAddRelu(spec, input, weight, bias, residual, output);
        } catch (IllegalStateException e) {
            throw TensorUse.closedMeanwhile(op, e, input, weight, bias, residual, output);
        }
    }

    /** Whether {@link #forwardMaxPool} runs {@code spec} on the active backend now; where not, run the convolution and the pooling. */
    public static boolean fusesMaxPool(Conv2dSpec spec) {
        check(spec);
        return Backends.current().fusesMaxPool(spec);
    }

    /**
     * Inference fusion: relu(conv(input) + bias) (without ReLU when {@code relu} is false), then 2x2 stride-2 max pooling,
     * in one op writing only {@code pooled} [N, K, outH / 2, outW / 2] (see Backend#conv2dForwardMaxPool); only where
     * {@link #fusesMaxPool}.
     */
    public static void forwardMaxPool(Conv2dSpec spec, Tensor input, Tensor weight, Tensor bias, boolean relu, Tensor pooled) {
        check(spec);
        String op = relu ? "conv2d+relu+maxpool" : "conv2d+maxpool";
        Check.shape(op, "input", input, spec.inputDims());
        Check.shape(op, "weight", weight, spec.weightDims());
        Check.optionalShape(op, "bias", bias, spec.k());
        Check.shape(op, "pooled", pooled, spec.n(), spec.k(), spec.outH() / 2, spec.outW() / 2);
        Check.writable(op, "pooled", pooled);
        try (TensorUse use = TensorUse.of(op, input, weight, bias, pooled)) {
            Backends.current().conv2dForwardMaxPool(spec, input, weight, bias, relu, pooled);
        } catch (IllegalStateException e) {
            throw TensorUse.closedMeanwhile(op, e, input, weight, bias, pooled);
        }
    }

    public static void backwardData(Conv2dSpec spec, Tensor gradOutput, Tensor weight, Tensor gradInput) {
        check(spec);
        Check.shape("conv2d backward data", "grad_output", gradOutput, spec.outputDims());
        Check.shape("conv2d backward data", "weight", weight, spec.weightDims());
        Check.shape("conv2d backward data", "grad_input", gradInput, spec.inputDims());
        Check.writable("conv2d backward data", "grad_input", gradInput);
        try (TensorUse use = TensorUse.of("conv2d backward data", gradOutput, weight, gradInput)) {
            Backends.current().conv2dBackwardData(spec, gradOutput, weight, gradInput);
        } catch (IllegalStateException e) {
            throw TensorUse.closedMeanwhile("conv2d backward data", e, gradOutput, weight, gradInput);
        }
    }

    public static void backwardWeights(Conv2dSpec spec, Tensor input, Tensor gradOutput, Tensor gradWeight, Tensor gradBias) {
        check(spec);
        Check.shape("conv2d backward weights", "input", input, spec.inputDims());
        Check.shape("conv2d backward weights", "grad_output", gradOutput, spec.outputDims());
        Check.shape("conv2d backward weights", "grad_weight", gradWeight, spec.weightDims());
        Check.writable("conv2d backward weights", "grad_weight", gradWeight);
        Check.optionalShape("conv2d backward weights", "grad_bias", gradBias, spec.k());
        Check.writable("conv2d backward weights", "grad_bias", gradBias);
        try (TensorUse use = TensorUse.of("conv2d backward weights", input, gradOutput, gradWeight, gradBias)) {
            Backends.current().conv2dBackwardWeights(spec, input, gradOutput, gradWeight, gradBias);
        } catch (IllegalStateException e) {
            throw TensorUse.closedMeanwhile("conv2d backward weights", e, input, gradOutput, gradWeight, gradBias);
        }
    }

    private static void check(Conv2dSpec spec) {
        if (spec == null) {
            throw new IllegalArgumentException("conv2d: spec is null");
        }
    }
}

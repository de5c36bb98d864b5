package org.cnn4j.kernels;

import org.cnn4j.backend.Backends;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.tensor.TensorUse;

/** The fully connected layer y = x W^T + b with x [N, in], W [out, in], b [out], on the active backend. */
@SuppressWarnings("try") // each op holds its TensorUse without reading it
public final class Linear {
    private Linear() {
    }

    public static void forward(Tensor input, Tensor weight, Tensor bias, Tensor output) {
        Check.rank("linear", "weight", weight, 2);
        int out = weight.dim(0), in = weight.dim(1);
        Check.rank("linear", "input", input, 2);
        Check.shape("linear", "input", input, input.dim(0), in);
        Check.optionalShape("linear", "bias", bias, out);
        Check.shape("linear", "output", output, input.dim(0), out);
        Check.writable("linear", "output", output);
        try (TensorUse use = TensorUse.of("linear", input, weight, bias, output)) {
            Backends.current().linearForward(input, weight, bias, output);
        }
    }

    public static void backward(Tensor input, Tensor weight, Tensor gradOutput, Tensor gradInput, Tensor gradWeight, Tensor gradBias) {
        Check.rank("linear backward", "weight", weight, 2);
        int out = weight.dim(0), in = weight.dim(1);
        Check.rank("linear backward", "input", input, 2);
        int n = input.dim(0);
        Check.shape("linear backward", "input", input, n, in);
        Check.shape("linear backward", "grad_output", gradOutput, n, out);
        Check.optionalShape("linear backward", "grad_input", gradInput, n, in);
        Check.writable("linear backward", "grad_input", gradInput);
        Check.optionalShape("linear backward", "grad_weight", gradWeight, out, in);
        Check.writable("linear backward", "grad_weight", gradWeight);
        Check.optionalShape("linear backward", "grad_bias", gradBias, out);
        Check.writable("linear backward", "grad_bias", gradBias);
        try (TensorUse use = TensorUse.of("linear backward", input, weight, gradOutput, gradInput, gradWeight, gradBias)) {
            Backends.current().linearBackward(input, weight, gradOutput, gradInput, gradWeight, gradBias);
        }
    }
}

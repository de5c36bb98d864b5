package org.cnn4j.kernels;

import org.cnn4j.backend.Activation;
import org.cnn4j.backend.Backends;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.tensor.TensorUse;

/** Element-wise activations (ReLU, leaky ReLU, sigmoid, tanh), forward and backward, on the active backend. */
@SuppressWarnings("try") // each op holds its TensorUse without reading it
public final class Activations {
    private Activations() {
    }

    public static void forward(Activation activation, Tensor input, Tensor output) {
        String op = name(activation);
        Check.sameShape(op, "input", input, "output", output);
        Check.writable(op, "output", output);
        try (TensorUse use = TensorUse.of(op, input, output)) {
            Backends.current().activationForward(activation, input, output);
        }
    }

    public static void backward(Activation activation, Tensor input, Tensor output, Tensor gradOutput, Tensor gradInput) {
        String op = name(activation) + " backward";
        Check.sameShape(op, "input", input, "output", output);
        Check.sameShape(op, "input", input, "grad_output", gradOutput);
        Check.sameShape(op, "input", input, "grad_input", gradInput);
        Check.writable(op, "grad_input", gradInput);
        try (TensorUse use = TensorUse.of(op, input, output, gradOutput, gradInput)) {
            Backends.current().activationBackward(activation, input, output, gradOutput, gradInput);
        }
    }

    private static String name(Activation a) {
        if (a == null) {
            throw new IllegalArgumentException("activation: activation is null");
        }
        return a.kind().name().toLowerCase(java.util.Locale.ROOT);
    }
}

package org.cnn4j.backend.reference;

import org.cnn4j.backend.Activation;

/** Element-wise activations and their derivatives, straight from the definitions. */
final class ReferenceActivations {
    private ReferenceActivations() {
    }

    static double apply(Activation a, double x) {
        return switch (a.kind()) {
            case RELU -> x > 0 ? x : 0;
            case LEAKY_RELU -> x > 0 ? x : a.alpha() * x;
            case SIGMOID -> 1 / (1 + Math.exp(-x));
            case TANH -> Math.tanh(x);
        };
    }

    /** dy/dx at input x with output y (sigmoid and tanh are cheapest in terms of y). */
    static double derivative(Activation a, double x, double y) {
        return switch (a.kind()) {
            case RELU -> x > 0 ? 1 : 0;
            case LEAKY_RELU -> x > 0 ? 1 : a.alpha();
            case SIGMOID -> y * (1 - y);
            case TANH -> 1 - y * y;
        };
    }
}

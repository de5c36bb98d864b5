package org.cnn4j.backend.reference;

import org.cnn4j.backend.Activation;

/**
 * Element-wise activations and their derivatives, straight from the definitions, with PyTorch's NaN
 * rules: ReLU keeps a NaN (clamp_min) and passes its gradient (threshold_backward zeroes only x <= 0);
 * leaky ReLU gives a NaN alpha * NaN and its gradient alpha.
 */
final class ReferenceActivations {
    private ReferenceActivations() {
    }

    /** max(x, 0) that keeps a NaN (and -0, as PyTorch's clamp_min). */
    static double relu(double x) {
        return x < 0 ? 0 : x;
    }

    /** Whether ReLU's backward passes the gradient at x (or at its output): everywhere but x <= 0. */
    static boolean reluPasses(double x) {
        return !(x <= 0);
    }

    static double apply(Activation a, double x) {
        return switch (a.kind()) {
            case RELU -> relu(x);
            case LEAKY_RELU -> x > 0 ? x : a.alpha() * x;
            case SIGMOID -> 1 / (1 + Math.exp(-x));
            case TANH -> Math.tanh(x);
            case RELU6 -> x < 0 ? 0 : x > 6 ? 6 : x;
            case HARD_SIGMOID -> Math.min(Math.max(a.alpha() * x + a.beta(), 0), 1); // Math.max keeps a NaN
            case HARD_SWISH -> x * Math.min(Math.max(x / 6 + 0.5, 0), 1);
        };
    }

    /** dy/dx at input x with output y (sigmoid and tanh are cheapest in terms of y). */
    static double derivative(Activation a, double x, double y) {
        return switch (a.kind()) {
            case RELU -> reluPasses(x) ? 1 : 0;
            case LEAKY_RELU -> x > 0 ? 1 : a.alpha();
            case SIGMOID -> y * (1 - y);
            case TANH -> 1 - y * y;
            case RELU6 -> x <= 0 || x >= 6 ? 0 : 1; // a NaN x passes the gradient, as hardtanh's backward does
            case HARD_SIGMOID -> hardSigmoidSlope(a, x);
            case HARD_SWISH -> x < -3 ? 0 : x <= 3 ? x / 3 + 0.5 : 1; // a NaN x passes the gradient, as PyTorch's
        };
    }

    /** alpha inside the ramp 0 < alpha x + beta < 1, else 0 (a NaN x included, as PyTorch's hardsigmoid_backward). */
    private static double hardSigmoidSlope(Activation a, double x) {
        double t = a.alpha() * x + a.beta();
        return t > 0 && t < 1 ? a.alpha() : 0;
    }
}

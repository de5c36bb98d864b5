package org.cnn4j.backend;

/**
 * An element-wise activation: ReLU, leaky ReLU (with its negative slope {@code alpha}), sigmoid, tanh,
 * ReLU6 (MobileNet's min(max(x, 0), 6), ONNX's Clip(0, 6)), hard sigmoid min(max(alpha x + beta, 0), 1)
 * (ONNX's HardSigmoid; PyTorch's Hardsigmoid has alpha 1/6, beta 1/2) or hard swish x * hardsigmoid(x)
 * with 1/6 and 1/2 (MobileNetV3's, ONNX's HardSwish).
 */
public record Activation(Kind kind, float alpha, float beta) {

    public enum Kind { RELU, LEAKY_RELU, SIGMOID, TANH, RELU6, HARD_SIGMOID, HARD_SWISH }

    public static final Activation RELU = new Activation(Kind.RELU, 0f, 0f);
    public static final Activation SIGMOID = new Activation(Kind.SIGMOID, 0f, 0f);
    public static final Activation TANH = new Activation(Kind.TANH, 0f, 0f);
    public static final Activation RELU6 = new Activation(Kind.RELU6, 0f, 0f);
    public static final Activation HARD_SWISH = new Activation(Kind.HARD_SWISH, 1f / 6, 0.5f);

    public Activation {
        if (kind == null) {
            throw new IllegalArgumentException("activation: kind is null");
        }
        if (!Float.isFinite(alpha) || !Float.isFinite(beta)) {
            throw new IllegalArgumentException("activation: alpha and beta must be finite, got " + alpha + " and " + beta);
        }
    }

    public static Activation leakyRelu(float negativeSlope) {
        return new Activation(Kind.LEAKY_RELU, negativeSlope, 0f);
    }

    public static Activation hardSigmoid(float alpha, float beta) {
        return new Activation(Kind.HARD_SIGMOID, alpha, beta);
    }
}

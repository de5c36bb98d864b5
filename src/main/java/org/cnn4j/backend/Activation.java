package org.cnn4j.backend;

/**
 * An element-wise activation: ReLU, leaky ReLU (with its negative slope {@code alpha}), sigmoid, tanh
 * or ReLU6 (MobileNet's min(max(x, 0), 6), ONNX's Clip(0, 6)).
 */
public record Activation(Kind kind, float alpha) {

    public enum Kind { RELU, LEAKY_RELU, SIGMOID, TANH, RELU6 }

    public static final Activation RELU = new Activation(Kind.RELU, 0f);
    public static final Activation SIGMOID = new Activation(Kind.SIGMOID, 0f);
    public static final Activation TANH = new Activation(Kind.TANH, 0f);
    public static final Activation RELU6 = new Activation(Kind.RELU6, 0f);

    public Activation {
        if (kind == null) {
            throw new IllegalArgumentException("activation: kind is null");
        }
        if (!Float.isFinite(alpha)) {
            throw new IllegalArgumentException("activation: alpha must be finite, got " + alpha);
        }
    }

    public static Activation leakyRelu(float negativeSlope) {
        return new Activation(Kind.LEAKY_RELU, negativeSlope);
    }
}

package org.cnn4j.nn;

import org.cnn4j.backend.Activation;
import org.cnn4j.kernels.Activations;
import org.cnn4j.tensor.Tensor;

/**
 * An element-wise activation as a layer: {@link #relu()}, {@link #leakyRelu(float)}, {@link #sigmoid()}, {@link #tanh()},
 * {@link #relu6()}, {@link #hardSigmoid(float, float)}, {@link #hardSwish()}.
 */
public final class ActivationLayer extends Module {
    private final Activation activation;
    private Tensor input, output, gradInput;

    public ActivationLayer(Activation activation) {
        if (activation == null) {
            throw new IllegalArgumentException("ActivationLayer: activation is null");
        }
        this.activation = activation;
    }

    public static ActivationLayer relu() {
        return new ActivationLayer(Activation.RELU);
    }

    public static ActivationLayer leakyRelu(float negativeSlope) {
        return new ActivationLayer(Activation.leakyRelu(negativeSlope));
    }

    public static ActivationLayer sigmoid() {
        return new ActivationLayer(Activation.SIGMOID);
    }

    public static ActivationLayer tanh() {
        return new ActivationLayer(Activation.TANH);
    }

    public static ActivationLayer relu6() {
        return new ActivationLayer(Activation.RELU6);
    }

    public static ActivationLayer hardSigmoid(float alpha, float beta) {
        return new ActivationLayer(Activation.hardSigmoid(alpha, beta));
    }

    public static ActivationLayer hardSwish() {
        return new ActivationLayer(Activation.HARD_SWISH);
    }

    public Activation activation() {
        return activation;
    }

    @Override
    public Tensor forward(Tensor x) {
        input = x;
        output = ensure(output, x.layout(), x.dims());
        Activations.forward(activation, x, output);
        return output;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        requireForward(input != null);
        if (!needsInputGrad()) {
            return null;
        }
        gradInput = ensure(gradInput, input.layout(), input.dims());
        Activations.backward(activation, input, output, gradOutput, gradInput);
        return gradInput;
    }

    @Override
    public String typeName() {
        return switch (activation.kind()) {
            case RELU -> "ReLU";
            case LEAKY_RELU -> "LeakyReLU";
            case SIGMOID -> "Sigmoid";
            case TANH -> "Tanh";
            case RELU6 -> "ReLU6";
            case HARD_SIGMOID -> "HardSigmoid";
            case HARD_SWISH -> "HardSwish";
        };
    }

    @Override
    public LayerConfig config() {
        LayerConfig c = new LayerConfig(typeName());
        return switch (activation.kind()) {
            case LEAKY_RELU -> c.put("negative_slope", activation.alpha());
            case HARD_SIGMOID -> c.put("alpha", activation.alpha()).put("beta", activation.beta());
            default -> c;
        };
    }

    @Override
    public int[] outputShape(int[]... in) {
        return in[0].clone();
    }

    @Override
    protected Module newReplica() {
        return new ActivationLayer(activation);
    }

    @Override
    public String describe() {
        return switch (activation.kind()) {
            case RELU -> "ReLU";
            case LEAKY_RELU -> "LeakyReLU(" + activation.alpha() + ")";
            case SIGMOID -> "Sigmoid";
            case TANH -> "Tanh";
            case RELU6 -> "ReLU6";
            case HARD_SIGMOID -> "HardSigmoid(" + activation.alpha() + ", " + activation.beta() + ")";
            case HARD_SWISH -> "HardSwish";
        };
    }

    @Override
    public void close() {
        super.close();
        release(output, gradInput);
    }
}

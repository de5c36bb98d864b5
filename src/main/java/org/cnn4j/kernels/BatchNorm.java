package org.cnn4j.kernels;

import org.cnn4j.backend.Backends;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.tensor.TensorUse;

/**
 * 2-D batch normalisation over the channels of [N, C, H, W], on the active backend; every per-channel
 * tensor (gamma, beta, statistics) is [C]. See {@link org.cnn4j.backend.Backend} for the definitions.
 * The {@code relu} variants end in a ReLU in the same pass over the data, and their backward takes the
 * gradient after that ReLU: one pass over the activations less forward and one less backward. The
 * {@code residual} variants add a residual block's shortcut before that ReLU, so a block ends in one op
 * instead of three (batch norm, add, ReLU), and their backward also gives the shortcut's gradient.
 */
@SuppressWarnings("try") // each op holds its TensorUse without reading it
public final class BatchNorm {
    private BatchNorm() {
    }

    public static void trainingForward(float eps, float momentum, Tensor input, Tensor gamma, Tensor beta, Tensor runningMean,
                                       Tensor runningVar, Tensor output, Tensor batchMean, Tensor batchVar) {
        trainingForward(eps, momentum, input, gamma, beta, runningMean, runningVar, output, batchMean, batchVar, false);
    }

    public static void trainingForward(float eps, float momentum, Tensor input, Tensor gamma, Tensor beta, Tensor runningMean,
                                       Tensor runningVar, Tensor output, Tensor batchMean, Tensor batchVar, boolean relu) {
        trainingForward(eps, momentum, input, null, gamma, beta, runningMean, runningVar, output, batchMean, batchVar, relu);
    }

    /** With {@code residual} (null: none) added before the ReLU. */
    public static void trainingForward(float eps, float momentum, Tensor input, Tensor residual, Tensor gamma, Tensor beta,
                                       Tensor runningMean, Tensor runningVar, Tensor output, Tensor batchMean, Tensor batchVar,
                                       boolean relu) {
        String op = residual == null ? "batchnorm2d" : "batchnorm2d + add";
        int c = channels(op, input, eps);
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException(op + ": momentum must be in [0, 1], got " + momentum);
        }
        if (input.dim(0) * input.dim(2) * input.dim(3) < 2) {
            throw new IllegalArgumentException(op + ": training needs more than one value per channel, got input " + input.shape());
        }
        perChannel(op, c, "gamma", gamma, "beta", beta, "running_mean", runningMean, "running_var", runningVar,
                "batch_mean", batchMean, "batch_var", batchVar);
        Check.writable(op, "running_mean", runningMean);
        Check.writable(op, "running_var", runningVar);
        Check.writable(op, "batch_mean", batchMean);
        Check.writable(op, "batch_var", batchVar);
        Check.sameShape(op, "input", input, "output", output);
        Check.writable(op, "output", output);
        if (residual != null) {
            Check.sameShape(op, "input", input, "residual", residual);
        }
        try (TensorUse use = TensorUse.of(op, input, residual, gamma, beta, runningMean, runningVar, output, batchMean, batchVar)) {
            Backends.current().batchNormTrainingForward(eps, momentum, input, residual, gamma, beta, runningMean, runningVar, output,
                    batchMean, batchVar, relu);
        }
    }

    public static void inferenceForward(float eps, Tensor input, Tensor gamma, Tensor beta, Tensor mean, Tensor var, Tensor output) {
        inferenceForward(eps, input, gamma, beta, mean, var, output, false);
    }

    public static void inferenceForward(float eps, Tensor input, Tensor gamma, Tensor beta, Tensor mean, Tensor var, Tensor output,
                                        boolean relu) {
        inferenceForward(eps, input, null, gamma, beta, mean, var, output, relu);
    }

    /** With {@code residual} (null: none) added before the ReLU. */
    public static void inferenceForward(float eps, Tensor input, Tensor residual, Tensor gamma, Tensor beta, Tensor mean, Tensor var,
                                        Tensor output, boolean relu) {
        String op = residual == null ? "batchnorm2d (inference)" : "batchnorm2d + add (inference)";
        int c = channels(op, input, eps);
        perChannel(op, c, "gamma", gamma, "beta", beta, "mean", mean, "var", var);
        Check.sameShape(op, "input", input, "output", output);
        Check.writable(op, "output", output);
        if (residual != null) {
            Check.sameShape(op, "input", input, "residual", residual);
        }
        try (TensorUse use = TensorUse.of(op, input, residual, gamma, beta, mean, var, output)) {
            Backends.current().batchNormInferenceForward(eps, input, residual, gamma, beta, mean, var, output, relu);
        }
    }

    public static void backward(float eps, boolean training, Tensor input, Tensor gamma, Tensor mean, Tensor var,
                                Tensor gradOutput, Tensor gradInput, Tensor gradGamma, Tensor gradBeta) {
        backward(eps, training, input, gamma, null, mean, var, gradOutput, gradInput, gradGamma, gradBeta, false);
    }

    /**
     * With {@code relu}, the backward of a forward that fused a ReLU: {@code gradOutput} is the gradient
     * after the ReLU, {@code beta} and the statistics are those the forward used.
     */
    public static void backward(float eps, boolean training, Tensor input, Tensor gamma, Tensor beta, Tensor mean, Tensor var,
                                Tensor gradOutput, Tensor gradInput, Tensor gradGamma, Tensor gradBeta, boolean relu) {
        backward(eps, training, input, null, gamma, beta, mean, var, gradOutput, gradInput, null, gradGamma, gradBeta, relu);
    }

    /** The backward of a forward with {@code residual} (null: none): {@code gradResidual} gets the shortcut's gradient. */
    public static void backward(float eps, boolean training, Tensor input, Tensor residual, Tensor gamma, Tensor beta, Tensor mean,
                                Tensor var, Tensor gradOutput, Tensor gradInput, Tensor gradResidual, Tensor gradGamma, Tensor gradBeta,
                                boolean relu) {
        String op = residual == null ? "batchnorm2d backward" : "batchnorm2d + add backward";
        int c = channels(op, input, eps);
        perChannel(op, c, "gamma", gamma, "mean", mean, "var", var);
        if (relu) {
            perChannel(op, c, "beta", beta);
        }
        Check.sameShape(op, "input", input, "grad_output", gradOutput);
        if (gradInput != null) {
            Check.sameShape(op, "input", input, "grad_input", gradInput);
            Check.writable(op, "grad_input", gradInput);
        }
        Check.optionalShape(op, "grad_gamma", gradGamma, c);
        Check.writable(op, "grad_gamma", gradGamma);
        Check.optionalShape(op, "grad_beta", gradBeta, c);
        Check.writable(op, "grad_beta", gradBeta);
        if (residual != null) {
            Check.sameShape(op, "input", input, "residual", residual);
        }
        if (gradResidual != null) {
            if (residual == null) {
                throw new IllegalArgumentException(op + ": grad_residual " + gradResidual.shape() + " without the forward's residual");
            }
            Check.sameShape(op, "input", input, "grad_residual", gradResidual);
            Check.writable(op, "grad_residual", gradResidual);
        }
        try (TensorUse use = TensorUse.of(op, input, residual, gamma, beta, mean, var, gradOutput, gradInput, gradResidual, gradGamma,
                gradBeta)) {
            Backends.current().batchNormBackward(eps, training, input, residual, gamma, relu ? beta : null, mean, var, gradOutput, gradInput,
                    gradResidual, gradGamma, gradBeta, relu);
        }
    }

    private static int channels(String op, Tensor input, float eps) {
        Check.rank(op, "input", input, 4);
        if (!(eps > 0) || !Float.isFinite(eps)) {
            throw new IllegalArgumentException(op + ": eps must be > 0, got " + eps);
        }
        return input.dim(1);
    }

    private static void perChannel(String op, int c, Object... namesAndTensors) {
        for (int i = 0; i < namesAndTensors.length; i += 2) {
            Check.shape(op, (String) namesAndTensors[i], (Tensor) namesAndTensors[i + 1], c);
        }
    }
}

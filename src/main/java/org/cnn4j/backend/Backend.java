package org.cnn4j.backend;

import java.nio.ByteBuffer;
import java.util.List;
import org.cnn4j.tensor.Int8Tensor;
import org.cnn4j.tensor.Int8Weights;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Tensor;

/**
 * The ops every backend provides, forward and backward. Callers (the {@code kernels} package) have
 * already checked shapes, nulls and closed tensors, so implementations may assume valid arguments.
 *
 * <p>Conventions: 4-D activations have logical shape [N, C, H, W] (their {@link org.cnn4j.tensor.Layout}
 * may be NCHW or NHWC; an implementation converts what it cannot read), convolution weights
 * [K, C/groups, kh, kw], linear weights [out, in]. Every op <em>overwrites</em> its outputs (gradients
 * included; accumulation is the caller's business). A {@code null} optional output (a bias gradient,
 * the input gradient of a first layer) is simply not computed.
 */
public interface Backend {

    /** A short name: "reference" or "native". */
    String name();

    /**
     * The memory layout this backend's kernels run fastest on, which convolutions give their outputs
     * (and so every layer after them): NCHW by default, channels-last for the native kernels.
     */
    default Layout activationLayout() {
        return Layout.NCHW;
    }

    // --- convolution ---------------------------------------------------------------------------

    void conv2dForward(Conv2dSpec spec, Tensor input, Tensor weight, Tensor bias, Tensor output);

    /**
     * Inference fusion: output = relu(conv(input) + bias + residual) as one op, {@code residual} (a ResNet
     * block's shortcut, of the output's shape; it may be the output itself) being optional (oneDNN adds it
     * and applies the ReLU as post-ops inside the convolution; other algorithms right after, in place).
     */
    void conv2dForwardAddRelu(Conv2dSpec spec, Tensor input, Tensor weight, Tensor bias, Tensor residual, Tensor output);

    /**
     * Whether {@link #conv2dForwardMaxPool} runs {@code spec} now (with the options in force on this thread): where it
     * does not, the caller runs the convolution and the pooling as two ops.
     */
    default boolean fusesMaxPool(Conv2dSpec spec) {
        return false;
    }

    /**
     * Inference fusion: the convolution plus bias (ReLU when {@code relu}), then 2x2 stride-2 max pooling (floor: an odd
     * last row or column is dropped), in one op that writes only the pooled map [N, K, outH / 2, outW / 2]; only
     * where {@link #fusesMaxPool}.
     */
    default void conv2dForwardMaxPool(Conv2dSpec spec, Tensor input, Tensor weight, Tensor bias, boolean relu, Tensor pooled) {
        throw new UnsupportedOperationException("conv2d forward + max pool: the " + name() + " backend does not pool inside a convolution");
    }

    void conv2dBackwardData(Conv2dSpec spec, Tensor gradOutput, Tensor weight, Tensor gradInput);

    /** Writes the weight gradient and, when {@code gradBias} is not null, the bias gradient. */
    void conv2dBackwardWeights(Conv2dSpec spec, Tensor input, Tensor gradOutput, Tensor gradWeight, Tensor gradBias);

    // --- pooling ---------------------------------------------------------------------------------

    void pool2dForward(Pool2dSpec spec, Tensor input, Tensor output);

    /** Max pooling routes each output gradient to the first maximum of its window (row-major order). */
    void pool2dBackward(Pool2dSpec spec, Tensor input, Tensor gradOutput, Tensor gradInput);

    /**
     * Max pooling that also records, per output, the position of its window's first maximum (row-major in
     * the window clipped to the input) as one byte of {@code argmax}, in the output's memory order
     * (windows of at most 256 elements).
     */
    void maxPool2dForward(Pool2dSpec spec, Tensor input, Tensor output, ByteBuffer argmax);

    /** The max-pool backward from the positions {@link #maxPool2dForward} recorded, in {@code gradOutput}'s memory order. */
    void maxPool2dBackward(Pool2dSpec spec, ByteBuffer argmax, Tensor gradOutput, Tensor gradInput);

    /** [N, C, H, W] to [N, C, 1, 1]. */
    void globalAvgPoolForward(Tensor input, Tensor output);

    void globalAvgPoolBackward(Tensor gradOutput, Tensor gradInput);

    // --- batch normalisation (per channel of [N, C, H, W]) ----------------------------------------

    /**
     * Normalises with the batch statistics; writes them to {@code batchMean} and {@code batchVar}
     * (biased variance) and updates the running statistics in place:
     * running = (1 - momentum) * running + momentum * batch, with the unbiased variance. Every forward
     * computes y = gamma * (x - mean) / sqrt(var + eps) + beta from the statistics as stored (floats), then
     * adds {@code residual} (null: none; a residual block's shortcut, of the input's shape) and with
     * {@code relu} outputs max(y, 0), all in the same pass.
     */
    void batchNormTrainingForward(float eps, float momentum, Tensor input, Tensor residual, Tensor gamma, Tensor beta,
                                  Tensor runningMean, Tensor runningVar, Tensor output, Tensor batchMean, Tensor batchVar, boolean relu);

    /** Normalises with fixed statistics {@code mean}/{@code var}; {@code residual} and {@code relu} as in training. */
    void batchNormInferenceForward(float eps, Tensor input, Tensor residual, Tensor gamma, Tensor beta, Tensor mean, Tensor var,
                                   Tensor output, boolean relu);

    /**
     * Backward of batch norm. With {@code training} true, {@code mean}/{@code var} are the batch
     * statistics of the forward pass and the gradient flows through them; with false they are
     * constants (inference mode). With {@code relu} the forward fused a ReLU and {@code gradOutput} is
     * the gradient after it: it reaches the batch norm where y (recomputed from {@code input},
     * {@code gamma}, {@code beta}, {@code mean}, {@code var} and {@code residual} exactly as this backend's
     * forward computed it) is > 0; {@code beta} may be null without it. {@code gradResidual} (which needs the
     * forward's {@code residual}) receives the gradient the forward's sum sent its residual: {@code gradOutput}
     * where that mask lets it through. Gradients given as null are not computed.
     */
    void batchNormBackward(float eps, boolean training, Tensor input, Tensor residual, Tensor gamma, Tensor beta, Tensor mean,
                           Tensor var, Tensor gradOutput, Tensor gradInput, Tensor gradResidual, Tensor gradGamma, Tensor gradBeta,
                           boolean relu);

    // --- element-wise ----------------------------------------------------------------------------

    void activationForward(Activation activation, Tensor input, Tensor output);

    /** Needs the forward input and output (sigmoid and tanh use the output). */
    void activationBackward(Activation activation, Tensor input, Tensor output, Tensor gradOutput, Tensor gradInput);

    /** out = a + b (same shapes). */
    void add(Tensor a, Tensor b, Tensor out);

    /** out = a * b element-wise (same shapes); dropout's backward is this with the mask. */
    void multiply(Tensor a, Tensor b, Tensor out);

    /** out = x * scale with scale [N, C, 1, 1] broadcast over H and W (squeeze-excite); x and out share a shape. */
    void channelScale(Tensor x, Tensor scale, Tensor out);

    /** The gradient of {@link #channelScale}'s scale: gradScale[n, c] = sum over H, W of gradOutput * x. */
    void channelScaleGrad(Tensor x, Tensor gradOutput, Tensor gradScale);

    /**
     * out[n, c, ...] = x[n, c, ...] * scale[c] + shift[c] for x of [N, C] or [N, C, H, W], scale and shift
     * [C] shared by the batch; a null shift is zero (which is also the backward pass, with x the gradient).
     */
    void channelAffine(Tensor x, Tensor scale, Tensor shift, Tensor out);

    /**
     * ShuffleNet's channel shuffle of [N, C, H, W]: out channel j * groups + i is x's channel i * (C / groups) + j.
     * Its backward pass is the shuffle with C / groups groups.
     */
    void channelShuffle(int groups, Tensor x, Tensor out);

    /** How many elements of {@code x} are NaN or infinite. */
    long countNonFinite(Tensor x);

    /**
     * Inverted dropout: {@code mask[i]} = 0 with probability p, else 1/(1-p), decided by
     * {@link DropoutMask#keep(long, long, float)} so that every backend and thread count draws the same
     * mask for the same seed; output = input * mask.
     */
    void dropoutForward(float p, long seed, Tensor input, Tensor mask, Tensor output);

    /** Concatenates 4-D tensors along channels. */
    void concatChannels(List<Tensor> inputs, Tensor output);

    /** The backward of {@link #concatChannels}: splits {@code gradOutput} along channels. */
    void splitChannels(Tensor gradOutput, List<Tensor> gradInputs);

    // --- classifier head -------------------------------------------------------------------------

    /** output[N, out] = input[N, in] * weight[out, in]^T + bias[out] (bias may be null). */
    void linearForward(Tensor input, Tensor weight, Tensor bias, Tensor output);

    void linearBackward(Tensor input, Tensor weight, Tensor gradOutput, Tensor gradInput, Tensor gradWeight, Tensor gradBias);

    /** Row-wise softmax of [N, K]. */
    void softmax(Tensor logits, Tensor probs);

    /**
     * Mean over the batch of -log softmax(logits)[target], computed stably; writes the probabilities
     * and, when not null, the gradient of the mean loss with respect to the logits
     * ((probs - onehot) / N). {@code targets} is [N] holding class indices as exact floats.
     */
    double softmaxCrossEntropy(Tensor logits, Tensor targets, Tensor probs, Tensor gradLogits);

    // --- optimiser updates (in place) --------------------------------------------------------------

    /** One SGD step; {@code momentumBuffer} may be null when momentum is 0. {@code step} counts from 1. */
    void sgdStep(SgdSpec spec, int step, Tensor param, Tensor grad, Tensor momentumBuffer);

    /** One Adam/AdamW step with bias correction; {@code step} counts from 1. */
    void adamStep(AdamSpec spec, int step, Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq);

    // --- building blocks -------------------------------------------------------------------------

    /**
     * C = alpha * op(A) * op(B) + beta * C on row-major matrices, op(A) [m, k], op(B) [k, n], C [m, n];
     * A is stored [m, k] (or [k, m] when transA), B [k, n] (or [n, k] when transB).
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, Tensor a, Tensor b, float beta, Tensor c);

    // --- quantised (int8) and bf16 inference: see docs/quantization.md -----------------------------

    /** output = saturate(rint(input / output.scale())) in output's type (u8 or s8); NaN inputs are an error. */
    void quantize(Tensor input, Int8Tensor output);

    /** output = input * input.scale(). */
    void dequantize(Int8Tensor input, Tensor output);

    /**
     * A quantised convolution (weights s8 with per-output-channel scales, bias f32 or null), then the residual
     * (int8, or null) and ReLU, requantised to output's scale and type.
     */
    void conv2dInt8Forward(Conv2dSpec spec, Int8Tensor input, Int8Weights weight, Tensor bias, Int8Tensor residual, boolean relu,
                           Int8Tensor output);

    /** As {@link #conv2dInt8Forward} with an f32 output (a network's last quantised layer) and no residual. */
    void conv2dInt8ForwardToFloat(Conv2dSpec spec, Int8Tensor input, Int8Weights weight, Tensor bias, boolean relu, Tensor output);

    /** A quantised linear layer on input [n, c, h, w] or [n, in] with weight [out, c*h*w], requantised to output. */
    void linearInt8Forward(Int8Tensor input, Int8Weights weight, Tensor bias, boolean relu, Int8Tensor output);

    void linearInt8ForwardToFloat(Int8Tensor input, Int8Weights weight, Tensor bias, boolean relu, Tensor output);

    /** Max pooling of int8 values (exact); output has input's type and scale. */
    void maxPool2dInt8Forward(Pool2dSpec spec, Int8Tensor input, Int8Tensor output);

    /** A convolution with input and weights rounded to bf16, f32 accumulation and output, then residual (or null) and ReLU. */
    void conv2dBf16Forward(Conv2dSpec spec, Tensor input, Tensor weight, Tensor bias, Tensor residual, boolean relu, Tensor output);

    /** A linear layer with input and weights rounded to bf16, f32 accumulation and output, then ReLU. */
    void linearBf16Forward(Tensor input, Tensor weight, Tensor bias, boolean relu, Tensor output);
}

package org.cnn4j.backend.cpu;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.List;
import org.cnn4j.backend.Activation;
import org.cnn4j.backend.AdamSpec;
import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.backend.ConvAlgorithm;
import org.cnn4j.backend.ConvDirection;
import org.cnn4j.backend.Pool2dSpec;
import org.cnn4j.backend.SgdSpec;
import org.cnn4j.backend.reference.ReferenceBackend;
import org.cnn4j.tensor.Int8Tensor;
import org.cnn4j.tensor.Int8Weights;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Tensor;

/**
 * The backend whose ops run in native code (AVX-512/AVX2/scalar kernels chosen at run time, oneDNN,
 * OpenBLAS), one JNI call per op. Kernels read NCHW and NHWC tensors as they are; an op whose 4-D
 * tensors disagree on the layout (which the network never produces) runs on the reference backend
 * rather than paying for hidden reorders.
 */
public final class NativeBackend implements Backend {
    private static final NativeBackend INSTANCE = new NativeBackend();
    private final Backend fallback = ReferenceBackend.INSTANCE;
    private final NativeConvolution convolution = new NativeConvolution();

    private NativeBackend() {
    }

    public static boolean isAvailable() {
        return NativeLibrary.isLoaded();
    }

    public static String loadError() {
        return NativeLibrary.loadError();
    }

    /**
     * The native backend; throws {@link IllegalStateException} when the library cannot load or
     * one of its settings (CNN4J_THREADS, ...) is invalid.
     */
    public static NativeBackend instance() {
        if (!isAvailable()) {
            throw new IllegalStateException("native backend: library not loaded: " + loadError());
        }
        NativeLibrary.checkSettings();
        return INSTANCE;
    }

    /** The convolution dispatcher: its calibration, the rule's choice and the candidates for a shape ({@code cnn4j calibrate}). */
    public NativeConvolution convolutions() {
        return convolution;
    }

    /** Which convolution algorithm runs {@code spec} in {@code direction} now, for reports (see NativeConvolution#choice). */
    public ConvAlgorithm convolutionChoice(ConvDirection direction, Conv2dSpec spec) {
        return convolution.choice(direction, spec);
    }

    @Override
    public String name() {
        return "native";
    }

    @Override
    public Layout activationLayout() {
        return Layout.NHWC;
    }

    // --- native ----------------------------------------------------------------------------------

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        NativeStatus.check(NativeKernels.cnn4j_sgemm(transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha,
                a.buffer(), b.buffer(), beta, c.buffer()), "gemm");
    }

    @Override
    public void conv2dForward(Conv2dSpec spec, Tensor input, Tensor weight, Tensor bias, Tensor output) {
        convolution.forward(spec, input, weight, bias, output);
    }

    @Override
    public void conv2dForwardAddRelu(Conv2dSpec spec, Tensor input, Tensor weight, Tensor bias, Tensor residual, Tensor output) {
        convolution.forwardAddRelu(spec, input, weight, bias, residual, output);
    }

    @Override
    public boolean fusesMaxPool(Conv2dSpec spec) {
        return convolution.fusesMaxPool(spec);
    }

    @Override
    public void conv2dForwardMaxPool(Conv2dSpec spec, Tensor input, Tensor weight, Tensor bias, boolean relu, Tensor pooled) {
        convolution.forwardMaxPool(spec, input, weight, bias, relu, pooled);
    }

    @Override
    public void conv2dBackwardData(Conv2dSpec spec, Tensor gradOutput, Tensor weight, Tensor gradInput) {
        convolution.backwardData(spec, gradOutput, weight, gradInput);
    }

    @Override
    public void conv2dBackwardWeights(Conv2dSpec spec, Tensor input, Tensor gradOutput, Tensor gradWeight, Tensor gradBias) {
        convolution.backwardWeights(spec, input, gradOutput, gradWeight, gradBias);
    }

    // --- pooling --------------------------------------------------------------------------------

    @Override
    public void pool2dForward(Pool2dSpec spec, Tensor input, Tensor output) {
        poolForward(spec, input, output, null);
    }

    @Override
    public void maxPool2dForward(Pool2dSpec spec, Tensor input, Tensor output, ByteBuffer argmax) {
        poolForward(spec, input, output, argmax);
    }

    @Override
    public void pool2dBackward(Pool2dSpec spec, Tensor input, Tensor gradOutput, Tensor gradInput) {
        poolBackward(spec, input, null, gradOutput, gradInput);
    }

    @Override
    public void maxPool2dBackward(Pool2dSpec spec, ByteBuffer argmax, Tensor gradOutput, Tensor gradInput) {
        poolBackward(spec, null, argmax, gradOutput, gradInput);
    }

    /** Pooling, recording max pooling's argmax when {@code argmax} is not null. */
    private void poolForward(Pool2dSpec spec, Tensor input, Tensor output, ByteBuffer argmax) {
        int order = memoryOrder(input, output);
        if (order == MIXED) {
            if (argmax == null) {
                fallback.pool2dForward(spec, input, output);
            } else {
                fallback.maxPool2dForward(spec, input, output, argmax);
            }
            return;
        }
        NativeStatus.check(NativeKernels.cnn4j_pool2d_forward(pool(spec), order, input.buffer(), output.buffer(), argmax),
                "pool2d forward");
    }

    /** The pooling backward from the recorded argmax when given, else from the input. */
    private void poolBackward(Pool2dSpec spec, Tensor input, ByteBuffer argmax, Tensor gradOutput, Tensor gradInput) {
        int order = memoryOrder(input, gradOutput, gradInput);
        if (order == MIXED) {
            if (argmax == null) {
                fallback.pool2dBackward(spec, input, gradOutput, gradInput);
            } else {
                fallback.maxPool2dBackward(spec, argmax, gradOutput, gradInput);
            }
            return;
        }
        NativeStatus.check(NativeKernels.cnn4j_pool2d_backward(pool(spec), order, input == null ? null : input.buffer(), argmax,
                gradOutput.buffer(), gradInput.buffer()), "pool2d backward");
    }

    @Override
    public void globalAvgPoolForward(Tensor input, Tensor output) {
        // the output [N, C, 1, 1] is the same in either layout
        NativeStatus.check(NativeKernels.cnn4j_global_avg_pool_forward(input.dim(0), input.dim(1), input.dim(2) * input.dim(3),
                memoryOrder(input), input.buffer(), output.buffer()), "global avg pool forward");
    }

    @Override
    public void globalAvgPoolBackward(Tensor gradOutput, Tensor gradInput) {
        NativeStatus.check(NativeKernels.cnn4j_global_avg_pool_backward(gradInput.dim(0), gradInput.dim(1),
                gradInput.dim(2) * gradInput.dim(3), memoryOrder(gradInput), gradOutput.buffer(), gradInput.buffer()),
                "global avg pool backward");
    }

    // --- batch normalisation -----------------------------------------------------------------------

    @Override
    public void batchNormTrainingForward(float eps, float momentum, Tensor input, Tensor residual, Tensor gamma, Tensor beta,
                                         Tensor runningMean, Tensor runningVar, Tensor output, Tensor batchMean, Tensor batchVar,
                                         boolean relu) {
        int order = memoryOrder(input, residual, output);
        if (order == MIXED) {
            fallback.batchNormTrainingForward(eps, momentum, input, residual, gamma, beta, runningMean, runningVar, output, batchMean,
                    batchVar, relu);
            return;
        }
        NativeStatus.check(NativeKernels.cnn4j_batch_norm_training_forward(input.dim(0), input.dim(1), input.dim(2) * input.dim(3),
                order, eps, momentum, input.buffer(), buffer(residual), gamma.buffer(), beta.buffer(), runningMean.buffer(),
                runningVar.buffer(), output.buffer(), batchMean.buffer(), batchVar.buffer(), relu ? 1 : 0), "batch norm training forward");
    }

    @Override
    public void batchNormInferenceForward(float eps, Tensor input, Tensor residual, Tensor gamma, Tensor beta, Tensor mean, Tensor var,
                                          Tensor output, boolean relu) {
        int order = memoryOrder(input, residual, output);
        if (order == MIXED) {
            fallback.batchNormInferenceForward(eps, input, residual, gamma, beta, mean, var, output, relu);
            return;
        }
        NativeStatus.check(NativeKernels.cnn4j_batch_norm_inference_forward(input.dim(0), input.dim(1), input.dim(2) * input.dim(3),
                order, eps, input.buffer(), buffer(residual), gamma.buffer(), beta.buffer(), mean.buffer(), var.buffer(),
                output.buffer(), relu ? 1 : 0), "batch norm inference forward");
    }

    @Override
    public void batchNormBackward(float eps, boolean training, Tensor input, Tensor residual, Tensor gamma, Tensor beta, Tensor mean,
                                  Tensor var, Tensor gradOutput, Tensor gradInput, Tensor gradResidual, Tensor gradGamma, Tensor gradBeta,
                                  boolean relu) {
        int order = memoryOrder(input, residual, gradOutput, gradInput, gradResidual);
        if (order == MIXED) {
            fallback.batchNormBackward(eps, training, input, residual, gamma, beta, mean, var, gradOutput, gradInput, gradResidual,
                    gradGamma, gradBeta, relu);
            return;
        }
        NativeStatus.check(NativeKernels.cnn4j_batch_norm_backward(input.dim(0), input.dim(1), input.dim(2) * input.dim(3), order,
                eps, training ? 1 : 0, input.buffer(), buffer(residual), gamma.buffer(), buffer(beta), mean.buffer(), var.buffer(),
                gradOutput.buffer(), buffer(gradInput), buffer(gradResidual), buffer(gradGamma), buffer(gradBeta), relu ? 1 : 0),
                "batch norm backward");
    }

    // --- element-wise --------------------------------------------------------------------------------

    @Override
    public void activationForward(Activation activation, Tensor input, Tensor output) {
        if (memoryOrder(input, output) == MIXED) {
            fallback.activationForward(activation, input, output);
            return;
        }
        NativeStatus.check(NativeKernels.cnn4j_activation_forward(activation.kind().ordinal(), activation.alpha(), activation.beta(), input.numel(),
                input.buffer(), output.buffer()), "activation forward");
    }

    @Override
    public void activationBackward(Activation activation, Tensor input, Tensor output, Tensor gradOutput, Tensor gradInput) {
        if (memoryOrder(input, output, gradOutput, gradInput) == MIXED) {
            fallback.activationBackward(activation, input, output, gradOutput, gradInput);
            return;
        }
        NativeStatus.check(NativeKernels.cnn4j_activation_backward(activation.kind().ordinal(), activation.alpha(), activation.beta(), input.numel(),
                input.buffer(), output.buffer(), gradOutput.buffer(), gradInput.buffer()), "activation backward");
    }

    @Override
    public void add(Tensor a, Tensor b, Tensor out) {
        if (memoryOrder(a, b, out) == MIXED) {
            fallback.add(a, b, out);
            return;
        }
        NativeStatus.check(NativeKernels.cnn4j_add(out.numel(), a.buffer(), b.buffer(), out.buffer()), "add");
    }

    @Override
    public long countNonFinite(Tensor x) {
        long[] count = new long[1];
        NativeStatus.check(NativeKernels.cnn4j_count_nonfinite(x.numel(), x.buffer(), count), "count non-finite");
        return count[0];
    }

    @Override
    public void multiply(Tensor a, Tensor b, Tensor out) {
        if (memoryOrder(a, b, out) == MIXED) {
            fallback.multiply(a, b, out);
            return;
        }
        NativeStatus.check(NativeKernels.cnn4j_multiply(out.numel(), a.buffer(), b.buffer(), out.buffer()), "multiply");
    }

    @Override
    public void channelScale(Tensor x, Tensor scale, Tensor out) {
        int order = memoryOrder(x, out); // scale [N, C, 1, 1] is the same in either layout
        if (order == MIXED) {
            fallback.channelScale(x, scale, out);
            return;
        }
        NativeStatus.check(NativeKernels.cnn4j_channel_scale(x.dim(0), x.dim(1), (long) x.dim(2) * x.dim(3), order, x.buffer(),
                scale.buffer(), out.buffer()), "channel scale");
    }

    @Override
    public void channelAffine(Tensor x, Tensor scale, Tensor shift, Tensor out) {
        int order = memoryOrder(x, out), plane = x.rank() == 4 ? x.dim(2) * x.dim(3) : 1;
        if (order == MIXED) {
            fallback.channelAffine(x, scale, shift, out);
            return;
        }
        NativeStatus.check(NativeKernels.cnn4j_channel_affine(x.dim(0), x.dim(1), plane, order, x.buffer(), scale.buffer(),
                shift == null ? null : shift.buffer(), out.buffer()), "channel affine");
    }

    @Override
    public void channelShuffle(int groups, Tensor x, Tensor out) {
        int order = memoryOrder(x, out);
        if (order == MIXED) {
            fallback.channelShuffle(groups, x, out);
            return;
        }
        NativeStatus.check(NativeKernels.cnn4j_channel_shuffle(x.dim(0), x.dim(1), x.dim(2) * x.dim(3), order, groups, x.buffer(),
                out.buffer()), "channel shuffle");
    }

    @Override
    public void channelScaleGrad(Tensor x, Tensor gradOutput, Tensor gradScale) {
        int order = memoryOrder(x, gradOutput);
        if (order == MIXED) {
            fallback.channelScaleGrad(x, gradOutput, gradScale);
            return;
        }
        NativeStatus.check(NativeKernels.cnn4j_channel_scale_grad(x.dim(0), x.dim(1), (long) x.dim(2) * x.dim(3), order, x.buffer(),
                gradOutput.buffer(), gradScale.buffer()), "channel scale backward");
    }

    @Override
    public void dropoutForward(float p, long seed, Tensor input, Tensor mask, Tensor output) {
        int order = memoryOrder(input, mask, output);
        if (order == MIXED) {
            fallback.dropoutForward(p, seed, input, mask, output);
            return;
        }
        // the mask hashes logical (NCHW) indices: tensors that are not 4-D are one flat run
        boolean image = input.rank() == 4;
        int n = image ? input.dim(0) : 1, c = image ? input.dim(1) : 1, hw = image ? input.dim(2) * input.dim(3) : input.numel();
        NativeStatus.check(NativeKernels.cnn4j_dropout_forward(n, c, hw, image ? order : NCHW, p, seed, input.buffer(), mask.buffer(),
                output.buffer()), "dropout forward");
    }

    @Override
    public void concatChannels(List<Tensor> inputs, Tensor output) {
        int order = memoryOrder(output);
        if (inputs.stream().anyMatch(t -> memoryOrder(t, output) == MIXED)) {
            fallback.concatChannels(inputs, output);
            return;
        }
        // one call per part, each copying the part for the whole batch
        int c0 = 0;
        for (Tensor t : inputs) {
            NativeStatus.check(NativeKernels.cnn4j_copy_channels(output.dim(0), output.dim(2) * output.dim(3), order, t.dim(1),
                    output.dim(1), c0, 1, t.buffer(), output.buffer()), "concat channels");
            c0 += t.dim(1);
        }
    }

    @Override
    public void splitChannels(Tensor gradOutput, List<Tensor> gradInputs) {
        int order = memoryOrder(gradOutput);
        if (gradInputs.stream().anyMatch(t -> memoryOrder(t, gradOutput) == MIXED)) {
            fallback.splitChannels(gradOutput, gradInputs);
            return;
        }
        int c0 = 0;
        for (Tensor t : gradInputs) {
            NativeStatus.check(NativeKernels.cnn4j_copy_channels(gradOutput.dim(0), gradOutput.dim(2) * gradOutput.dim(3), order,
                    t.dim(1), gradOutput.dim(1), c0, 0, gradOutput.buffer(), t.buffer()), "split channels");
            c0 += t.dim(1);
        }
    }

    // --- classifier head -------------------------------------------------------------------------------

    @Override
    public void linearForward(Tensor input, Tensor weight, Tensor bias, Tensor output) {
        NativeStatus.check(NativeKernels.cnn4j_linear_forward(input.dim(0), weight.dim(1), weight.dim(0), input.buffer(),
                weight.buffer(), buffer(bias), output.buffer()), "linear forward");
    }

    @Override
    public void linearBackward(Tensor input, Tensor weight, Tensor gradOutput, Tensor gradInput, Tensor gradWeight, Tensor gradBias) {
        NativeStatus.check(NativeKernels.cnn4j_linear_backward(input.dim(0), weight.dim(1), weight.dim(0), input.buffer(),
                weight.buffer(), gradOutput.buffer(), buffer(gradInput), buffer(gradWeight), buffer(gradBias)), "linear backward");
    }

    @Override
    public void softmax(Tensor logits, Tensor probs) {
        NativeStatus.check(NativeKernels.cnn4j_softmax(logits.dim(0), logits.dim(1), logits.buffer(), probs.buffer()), "softmax");
    }

    @Override
    public double softmaxCrossEntropy(Tensor logits, Tensor targets, Tensor probs, Tensor gradLogits) {
        double[] loss = new double[1];
        NativeStatus.check(NativeKernels.cnn4j_softmax_cross_entropy(logits.dim(0), logits.dim(1), logits.buffer(), targets.buffer(),
                probs.buffer(), buffer(gradLogits), loss), "softmax cross-entropy");
        return loss[0];
    }

    // --- optimiser updates -------------------------------------------------------------------------------

    @Override
    public void sgdStep(SgdSpec spec, int step, Tensor param, Tensor grad, Tensor momentumBuffer) {
        if (memoryOrder(param, grad, momentumBuffer) == MIXED) {
            fallback.sgdStep(spec, step, param, grad, momentumBuffer);
            return;
        }
        NativeStatus.check(NativeKernels.cnn4j_sgd_step(param.numel(), spec.lr(), spec.momentum(), spec.dampening(),
                spec.weightDecay(), spec.nesterov() ? 1 : 0, step, param.buffer(), grad.buffer(), buffer(momentumBuffer)), "sgd step");
    }

    @Override
    public void adamStep(AdamSpec spec, int step, Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq) {
        if (memoryOrder(param, grad, expAvg, expAvgSq) == MIXED) {
            fallback.adamStep(spec, step, param, grad, expAvg, expAvgSq);
            return;
        }
        NativeStatus.check(NativeKernels.cnn4j_adam_step(param.numel(), spec.lr(), spec.beta1(), spec.beta2(), spec.eps(),
                spec.weightDecay(), spec.decoupled() ? 1 : 0, step, param.buffer(), grad.buffer(), expAvg.buffer(),
                expAvgSq.buffer()), "adam step");
    }

    // --- quantised and bf16 inference (channels-last; see docs/quantization.md) ------------------------------

    private static final int S8 = 0, U8 = 1, F32 = 2;

    private static int type(Int8Tensor t) {
        return t.isUnsigned() ? U8 : S8;
    }

    /** The native int8 and bf16 kernels read f32 activations channels-last only: say so rather than reorder behind the caller's back. */
    private static void requireChannelsLast(String op, String arg, Tensor t) {
        if (t != null && t.rank() == 4 && memoryOrder(t) != NHWC) {
            throw new IllegalArgumentException(op + ": " + arg + " " + t.shape() + " must be channels-last (NHWC) on the native backend, got "
                    + t.layout());
        }
    }

    @Override
    public void quantize(Tensor input, Int8Tensor output) {
        if (input.rank() == 4 && memoryOrder(input) != NHWC) {
            try (Tensor nhwc = input.toLayout(Layout.NHWC)) {
                quantize(nhwc, output);
            }
            return;
        }
        NativeStatus.check(NativeKernels.cnn4j_quantize(input.numel(), input.buffer(), output.scale(), type(output), output.buffer()),
                "quantize");
    }

    @Override
    public void dequantize(Int8Tensor input, Tensor output) {
        if (output.rank() == 4 && memoryOrder(output) != NHWC) {
            try (Tensor nhwc = Tensor.zeros(output.shape(), Layout.NHWC)) {
                dequantize(input, nhwc);
                output.copyFrom(nhwc);
            }
            return;
        }
        NativeStatus.check(NativeKernels.cnn4j_dequantize(input.numel(), type(input), input.buffer(), input.scale(), output.buffer()),
                "dequantize");
    }

    @Override
    public void conv2dInt8Forward(Conv2dSpec spec, Int8Tensor input, Int8Weights weight, Tensor bias, Int8Tensor residual, boolean relu,
                                  Int8Tensor output) {
        NativeStatus.check(NativeKernels.cnn4j_conv2d_int8_forward(geometry(spec), type(input), input.buffer(), input.scale(),
                weight.values(), weight.scales(), weight.id(), buffer(bias), residual == null ? S8 : type(residual),
                residual == null ? null : residual.buffer(), residual == null ? 1f : residual.scale(), type(output), output.buffer(),
                output.scale(), relu ? 1 : 0), "int8 conv2d forward");
    }

    @Override
    public void conv2dInt8ForwardToFloat(Conv2dSpec spec, Int8Tensor input, Int8Weights weight, Tensor bias, boolean relu,
                                         Tensor output) {
        requireChannelsLast("int8 conv2d forward", "output", output);
        NativeStatus.check(NativeKernels.cnn4j_conv2d_int8_forward(geometry(spec), type(input), input.buffer(), input.scale(),
                weight.values(), weight.scales(), weight.id(), buffer(bias), F32, (FloatBuffer) null, 1f, F32, output.buffer(), 1f,
                relu ? 1 : 0), "int8 conv2d forward");
    }

    @Override
    public void linearInt8Forward(Int8Tensor input, Int8Weights weight, Tensor bias, boolean relu, Int8Tensor output) {
        int[] d = linearDims(input);
        NativeStatus.check(NativeKernels.cnn4j_linear_int8_forward(d[0], d[1], d[2], d[3], type(input), input.buffer(), input.scale(),
                weight.dim(0), weight.values(), weight.scales(), weight.id(), buffer(bias), type(output), output.buffer(),
                output.scale(), relu ? 1 : 0), "int8 linear forward");
    }

    @Override
    public void linearInt8ForwardToFloat(Int8Tensor input, Int8Weights weight, Tensor bias, boolean relu, Tensor output) {
        int[] d = linearDims(input);
        NativeStatus.check(NativeKernels.cnn4j_linear_int8_forward(d[0], d[1], d[2], d[3], type(input), input.buffer(), input.scale(),
                weight.dim(0), weight.values(), weight.scales(), weight.id(), buffer(bias), F32, output.buffer(), 1f,
                relu ? 1 : 0), "int8 linear forward");
    }

    private static int[] linearDims(Int8Tensor x) {
        return x.rank() == 4 ? x.dims() : new int[] {x.dim(0), x.dim(1), 1, 1};
    }

    @Override
    public void maxPool2dInt8Forward(Pool2dSpec spec, Int8Tensor input, Int8Tensor output) {
        NativeStatus.check(NativeKernels.cnn4j_max_pool2d_int8_forward(pool(spec), type(input), input.buffer(), output.buffer()),
                "int8 max pool2d forward");
    }

    @Override
    public void conv2dBf16Forward(Conv2dSpec spec, Tensor input, Tensor weight, Tensor bias, Tensor residual, boolean relu,
                                  Tensor output) {
        requireChannelsLast("bf16 conv2d forward", "input", input);
        requireChannelsLast("bf16 conv2d forward", "residual", residual);
        requireChannelsLast("bf16 conv2d forward", "output", output);
        NativeStatus.check(NativeKernels.cnn4j_conv2d_bf16_forward(geometry(spec), input.buffer(), weight.buffer(), weight.frozenId(),
                buffer(bias), buffer(residual), output.buffer(), relu ? 1 : 0), "bf16 conv2d forward");
    }

    @Override
    public void linearBf16Forward(Tensor input, Tensor weight, Tensor bias, boolean relu, Tensor output) {
        NativeStatus.check(NativeKernels.cnn4j_linear_bf16_forward(input.dim(0), weight.dim(1), weight.dim(0), input.buffer(),
                weight.buffer(), weight.frozenId(), buffer(bias), output.buffer(), relu ? 1 : 0), "bf16 linear forward");
    }

    /** The C ABI's pooling geometry array, in the field order of cnn4j.h. */
    static int[] pool(Pool2dSpec s) {
        return new int[] {s.n(), s.c(), s.h(), s.w(), s.kh(), s.kw(), s.strideH(), s.strideW(), s.padH(), s.padW(),
                s.outH(), s.outW(), s.kind() == Pool2dSpec.Kind.AVG ? 1 : 0, s.countIncludePad() ? 1 : 0};
    }

    private static final int NCHW = 0, NHWC = 1, MIXED = -1;

    /**
     * The memory order the tensors of one op share: {@link #NHWC}, {@link #NCHW} (also for tensors
     * that are not 4-D, which are plain) or {@link #MIXED}. A 4-D tensor with one channel or one pixel
     * per channel is the same in memory either way and agrees with both; when every tensor is such,
     * the answer is NHWC. Null tensors (absent optional outputs) are ignored.
     */
    static int memoryOrder(Tensor... tensors) {
        int order = MIXED;
        boolean decided = false;
        for (Tensor t : tensors) {
            if (t == null || (t.rank() == 4 && (t.dim(1) == 1 || t.dim(2) * t.dim(3) == 1))) {
                continue;
            }
            int o = t.layout() == Layout.NHWC ? NHWC : NCHW;
            if (decided && o != order) {
                return MIXED;
            }
            order = o;
            decided = true;
        }
        return decided ? order : NHWC;
    }

    private static FloatBuffer buffer(Tensor t) {
        return t == null ? null : t.buffer();
    }

    /** The C ABI's geometry array, in the field order of cnn4j.h (and of {@link Conv2dSpec}). */
    static int[] geometry(Conv2dSpec s) {
        return new int[] {s.n(), s.c(), s.h(), s.w(), s.k(), s.kh(), s.kw(), s.strideH(), s.strideW(),
                s.padTop(), s.padBottom(), s.padLeft(), s.padRight(), s.dilationH(), s.dilationW(), s.groups()};
    }
}

package org.cnn4j.backend.cpu;

import java.util.List;
import org.cnn4j.backend.Activation;
import org.cnn4j.backend.AdamSpec;
import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.backend.Pool2dSpec;
import org.cnn4j.backend.SgdSpec;
import org.cnn4j.backend.reference.ReferenceBackend;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Tensor;

/**
 * The backend whose ops run in native code (AVX-512/AVX2/scalar kernels chosen at run time, oneDNN,
 * OpenBLAS), one JNI call per op. Ops without a native kernel yet run on the reference backend;
 * {@link #nativeOps()} lists which are native.
 */
public final class NativeBackend implements Backend {
    private static final NativeBackend INSTANCE = new NativeBackend();
    private final Backend fallback = ReferenceBackend.INSTANCE;
    private final NativeConvolution convolution = new NativeConvolution(fallback);

    private NativeBackend() {
    }

    public static boolean isAvailable() {
        return NativeLibrary.isLoaded();
    }

    public static String loadError() {
        return NativeLibrary.loadError();
    }

    /** The native backend; throws {@link IllegalStateException} when the library cannot load. */
    public static NativeBackend instance() {
        if (!isAvailable()) {
            throw new IllegalStateException("native backend: library not loaded: " + loadError());
        }
        return INSTANCE;
    }

    /** The ops that run in native code (the rest fall back to the reference backend). */
    public static List<String> nativeOps() {
        return List.of("conv2d forward/backward (oneDNN, im2col+GEMM)", "gemm (OpenBLAS)", "im2col", "col2im", "relu/leaky-relu forward (oneDNN)");
    }

    @Override
    public String name() {
        return "native";
    }

    // --- native ----------------------------------------------------------------------------------

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        NativeStatus.check(NativeKernels.cnn4j_sgemm(transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha,
                a.buffer(), b.buffer(), beta, c.buffer()), "gemm");
    }

    @Override
    public void im2col(Conv2dSpec spec, Tensor input, int image, Tensor columns) {
        try (Tensor plain = nchw(input)) {
            NativeStatus.check(NativeKernels.cnn4j_im2col(geometry(spec), plain.narrow(image, 1).buffer(), columns.buffer()), "im2col");
        }
    }

    @Override
    public void col2im(Conv2dSpec spec, Tensor columns, int image, Tensor input) {
        if (input.layout() == Layout.NHWC) {
            fallback.col2im(spec, columns, image, input);
            return;
        }
        NativeStatus.check(NativeKernels.cnn4j_col2im(geometry(spec), columns.buffer(), input.narrow(image, 1).buffer()), "col2im");
    }

    @Override
    public void activationForward(Activation activation, Tensor input, Tensor output) {
        boolean relu = activation.kind() == Activation.Kind.RELU || activation.kind() == Activation.Kind.LEAKY_RELU;
        if (!relu || input.layout() != output.layout()) {
            fallback.activationForward(activation, input, output);
            return;
        }
        NativeStatus.check(NativeKernels.cnn4j_relu_forward(input.numel(), activation.alpha(), input.buffer(), output.buffer()),
                "relu");
    }

    @Override
    public void conv2dForward(Conv2dSpec spec, Tensor input, Tensor weight, Tensor bias, Tensor output) {
        convolution.forward(spec, input, weight, bias, output);
    }

    @Override
    public void conv2dBackwardData(Conv2dSpec spec, Tensor gradOutput, Tensor weight, Tensor gradInput) {
        convolution.backwardData(spec, gradOutput, weight, gradInput);
    }

    @Override
    public void conv2dBackwardWeights(Conv2dSpec spec, Tensor input, Tensor gradOutput, Tensor gradWeight, Tensor gradBias) {
        convolution.backwardWeights(spec, input, gradOutput, gradWeight, gradBias);
    }

    // --- not yet native: the reference implementation ---------------------------------------------

    @Override
    public void pool2dForward(Pool2dSpec spec, Tensor input, Tensor output) {
        fallback.pool2dForward(spec, input, output);
    }

    @Override
    public void pool2dBackward(Pool2dSpec spec, Tensor input, Tensor gradOutput, Tensor gradInput) {
        fallback.pool2dBackward(spec, input, gradOutput, gradInput);
    }

    @Override
    public void globalAvgPoolForward(Tensor input, Tensor output) {
        fallback.globalAvgPoolForward(input, output);
    }

    @Override
    public void globalAvgPoolBackward(Tensor gradOutput, Tensor gradInput) {
        fallback.globalAvgPoolBackward(gradOutput, gradInput);
    }

    @Override
    public void batchNormTrainingForward(float eps, float momentum, Tensor input, Tensor gamma, Tensor beta,
                                         Tensor runningMean, Tensor runningVar, Tensor output, Tensor batchMean, Tensor batchVar) {
        fallback.batchNormTrainingForward(eps, momentum, input, gamma, beta, runningMean, runningVar, output, batchMean, batchVar);
    }

    @Override
    public void batchNormInferenceForward(float eps, Tensor input, Tensor gamma, Tensor beta, Tensor mean, Tensor var, Tensor output) {
        fallback.batchNormInferenceForward(eps, input, gamma, beta, mean, var, output);
    }

    @Override
    public void batchNormBackward(float eps, boolean training, Tensor input, Tensor gamma, Tensor mean, Tensor var,
                                  Tensor gradOutput, Tensor gradInput, Tensor gradGamma, Tensor gradBeta) {
        fallback.batchNormBackward(eps, training, input, gamma, mean, var, gradOutput, gradInput, gradGamma, gradBeta);
    }

    @Override
    public void activationBackward(Activation activation, Tensor input, Tensor output, Tensor gradOutput, Tensor gradInput) {
        fallback.activationBackward(activation, input, output, gradOutput, gradInput);
    }

    @Override
    public void add(Tensor a, Tensor b, Tensor out) {
        fallback.add(a, b, out);
    }

    @Override
    public void multiply(Tensor a, Tensor b, Tensor out) {
        fallback.multiply(a, b, out);
    }

    @Override
    public void dropoutForward(float p, long seed, Tensor input, Tensor mask, Tensor output) {
        fallback.dropoutForward(p, seed, input, mask, output);
    }

    @Override
    public void concatChannels(List<Tensor> inputs, Tensor output) {
        fallback.concatChannels(inputs, output);
    }

    @Override
    public void splitChannels(Tensor gradOutput, List<Tensor> gradInputs) {
        fallback.splitChannels(gradOutput, gradInputs);
    }

    @Override
    public void linearForward(Tensor input, Tensor weight, Tensor bias, Tensor output) {
        fallback.linearForward(input, weight, bias, output);
    }

    @Override
    public void linearBackward(Tensor input, Tensor weight, Tensor gradOutput, Tensor gradInput, Tensor gradWeight, Tensor gradBias) {
        fallback.linearBackward(input, weight, gradOutput, gradInput, gradWeight, gradBias);
    }

    @Override
    public void softmax(Tensor logits, Tensor probs) {
        fallback.softmax(logits, probs);
    }

    @Override
    public double softmaxCrossEntropy(Tensor logits, Tensor targets, Tensor probs, Tensor gradLogits) {
        return fallback.softmaxCrossEntropy(logits, targets, probs, gradLogits);
    }

    @Override
    public void sgdStep(SgdSpec spec, int step, Tensor param, Tensor grad, Tensor momentumBuffer) {
        fallback.sgdStep(spec, step, param, grad, momentumBuffer);
    }

    @Override
    public void adamStep(AdamSpec spec, int step, Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq) {
        fallback.adamStep(spec, step, param, grad, expAvg, expAvgSq);
    }

    /** The C ABI's geometry array, in the field order of cnn4j.h (and of {@link Conv2dSpec}). */
    static int[] geometry(Conv2dSpec s) {
        return new int[] {s.n(), s.c(), s.h(), s.w(), s.k(), s.kh(), s.kw(), s.strideH(), s.strideW(),
                s.padTop(), s.padBottom(), s.padLeft(), s.padRight(), s.dilationH(), s.dilationW(), s.groups()};
    }

    /** The tensor itself as a non-owning view when it is already NCHW, else an NCHW copy. */
    private static Tensor nchw(Tensor t) {
        return t.layout() == Layout.NHWC ? t.toLayout(Layout.NCHW) : t.reshape(t.dims());
    }
}

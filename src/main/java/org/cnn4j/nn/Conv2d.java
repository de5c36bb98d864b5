package org.cnn4j.nn;

import java.nio.FloatBuffer;
import java.util.List;
import org.cnn4j.backend.Backends;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.kernels.Convolution;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Tensor;

/**
 * 2-D convolution over [N, inChannels, H, W]. Default initialisation as PyTorch's:
 * weight and bias U(-1/sqrt(fan_in), 1/sqrt(fan_in)) with fan_in = inChannels/groups * kernel^2
 * (the zoo re-initialises with He normal where an architecture says so).
 */
public final class Conv2d extends Module {
    private final int in, out, kernel, stride, padding, dilation, groups;
    private final Parameter weight;
    private final Parameter bias;
    private boolean fusedRelu;
    private Conv2dSpec spec;
    private Tensor input, output, gradInput;

    public Conv2d(int in, int out, int kernel, int stride, int padding, int dilation, int groups, boolean bias) {
        if (in <= 0 || out <= 0 || kernel <= 0 || stride <= 0 || padding < 0 || dilation <= 0 || groups <= 0
                || in % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException("Conv2d: invalid arguments in=" + in + " out=" + out + " kernel=" + kernel
                    + " stride=" + stride + " padding=" + padding + " dilation=" + dilation + " groups=" + groups);
        }
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.groups = groups;
        this.weight = new Parameter("weight", out, in / groups, kernel, kernel);
        this.bias = bias ? new Parameter("bias", out) : null;
        int fanIn = in / groups * kernel * kernel;
        Init.pytorchDefault(weight.value(), fanIn);
        if (bias) {
            Init.pytorchDefault(this.bias.value(), fanIn);
        }
    }

    /** A replica of {@code of}: its configuration and its parameters themselves ({@link Module#newReplica}). */
    private Conv2d(Conv2d of) {
        in = of.in;
        out = of.out;
        kernel = of.kernel;
        stride = of.stride;
        padding = of.padding;
        dilation = of.dilation;
        groups = of.groups;
        weight = of.weight;
        bias = of.bias;
        fusedRelu = of.fusedRelu;
    }

    /** Stride 1, no dilation, one group, with bias. */
    public Conv2d(int in, int out, int kernel, int padding) {
        this(in, out, kernel, 1, padding, 1, 1, true);
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    /** fan_in = inChannels/groups * kernel^2, for initialisers. */
    public int fanIn() {
        return in / groups * kernel * kernel;
    }

    public int fanOut() {
        return out / groups * kernel * kernel;
    }

    /**
     * An inference copy of this convolution with {@code bn} folded into its weights and bias
     * (w' = w * gamma / sqrt(var + eps), b' = (b - mean) * gamma / sqrt(var + eps) + beta, with the
     * running statistics) and, when {@code relu}, the following ReLU fused into the same op. The copy
     * has its own parameters, {@linkplain Tensor#freeze() frozen}: it computes forward passes only, and
     * the kernels can keep its weights reordered or transformed without re-checking them on every call.
     */
    public Conv2d foldedWith(BatchNorm2d bn, boolean relu) {
        Conv2d f = Init.withoutRandomValues(() -> new Conv2d(in, out, kernel, stride, padding, dilation, groups, true));
        float[] w = weight.value().toArray(), b = bias == null ? new float[out] : bias.value().toArray();
        if (bn != null) {
            float[] gamma = bn.gamma().value().toArray(), beta = bn.beta().value().toArray();
            float[] mean = bn.runningMean().toArray(), var = bn.runningVar().toArray();
            int per = w.length / out;
            for (int k = 0; k < out; k++) {
                double scale = gamma[k] / Math.sqrt(var[k] + (double) bn.eps());
                for (int i = 0; i < per; i++) {
                    w[k * per + i] = (float) (w[k * per + i] * scale);
                }
                b[k] = (float) ((b[k] - mean[k]) * scale + beta[k]);
            }
        }
        f.weight.value().copyFrom(w).freeze();
        f.bias.value().copyFrom(b).freeze();
        f.fusedRelu = relu;
        f.eval();
        return f;
    }

    /** The geometry of the last forward pass (null before the first). */
    public Conv2dSpec lastSpec() {
        return spec;
    }

    public int inChannels() {
        return in;
    }

    public int outChannels() {
        return out;
    }

    public int kernelSize() {
        return kernel;
    }

    public int stride() {
        return stride;
    }

    public int padding() {
        return padding;
    }

    public int dilation() {
        return dilation;
    }

    public int groups() {
        return groups;
    }

    /** Whether this is an inference copy with a ReLU fused in ({@link #foldedWith}). */
    public boolean hasFusedRelu() {
        return fusedRelu;
    }

    @Override
    protected List<Parameter> ownParameters() {
        return bias == null ? List.of(weight) : List.of(weight, bias);
    }

    @Override
    public Tensor forward(Tensor x) {
        return run(x, null);
    }

    /**
     * The forward pass of an inference copy with a ReLU fused in, adding {@code residual} before the ReLU:
     * relu(conv(x) + bias + residual), the end of a ResNet block as one op (see {@link InferenceFusion}).
     */
    public Tensor forwardAddRelu(Tensor x, Tensor residual) {
        return forwardAddRelu(x, residual, false);
    }

    /**
     * {@link #forwardAddRelu(Tensor, Tensor)}, written over {@code residual} when {@code overwrite} says
     * the caller no longer needs it and it has the output's layout: oneDNN's sum post-op then reads the
     * residual where it writes the result, instead of a copy of it into this layer's own output (16
     * copies per ResNet-50 pass).
     */
    public Tensor forwardAddRelu(Tensor x, Tensor residual, boolean overwrite) {
        if (!fusedRelu) {
            throw new IllegalStateException(describe() + ": only an inference copy with a fused ReLU adds a residual");
        }
        if (overwrite && residual.layout() == Backends.current().activationLayout() && !residual.isFrozen()) {
            prepare(x);
            Convolution.forwardAddRelu(spec, x, weight.value(), bias.value(), residual, residual);
            return residual;
        }
        return run(x, residual);
    }

    private Tensor run(Tensor x, Tensor residual) {
        prepare(x);
        // the backend's layout whatever the input's: an NCHW batch (the natural way to hand over images)
        // is read as it is by the first convolution, and the rest of the network runs channels-last
        output = ensure(output, Backends.current().activationLayout(), spec.outputDims());
        if (fusedRelu) {
            Convolution.forwardAddRelu(spec, x, weight.value(), bias.value(), residual, output);
        } else {
            Convolution.forward(spec, x, weight.value(), bias == null ? null : bias.value(), output);
        }
        return output;
    }

    private void prepare(Tensor x) {
        if (x.rank() != 4 || x.dim(1) != in) {
            throw new IllegalArgumentException("Conv2d(" + in + "->" + out + "): input must be [N, " + in + ", H, W], got " + x.shape());
        }
        if (spec == null || spec.n() != x.dim(0) || spec.h() != x.dim(2) || spec.w() != x.dim(3)) {
            spec = Conv2dSpec.of(x.dim(0), in, x.dim(2), x.dim(3), out, kernel, stride, padding, dilation, groups);
        }
        input = x;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        if (fusedRelu) {
            throw new UnsupportedOperationException(describe() + ": a fused inference layer has no backward pass");
        }
        requireForward(input != null);
        Tensor gradBias = bias == null || bias.isFrozen() ? null : bias.grad();
        if (!weight.isFrozen()) {
            Convolution.backwardWeights(spec, input, gradOutput, weight.grad(), gradBias);
        } else if (gradBias != null) {
            biasGradient(gradOutput, gradBias);
        }
        if (!needsInputGrad()) {
            return null;
        }
        gradInput = ensure(gradInput, input.layout(), spec.inputDims());
        Convolution.backwardData(spec, gradOutput, weight.value(), gradInput);
        return gradInput;
    }

    /** The bias gradient alone (weight frozen, bias trainable): the sum of gradOutput over N, H and W per channel. */
    private static void biasGradient(Tensor gradOutput, Tensor gradBias) {
        int n = gradOutput.dim(0), k = gradOutput.dim(1), hw = gradOutput.dim(2) * gradOutput.dim(3);
        boolean channelsLast = gradOutput.layout() == Layout.NHWC;
        FloatBuffer g = gradOutput.buffer();
        double[] sum = new double[k];
        for (int i = 0; i < n * k * hw; i++) {
            sum[channelsLast ? i % k : i / hw % k] += g.get(i);
        }
        FloatBuffer b = gradBias.buffer();
        for (int c = 0; c < k; c++) {
            b.put(c, (float) sum[c]);
        }
    }

    @Override
    protected Module newReplica() {
        return new Conv2d(this);
    }

    @Override
    public String describe() {
        return "Conv2d(" + in + "->" + out + ", " + kernel + "x" + kernel + ", stride " + stride + ", pad " + padding
                + (dilation > 1 ? ", dilation " + dilation : "") + (groups > 1 ? ", groups " + groups : "") + (bias == null ? ", no bias" : "") + ")" + (fusedRelu ? " + ReLU (fused)" : "");
    }

    @Override
    public void close() {
        super.close();
        release(output, gradInput);
    }
}

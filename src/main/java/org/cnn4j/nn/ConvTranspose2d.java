package org.cnn4j.nn;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import org.cnn4j.backend.Backends;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.kernels.Convolution;
import org.cnn4j.kernels.Elementwise;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Tensor;

/**
 * 2-D transposed convolution over [N, inChannels, H, W] (PyTorch's {@code nn.ConvTranspose2d}, ONNX's
 * ConvTranspose), the upsampling layer of decoders and segmentation heads: each input pixel scatters
 * {@code x[n, c, i, j] * w[c, o, kh, kw]} to {@code y[n, o, i*stride - padding + kh*dilation, j*stride - padding + kw*dilation]},
 * giving an output of {@code (H-1)*stride - 2*padding + dilation*(kernel-1) + outputPadding + 1} rows (and as many
 * columns for W). Weight [inChannels, outChannels/groups, k, k], as PyTorch and ONNX store it. Built by
 * {@code ConvTranspose2d.builder(in, out, kernel).stride(2).padding(1).outputPadding(1).build()} or the full
 * constructor in PyTorch's argument order.
 * <p>It runs on the convolution kernels: its forward pass is the backward-data pass of the convolution that
 * maps its output [N, out, Hout, Wout] back to its input [N, in, H, W] (whose weight [in, out/groups, k, k] is
 * this layer's), its input gradient that convolution's forward pass and its weight gradient that convolution's
 * backward-weights pass with input and gradient swapped. Default initialisation as PyTorch's: weight and bias
 * U(-1/sqrt(fan_in), 1/sqrt(fan_in)) with fan_in = outChannels/groups * kernel^2 (PyTorch reads it from the
 * weight's second dimension).
 */
public final class ConvTranspose2d extends Module {
    private final int in, out, kernel, stride, padding, outputPadding, dilation, groups;
    /**
     * Rows (and columns) at the bottom (right) of the output that no input pixel reaches, which the
     * convolution that describes this layer leaves out: output padding can exceed padding + stride - 1 only
     * when dilation is larger than stride. Those rows hold the bias alone.
     */
    private final int unreached;
    private final Parameter weight;
    private final Parameter bias;
    private Conv2dSpec spec;
    private Tensor input, output, gradInput, reached, gradReached, ones;

    /** In PyTorch's order: in_channels, out_channels, kernel_size, stride, padding, output_padding, groups, bias, dilation. */
    public ConvTranspose2d(int in, int out, int kernel, int stride, int padding, int outputPadding, int groups, boolean bias,
                           int dilation) {
        String args = " (in=" + in + " out=" + out + " kernel=" + kernel + " stride=" + stride + " padding=" + padding
                + " output_padding=" + outputPadding + " dilation=" + dilation + " groups=" + groups + ")";
        positive("in_channels", in, args);
        positive("out_channels", out, args);
        positive("kernel", kernel, args);
        positive("stride", stride, args);
        positive("dilation", dilation, args);
        positive("groups", groups, args);
        if (padding < 0) {
            throw new IllegalArgumentException("ConvTranspose2d: padding must be >= 0, got " + padding + args);
        }
        if (outputPadding < 0 || (outputPadding >= stride && outputPadding >= dilation)) {
            throw new IllegalArgumentException("ConvTranspose2d: output_padding must be >= 0 and smaller than stride or dilation, got output_padding="
                    + outputPadding + " with stride=" + stride + " and dilation=" + dilation + args);
        }
        if (in % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException("ConvTranspose2d: groups=" + groups + " must divide both in_channels=" + in
                    + " and out_channels=" + out + args);
        }
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.outputPadding = outputPadding;
        this.dilation = dilation;
        this.groups = groups;
        this.unreached = Math.max(0, outputPadding - padding - (stride - 1));
        this.weight = new Parameter("weight", in, out / groups, kernel, kernel);
        this.bias = bias ? new Parameter("bias", out) : null;
        Init.pytorchDefault(weight.value(), fanIn());
        if (bias) {
            Init.pytorchDefault(this.bias.value(), fanIn());
        }
    }

    /** A replica of {@code of}: its configuration and its parameters themselves ({@link Module#newReplica}). */
    private ConvTranspose2d(ConvTranspose2d of) {
        in = of.in;
        out = of.out;
        kernel = of.kernel;
        stride = of.stride;
        padding = of.padding;
        outputPadding = of.outputPadding;
        dilation = of.dilation;
        groups = of.groups;
        unreached = of.unreached;
        weight = of.weight;
        bias = of.bias;
    }

    private static void positive(String name, int value, String args) {
        if (value <= 0) {
            throw new IllegalArgumentException("ConvTranspose2d: " + name + " must be > 0, got " + value + args);
        }
    }

    /**
     * A builder for a transposed convolution of {@code in} to {@code out} channels with a square kernel: stride 1,
     * no padding or output padding, with bias unless told.
     */
    public static Builder builder(int in, int out, int kernel) {
        return new Builder(in, out, kernel);
    }

    /** Names each hyper-parameter, so that no reader mistakes an output padding for a padding. */
    public static final class Builder {
        private final int in, out, kernel;
        private int stride = 1, padding, outputPadding, dilation = 1, groups = 1;
        private boolean bias = true;

        private Builder(int in, int out, int kernel) {
            this.in = in;
            this.out = out;
            this.kernel = kernel;
        }

        public Builder stride(int s) {
            stride = s;
            return this;
        }

        public Builder padding(int p) {
            padding = p;
            return this;
        }

        public Builder outputPadding(int p) {
            outputPadding = p;
            return this;
        }

        public Builder dilation(int d) {
            dilation = d;
            return this;
        }

        public Builder groups(int n) {
            groups = n;
            return this;
        }

        public Builder bias(boolean on) {
            bias = on;
            return this;
        }

        public ConvTranspose2d build() {
            return new ConvTranspose2d(in, out, kernel, stride, padding, outputPadding, groups, bias, dilation);
        }
    }

    /** Rebuilds a transposed convolution from its {@link #config()} (the model-file form). */
    static ConvTranspose2d fromConfig(LayerConfig c) {
        return new ConvTranspose2d(c.integer("in"), c.integer("out"), c.integer("kernel"), c.integer("stride"), c.integer("padding"),
                c.integer("output_padding"), c.integer("groups"), c.bool("bias"), c.integer("dilation"));
    }

    /** The floats {@link #fromConfig} would allocate, counted without allocating (sizes below 2^31 each). */
    static long weightFloats(LayerConfig c) {
        long k = Math.max(0, c.integer("kernel")), i = Math.max(0, c.integer("in"));
        long per = Math.max(0, c.integer("out")) / Math.max(1, c.integer("groups"));
        return LayerRegistry.product(i, per, k, k) + (c.bool("bias") ? Math.max(0, c.integer("out")) : 0);
    }

    @Override
    public LayerConfig config() {
        return new LayerConfig("ConvTranspose2d").put("in", in).put("out", out).put("kernel", kernel).put("stride", stride)
                .put("padding", padding).put("output_padding", outputPadding).put("dilation", dilation).put("groups", groups)
                .put("bias", bias != null);
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    /** fan_in = outChannels/groups * kernel^2 (PyTorch's, from the weight's second dimension), for initialisers. */
    public int fanIn() {
        return out / groups * kernel * kernel;
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

    public int outputPadding() {
        return outputPadding;
    }

    public int dilation() {
        return dilation;
    }

    public int groups() {
        return groups;
    }

    @Override
    protected List<Parameter> ownParameters() {
        return bias == null ? List.of(weight) : List.of(weight, bias);
    }

    /** The output's rows for {@code size} input rows (or columns for columns). */
    private long outputSize(int size) {
        return (size - 1L) * stride - 2L * padding + (long) dilation * (kernel - 1) + outputPadding + 1;
    }

    /**
     * The convolution from this layer's output, less its {@link #unreached} rows and columns, to its input of
     * n x h x w: padding at the top and left as this layer's, and at the bottom and right what makes that
     * convolution's output exactly h x w. Throws naming the layer and the input when the output would be empty.
     */
    private Conv2dSpec convolution(int n, int h, int w) {
        long outH = outputSize(h), outW = outputSize(w);
        if (outH < 1 || outW < 1 || outH > Integer.MAX_VALUE || outW > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(describe() + ": an input of " + h + "x" + w + " gives an output of " + outH + "x" + outW
                    + ", which must be between 1 and 2^31-1 in each dimension");
        }
        if (outH - unreached < 1 || outW - unreached < 1) {
            throw new IllegalArgumentException(describe() + ": no pixel of an input of " + h + "x" + w + " reaches its output of "
                    + outH + "x" + outW + " (the padding crops every one)");
        }
        int end = Math.max(0, padding - outputPadding);
        return new Conv2dSpec(n, out, (int) outH - unreached, (int) outW - unreached, in, kernel, kernel, stride, stride,
                padding, end, padding, end, dilation, dilation, groups);
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4 || x.dim(1) != in) {
            throw new IllegalArgumentException(describe() + ": input must be [N, " + in + ", H, W], got " + x.shape());
        }
        if (spec == null || spec.n() != x.dim(0) || spec.outH() != x.dim(2) || spec.outW() != x.dim(3)) {
            spec = convolution(x.dim(0), x.dim(2), x.dim(3));
        }
        input = x;
        // the backend's layout whatever the input's, as Conv2d does
        output = ensure(output, Backends.current().activationLayout(), outputDims());
        if (unreached == 0) {
            Convolution.backwardData(spec, x, weight.value(), output);
        } else {
            reached = ensure(reached, output.layout(), spec.inputDims());
            Convolution.backwardData(spec, x, weight.value(), reached);
            output.zero();
            copyCorner(reached, output);
        }
        if (bias != null) {
            ones = ones == null ? Tensor.zeros(out).detach().fill(1f) : ones;
            Elementwise.channelAffine(output, ones, bias.value(), output);
        }
        return output;
    }

    private int[] outputDims() {
        return new int[] {spec.n(), out, spec.h() + unreached, spec.w() + unreached};
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        requireForward(input != null);
        if (!Arrays.equals(gradOutput.dims(), outputDims())) {
            throw new IllegalArgumentException(describe() + ": gradient must be " + Arrays.toString(outputDims()) + " as the output, got "
                    + gradOutput.shape());
        }
        Tensor g = gradOutput;
        if (unreached > 0) { // the rows no input reaches have no say in any gradient but the bias's
            gradReached = ensure(gradReached, gradOutput.layout(), spec.inputDims());
            copyCorner(gradOutput, gradReached);
            g = gradReached;
        }
        if (bias != null && !bias.isFrozen()) {
            Conv2d.biasGradient(gradOutput, bias.grad());
        }
        if (!weight.isFrozen()) {
            Convolution.backwardWeights(spec, g, input, weight.grad(), null);
        }
        if (!needsInputGrad()) {
            return null;
        }
        gradInput = ensure(gradInput, input.layout(), spec.outputDims());
        Convolution.forward(spec, g, weight.value(), null, gradInput);
        return gradInput;
    }

    /** Copies the top-left corner the two tensors share (the smaller one's H x W) between tensors of one layout and N, C. */
    private static void copyCorner(Tensor from, Tensor to) {
        int n = from.dim(0), c = from.dim(1), h = Math.min(from.dim(2), to.dim(2)), w = Math.min(from.dim(3), to.dim(3));
        int fromW = from.dim(3), toW = to.dim(3), fromHw = from.dim(2) * fromW, toHw = to.dim(2) * toW;
        boolean channelsLast = from.layout() == Layout.NHWC;
        FloatBuffer src = from.buffer(), dst = to.buffer();
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int s = y * fromW + x, d = y * toW + x;
                        dst.put(channelsLast ? (i * toHw + d) * c + ch : (i * c + ch) * toHw + d,
                                src.get(channelsLast ? (i * fromHw + s) * c + ch : (i * c + ch) * fromHw + s));
                    }
                }
            }
        }
    }

    @Override
    public int[] outputShape(int[]... inputs) {
        int[] image = inputs[0];
        if (image.length != 3 || image[0] != in) {
            throw new IllegalArgumentException(describe() + ": expects [C, H, W] with " + in + " channels, got " + Arrays.toString(image));
        }
        Conv2dSpec s = convolution(1, image[1], image[2]);
        return new int[] {out, s.h() + unreached, s.w() + unreached};
    }

    /** Every tap of every input pixel, those the padding crops included (as published counts and PyTorch's profilers count). */
    @Override
    public long macs(int[][] inputs, int[] output) {
        return (long) inputs[0][1] * inputs[0][2] * in * (out / groups) * kernel * kernel;
    }

    @Override
    protected Module newReplica() {
        return new ConvTranspose2d(this);
    }

    @Override
    public String describe() {
        return "ConvTranspose2d(" + in + "->" + out + ", " + kernel + "x" + kernel + ", stride " + stride + ", pad " + padding
                + (outputPadding > 0 ? ", output pad " + outputPadding : "") + (dilation > 1 ? ", dilation " + dilation : "")
                + (groups > 1 ? ", groups " + groups : "") + (bias == null ? ", no bias" : "") + ")";
    }

    @Override
    public void close() {
        super.close();
        release(output, gradInput, reached, gradReached, ones);
    }
}

package org.cnn4j.nn.fuse;

import java.util.List;
import org.cnn4j.backend.Backends;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.backend.Pool2dSpec;
import org.cnn4j.kernels.Bf16Ops;
import org.cnn4j.kernels.Convolution;
import org.cnn4j.kernels.Pooling;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Convolutional;
import org.cnn4j.nn.ConvGeometry;
import org.cnn4j.nn.LayerConfig;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.Overwriting;
import org.cnn4j.nn.Parameter;
import org.cnn4j.nn.Pool2d;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Tensor;

/**
 * An inference-only convolution made by a fusion pass: a {@link Conv2d} with the batch norm after it
 * folded into its weights and bias (w' = w * gamma / sqrt(var + eps), b' = (b - mean) * gamma /
 * sqrt(var + eps) + beta, with the running statistics), then its {@link PostOps} in the same op. Its
 * parameters are its own and {@linkplain Tensor#freeze() frozen}, so the kernels may keep them
 * reordered or transformed without re-checking them on every call. With a residual sum it takes two
 * inputs, (x, shortcut), and may write its result over the shortcut ({@link Overwriting}): oneDNN's sum
 * post-op then reads the residual where it writes, instead of a copy of it. {@link #inBf16} is the same layer
 * computed in bf16 (input and weights rounded to bf16, f32 accumulation, bias, residual and ReLU). {@link #withMaxPool}
 * adds a 2x2 stride-2 max pooling after it, computed in the convolution's epilogue where the backend can
 * ({@link Convolution#fusesMaxPool}), else as a second op over a buffer of the unpooled map.
 */
public final class FusedConv2d extends Module implements Overwriting, Convolutional {
    private final ConvGeometry geometry;
    private final Parameter weight, bias;
    private final PostOps post;
    private final String folded;
    private final boolean bf16;
    private final Pool2d maxPool;
    private Conv2dSpec spec;
    private Pool2dSpec poolSpec;
    private Tensor output, unpooled;

    private FusedConv2d(ConvGeometry geometry, Parameter weight, Parameter bias, PostOps post, String folded, boolean bf16, Pool2d maxPool) {
        this.geometry = geometry;
        this.weight = weight;
        this.bias = bias;
        this.post = post;
        this.folded = folded;
        this.bf16 = bf16;
        this.maxPool = maxPool;
        eval();
    }

    /** {@code conv} with {@code bn} (or null) folded in and {@code post} after it. */
    public static FusedConv2d fold(Conv2d conv, BatchNorm2d bn, PostOps post) {
        int out = conv.outChannels();
        float[] w = conv.weight().value().toArray(), b = conv.bias() == null ? new float[out] : conv.bias().value().toArray();
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
        Parameter weight = new Parameter("weight", conv.weight().value().dims()), bias = new Parameter("bias", out);
        weight.value().copyFrom(w).freeze();
        bias.value().copyFrom(b).freeze();
        return new FusedConv2d(conv.geometry(), weight, bias, post, bn == null ? "" : " + " + bn.describe() + " (folded)", false, null);
    }

    /** This convolution with other post-ops; it takes over this one's weights (use it instead of this one). */
    public FusedConv2d withPostOps(PostOps other) {
        return new FusedConv2d(geometry, weight, bias, other, folded, bf16, maxPool);
    }

    /** This convolution computed in bf16, on the same frozen weights (use it instead of this one). */
    public FusedConv2d inBf16() {
        return new FusedConv2d(geometry, weight, bias, post, folded, true, maxPool);
    }

    /**
     * This convolution followed by {@code pool}, a 2x2 stride-2 max pooling without padding in floor mode, in one layer
     * whose output is the pooled map; it takes over this one's weights (use it instead of this one).
     */
    public FusedConv2d withMaxPool(Pool2d pool) {
        if (!ConvMaxPoolPass.fusable(pool) || post.sum() || maxPool != null) {
            throw new IllegalArgumentException(describe() + ": takes only a 2x2 stride-2 max pooling without padding or ceil mode, once and"
                    + " without a residual sum; got " + pool.describe());
        }
        return new FusedConv2d(geometry, weight, bias, post, folded, bf16, pool);
    }

    /** Whether a max pooling runs inside this layer. */
    public boolean pools() {
        return maxPool != null;
    }

    public ConvGeometry geometry() {
        return geometry;
    }

    public PostOps postOps() {
        return post;
    }

    @Override
    public Conv2dSpec lastSpec() {
        return spec;
    }

    @Override
    protected List<Parameter> ownParameters() {
        return List.of(weight, bias);
    }

    @Override
    public boolean acceptsInputs(int count) {
        return count == (post.sum() ? 2 : 1);
    }

    @Override
    public String expectedInputs() {
        return post.sum() ? "(input, residual)" : "one input";
    }

    @Override
    public Tensor forward(Tensor x) {
        return forward(new Tensor[] {x});
    }

    @Override
    public Tensor forward(Tensor... in) {
        prepare(in);
        // the backend's layout whatever the input's: an NCHW batch is read as it is by the first convolution
        Layout layout = Backends.current().activationLayout();
        if (maxPool == null) {
            output = ensure(output, layout, spec.outputDims());
            run(in[0], post.sum() ? in[1] : null, output);
            return output;
        }
        output = ensure(output, layout, poolSpec.outputDims());
        if (!bf16 && Convolution.fusesMaxPool(spec)) {
            Convolution.forwardMaxPool(spec, in[0], weight.value(), bias.value(), post.relu(), output);
        } else {
            unpooled = ensure(unpooled, layout, spec.outputDims());
            run(in[0], null, unpooled);
            Pooling.forward(poolSpec, unpooled, output);
        }
        return output;
    }

    @Override
    public int overwritableInput() {
        return post.sum() ? 1 : -1;
    }

    @Override
    public Tensor forwardOver(Tensor... in) {
        Tensor residual = in[1];
        if (residual.layout() != Backends.current().activationLayout() || residual.isFrozen()) {
            return forward(in);
        }
        prepare(in);
        run(in[0], residual, residual);
        return residual;
    }

    private void prepare(Tensor[] in) {
        if (!acceptsInputs(in.length)) {
            throw new IllegalArgumentException(describe() + ": takes " + expectedInputs() + ", got "
                    + in.length + " inputs");
        }
        Tensor x = in[0];
        if (x.rank() != 4 || x.dim(1) != geometry.in()) {
            throw new IllegalArgumentException(describe() + ": input must be [N, " + geometry.in() + ", H, W], got " + x.shape());
        }
        if (spec == null || spec.n() != x.dim(0) || spec.h() != x.dim(2) || spec.w() != x.dim(3)) {
            spec = geometry.spec(x.dim(0), x.dim(2), x.dim(3));
            poolSpec = maxPool == null ? null : maxPool.spec(spec.n(), spec.k(), spec.outH(), spec.outW());
        }
    }

    private void run(Tensor x, Tensor residual, Tensor out) {
        if (bf16) {
            Bf16Ops.conv2d(spec, x, weight.value(), bias.value(), residual, post.relu(), out);
        } else if (post.relu()) {
            Convolution.forwardAddRelu(spec, x, weight.value(), bias.value(), residual, out);
        } else {
            Convolution.forward(spec, x, weight.value(), bias.value(), out);
        }
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        throw new UnsupportedOperationException(describe() + ": a fused inference layer has no backward pass");
    }

    @Override
    public int[] outputShape(int[]... in) {
        int[] out = geometry.outputShape(in[0]);
        if (maxPool != null) {
            return maxPool.outputShape(out);
        }
        if (post.sum() && !java.util.Arrays.equals(in[1], out)) {
            throw new IllegalArgumentException(describe() + ": residual " + java.util.Arrays.toString(in[1]) + " is not the output's shape "
                    + java.util.Arrays.toString(out));
        }
        return out;
    }

    @Override
    public long macs(int[][] in, int[] out) {
        return geometry.macs(out);
    }

    @Override
    public LayerConfig config() {
        throw new IllegalArgumentException("network description: " + describe() + " is an inference copy; save the original network");
    }

    @Override
    protected Module newReplica() {
        return new FusedConv2d(geometry, weight, bias, post, folded, bf16, maxPool);
    }

    @Override
    public String describe() {
        return (bf16 ? "bf16 " : "") + geometry + ")" + folded + post + (maxPool == null ? "" : " + " + maxPool.describe());
    }

    @Override
    public void close() {
        super.close();
        release(output, unpooled);
    }
}

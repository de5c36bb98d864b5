package org.cnn4j.quant;

import java.util.List;
import org.cnn4j.backend.Backends;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.kernels.Bf16Ops;
import org.cnn4j.nn.ConvGeometry;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.Parameter;
import org.cnn4j.nn.fuse.FusedConv2d;
import org.cnn4j.nn.fuse.PostOps;
import org.cnn4j.tensor.Tensor;

/**
 * A fused inference convolution computed in bf16: input and weights rounded to bf16, f32 accumulation, bias,
 * residual sum and ReLU in f32. It takes over the frozen weights of the {@link FusedConv2d} it replaces.
 */
final class Bf16Conv2d extends Module {
    private final ConvGeometry geometry;
    private final Parameter weight, bias;
    private final PostOps post;
    private final String described;
    private Conv2dSpec spec;
    private Tensor output;

    Bf16Conv2d(FusedConv2d c) {
        this.geometry = c.geometry();
        this.weight = c.namedParameters().get("weight");
        this.bias = c.namedParameters().get("bias");
        this.post = c.postOps();
        this.described = "bf16 " + c.describe();
        eval();
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
        if (!acceptsInputs(in.length)) {
            throw new IllegalArgumentException(describe() + ": takes " + expectedInputs() + ", got " + in.length + " inputs");
        }
        Tensor x = in[0];
        if (x.rank() != 4 || x.dim(1) != geometry.in()) {
            throw new IllegalArgumentException(describe() + ": input must be [N, " + geometry.in() + ", H, W], got " + x.shape());
        }
        if (spec == null || spec.n() != x.dim(0) || spec.h() != x.dim(2) || spec.w() != x.dim(3)) {
            spec = geometry.spec(x.dim(0), x.dim(2), x.dim(3));
        }
        output = ensure(output, Backends.current().activationLayout(), spec.outputDims());
        Bf16Ops.conv2d(spec, x, weight.value(), bias.value(), post.sum() ? in[1] : null, post.relu(), output);
        return output;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        throw new UnsupportedOperationException(describe() + ": a bf16 inference layer has no backward pass");
    }

    @Override
    public int[] outputShape(int[]... in) {
        return geometry.outputShape(in[0]);
    }

    @Override
    public long macs(int[][] in, int[] out) {
        return geometry.macs(out);
    }

    @Override
    public String describe() {
        return described;
    }

    @Override
    public void close() {
        super.close();
        release(output);
    }
}

package org.cnn4j.quant;

import java.util.List;
import java.util.Map;
import org.cnn4j.backend.Backends;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.kernels.QuantizedOps;
import org.cnn4j.nn.ConvGeometry;
import org.cnn4j.nn.fuse.PostOps;
import org.cnn4j.tensor.Int8Tensor;
import org.cnn4j.tensor.Int8Weights;
import org.cnn4j.tensor.Tensor;

/**
 * A fused convolution (batch norm folded, ReLU and residual sum as post-ops) in int8: s8 weights with one scale
 * per output channel, f32 bias, requantised to its output's scale, or f32 when it is the network's output.
 */
final class Int8ConvStep extends QuantizedStep {
    private final ConvGeometry geometry;
    private final Int8Weights weight;
    private final Tensor bias;
    private final PostOps post;
    private final ValueScale out;
    private Conv2dSpec spec;

    /** {@code out} null: an f32 output (only without a residual sum). */
    Int8ConvStep(String name, List<String> inputs, ConvGeometry geometry, Int8Weights weight, Tensor bias, PostOps post, ValueScale out) {
        super(name, inputs);
        if (out == null && post.sum()) {
            throw new IllegalArgumentException("quantization: " + name + ": a residual sum needs an int8 output");
        }
        this.geometry = geometry;
        this.weight = weight;
        this.bias = bias;
        this.post = post;
        this.out = out;
    }

    @Override
    boolean int8Input(int i) {
        return true;
    }

    @Override
    Object run(Object[] in) {
        Int8Tensor x = (Int8Tensor) in[0];
        if (x.rank() != 4 || x.dim(1) != geometry.in()) {
            throw new IllegalArgumentException("quantized " + name + ": input must be [N, " + geometry.in() + ", H, W], got "
                    + java.util.Arrays.toString(x.dims()));
        }
        if (spec == null || spec.n() != x.dim(0) || spec.h() != x.dim(2) || spec.w() != x.dim(3)) {
            spec = geometry.spec(x.dim(0), x.dim(2), x.dim(3));
        }
        if (out == null) {
            Tensor y = floatOutput(Backends.current().activationLayout(), spec.outputDims());
            QuantizedOps.conv2dToFloat(spec, x, weight, bias, post.relu(), y);
            return y;
        }
        Int8Tensor y = int8Output(out.unsigned(), out.scale(), spec.outputDims());
        QuantizedOps.conv2d(spec, x, weight, bias, post.sum() ? (Int8Tensor) in[1] : null, post.relu(), y);
        return y;
    }

    @Override
    Map<String, Int8Weights> int8Tensors() {
        return Map.of(name + ".weight", weight);
    }

    @Override
    Map<String, Tensor> floatTensors() {
        return Map.of(name + ".bias", bias);
    }

    @Override
    String describe() {
        return "int8 conv " + geometry + post + " -> " + (out == null ? "f32" : (out.unsigned() ? "u8" : "s8") + " x " + out.scale());
    }

    @Override
    public void close() {
        super.close();
        bias.close();
    }
}

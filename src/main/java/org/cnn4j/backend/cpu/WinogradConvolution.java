package org.cnn4j.backend.cpu;

import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.backend.ConvAlgorithm;
import org.cnn4j.backend.ConvDirection;
import org.cnn4j.tensor.Tensor;

/**
 * Winograd F(2x2,3x3) or F(4x4,3x3) on channels-last data (AVX-512/AVX2/scalar), in all three directions
 * (backward-weights is the forward's adjoint in the filter); the transformed filter is cached per weight
 * array. Only 3x3 kernels with stride 1, dilation 1 and one group. Accuracy per tile size: docs/winograd.md.
 */
final class WinogradConvolution implements ConvImplementation {
    private final int tile;

    /** {@code tile} 2 for F(2x2,3x3), 4 for F(4x4,3x3). */
    WinogradConvolution(int tile) {
        if (tile != 2 && tile != 4) {
            throw new IllegalArgumentException("Winograd: output tile must be 2 or 4, got " + tile);
        }
        this.tile = tile;
    }

    @Override
    public ConvAlgorithm algorithm() {
        return tile == 2 ? ConvAlgorithm.WINOGRAD_2X2_3X3 : ConvAlgorithm.WINOGRAD_4X4_3X3;
    }

    @Override
    public String whyNot(ConvDirection direction, Conv2dSpec spec) {
        if (spec.kh() != 3 || spec.kw() != 3) {
            return "needs a 3x3 kernel, got " + spec.kh() + "x" + spec.kw();
        }
        if (spec.strideH() != 1 || spec.strideW() != 1) {
            return "needs stride 1, got " + spec.strideH() + "x" + spec.strideW();
        }
        if (spec.dilationH() != 1 || spec.dilationW() != 1) {
            return "needs dilation 1, got " + spec.dilationH() + "x" + spec.dilationW();
        }
        if (spec.groups() != 1) {
            return "needs one group, got " + spec.groups();
        }
        return null;
    }

    @Override
    public void forward(Conv2dSpec spec, Tensor input, Tensor weight, Tensor bias, Tensor residual, boolean relu, Tensor output) {
        // the residual is taken channels-last before the kernel writes (a view when it is NHWC)
        try (Tensor x = ChannelsLast.of(input); Tensor r = residual == null ? null : ChannelsLast.of(residual);
             Tensor y = ChannelsLast.output(output)) {
            NativeStatus.check(NativeKernels.cnn4j_conv2d_winograd_forward(tile, NativeBackend.geometry(spec), x.buffer(), weight.buffer(),
                    weight.frozenId(), ChannelsLast.buffer(bias), ChannelsLast.buffer(r), y.buffer(), relu ? 1 : 0),
                    NativeConvolution.forwardOpName(residual, relu));
            ChannelsLast.copyBack(y, output);
        }
    }

    @Override
    public void backwardData(Conv2dSpec spec, Tensor gradOutput, Tensor weight, Tensor gradInput) {
        try (Tensor dy = ChannelsLast.of(gradOutput); Tensor dx = ChannelsLast.output(gradInput)) {
            NativeStatus.check(NativeKernels.cnn4j_conv2d_winograd_backward_data(tile, NativeBackend.geometry(spec), dy.buffer(),
                    weight.buffer(), weight.frozenId(), dx.buffer()), "conv2d backward data");
            ChannelsLast.copyBack(dx, gradInput);
        }
    }

    @Override
    public void backwardWeights(Conv2dSpec spec, Tensor input, Tensor gradOutput, Tensor gradWeight, Tensor gradBias) {
        try (Tensor x = ChannelsLast.of(input); Tensor dy = ChannelsLast.of(gradOutput)) {
            NativeStatus.check(NativeKernels.cnn4j_conv2d_winograd_backward_weights(tile, NativeBackend.geometry(spec), x.buffer(),
                    dy.buffer(), gradWeight.buffer(), ChannelsLast.buffer(gradBias)), "conv2d backward weights");
        }
    }
}

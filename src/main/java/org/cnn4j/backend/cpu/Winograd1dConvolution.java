package org.cnn4j.backend.cpu;

import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.backend.ConvAlgorithm;
import org.cnn4j.backend.ConvDirection;
import org.cnn4j.tensor.Tensor;

/**
 * Winograd F(4,3) or F(6,3) for 1-D signals (a batch [N, C, 1, L], filters [K, C, 1, 3]) on channels-last
 * data (AVX-512/AVX2/scalar), in all three directions (backward-weights is the forward's adjoint in the
 * filter); the transformed filter is cached per weight array, as for {@link WinogradConvolution}. Only
 * height-1 inputs with 1x3 kernels, no vertical padding, stride 1, dilation 1 and one group; any left and
 * right padding (causal: 2 and 0). Accuracy per tile size: docs/winograd.md, "1-D".
 */
final class Winograd1dConvolution implements ConvImplementation {
    private final int tile;

    /** {@code tile} 4 for F(4,3), 6 for F(6,3). */
    Winograd1dConvolution(int tile) {
        if (tile != 4 && tile != 6) {
            throw new IllegalArgumentException("Winograd 1-D: output tile must be 4 or 6, got " + tile);
        }
        this.tile = tile;
    }

    @Override
    public ConvAlgorithm algorithm() {
        return tile == 4 ? ConvAlgorithm.WINOGRAD_1D_F4_3 : ConvAlgorithm.WINOGRAD_1D_F6_3;
    }

    @Override
    public String whyNot(ConvDirection direction, Conv2dSpec spec) {
        if (spec.h() != 1) {
            return "needs a 1-D signal (input height 1), got height " + spec.h();
        }
        if (spec.kh() != 1 || spec.kw() != 3) {
            return "needs a 1x3 kernel, got " + spec.kh() + "x" + spec.kw();
        }
        if (spec.padTop() != 0 || spec.padBottom() != 0) {
            return "needs no vertical padding, got top=" + spec.padTop() + " bottom=" + spec.padBottom();
        }
        if (spec.strideW() != 1) {
            return "needs stride 1, got " + spec.strideW();
        }
        if (spec.dilationW() != 1) {
            return "needs dilation 1, got " + spec.dilationW();
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
            NativeStatus.check(NativeKernels.cnn4j_conv1d_winograd_forward(tile, NativeBackend.geometry(spec), x.buffer(), weight.buffer(),
                    weight.frozenId(), ChannelsLast.buffer(bias), ChannelsLast.buffer(r), y.buffer(), relu ? 1 : 0),
                    NativeConvolution.forwardOpName(residual, relu));
            ChannelsLast.copyBack(y, output);
        }
    }

    @Override
    public void backwardData(Conv2dSpec spec, Tensor gradOutput, Tensor weight, Tensor gradInput) {
        try (Tensor dy = ChannelsLast.of(gradOutput); Tensor dx = ChannelsLast.output(gradInput)) {
            NativeStatus.check(NativeKernels.cnn4j_conv1d_winograd_backward_data(tile, NativeBackend.geometry(spec), dy.buffer(),
                    weight.buffer(), weight.frozenId(), dx.buffer()), "conv2d backward data");
            ChannelsLast.copyBack(dx, gradInput);
        }
    }

    @Override
    public void backwardWeights(Conv2dSpec spec, Tensor input, Tensor gradOutput, Tensor gradWeight, Tensor gradBias) {
        try (Tensor x = ChannelsLast.of(input); Tensor dy = ChannelsLast.of(gradOutput)) {
            NativeStatus.check(NativeKernels.cnn4j_conv1d_winograd_backward_weights(tile, NativeBackend.geometry(spec), x.buffer(),
                    dy.buffer(), gradWeight.buffer(), ChannelsLast.buffer(gradBias)), "conv2d backward weights");
        }
    }
}

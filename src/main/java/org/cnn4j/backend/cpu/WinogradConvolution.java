package org.cnn4j.backend.cpu;

import java.nio.FloatBuffer;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.backend.ConvAlgorithm;
import org.cnn4j.backend.ConvDirection;
import org.cnn4j.tensor.Tensor;

/**
 * Winograd convolution on channels-last data (AVX-512/AVX2/scalar) in all three directions (backward-weights is
 * the forward's adjoint in the filter), the transformed filter cached per weight array: F(2x2,3x3) and F(4x4,3x3)
 * for 3x3 kernels, and for 1-D signals [N, C, 1, L] F(4,3) and F(6,3) for 1x3 kernels with any left and right
 * padding (causal: 2 and 0) and none vertically. Stride 1, dilation 1 and one group only. Accuracy per tile
 * size: docs/winograd.md.
 */
final class WinogradConvolution implements ConvImplementation {
    private final ConvAlgorithm algorithm;
    /** Outputs per tile along a dimension: 2 or 4 for the 2-D algorithms, 4 or 6 for the 1-D ones. */
    private final int tile;

    WinogradConvolution(ConvAlgorithm algorithm) {
        this.algorithm = algorithm;
        this.tile = switch (algorithm) {
            case WINOGRAD_2X2_3X3 -> 2;
            case WINOGRAD_4X4_3X3, WINOGRAD_1D_F4_3 -> 4;
            case WINOGRAD_1D_F6_3 -> 6;
            default -> throw new IllegalArgumentException("Winograd: " + algorithm + " is not a Winograd algorithm");
        };
    }

    @Override
    public ConvAlgorithm algorithm() {
        return algorithm;
    }

    private boolean overSignals() {
        return algorithm == ConvAlgorithm.WINOGRAD_1D_F4_3 || algorithm == ConvAlgorithm.WINOGRAD_1D_F6_3;
    }

    @Override
    public String whyNot(ConvDirection direction, Conv2dSpec spec) {
        if (overSignals()) {
            if (spec.h() != 1) {
                return "needs a 1-D signal (input height 1), got height " + spec.h();
            }
            if (spec.kh() != 1 || spec.kw() != 3) {
                return "needs a 1x3 kernel, got " + spec.kh() + "x" + spec.kw();
            }
            if (spec.padTop() != 0 || spec.padBottom() != 0) {
                return "needs no vertical padding, got top=" + spec.padTop() + " bottom=" + spec.padBottom();
            }
        } else if (spec.kh() != 3 || spec.kw() != 3) {
            return "needs a 3x3 kernel, got " + spec.kh() + "x" + spec.kw();
        }
        // a signal's height is 1, so its vertical stride and dilation do not matter
        if (spec.strideW() != 1 || spec.strideH() != 1 && !overSignals()) {
            return overSignals() ? "needs stride 1, got " + spec.strideW() : "needs stride 1, got " + spec.strideH() + "x" + spec.strideW();
        }
        if (spec.dilationW() != 1 || spec.dilationH() != 1 && !overSignals()) {
            return overSignals() ? "needs dilation 1, got " + spec.dilationW()
                    : "needs dilation 1, got " + spec.dilationH() + "x" + spec.dilationW();
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
            int[] g = NativeBackend.geometry(spec);
            FloatBuffer b = ChannelsLast.buffer(bias), res = ChannelsLast.buffer(r);
            int fused = relu ? 1 : 0;
            NativeStatus.check(overSignals()
                    ? NativeKernels.cnn4j_conv1d_winograd_forward(tile, g, x.buffer(), weight.buffer(), weight.frozenId(), b, res, y.buffer(), fused)
                    : NativeKernels.cnn4j_conv2d_winograd_forward(tile, g, x.buffer(), weight.buffer(), weight.frozenId(), b, res, y.buffer(), fused),
                    NativeConvolution.forwardOpName(residual, relu));
            ChannelsLast.copyBack(y, output);
        }
    }

    /** Whether {@link #forwardMaxPool} can run: the 2-D algorithms, whose tiles (2 or 4 wide) hold whole 2x2 windows. */
    boolean poolsInEpilogue() {
        return !overSignals();
    }

    /** {@link #forward} without a residual, then 2x2 stride-2 max pooling in the output transform: only the pooled map is written. */
    void forwardMaxPool(Conv2dSpec spec, Tensor input, Tensor weight, Tensor bias, boolean relu, Tensor pooled) {
        try (Tensor x = ChannelsLast.of(input); Tensor y = ChannelsLast.output(pooled)) {
            NativeStatus.check(NativeKernels.cnn4j_conv2d_winograd_forward_max_pool(tile, NativeBackend.geometry(spec), x.buffer(),
                    weight.buffer(), weight.frozenId(), ChannelsLast.buffer(bias), y.buffer(), relu ? 1 : 0),
                    relu ? "conv2d forward + relu + max pool" : "conv2d forward + max pool");
            ChannelsLast.copyBack(y, pooled);
        }
    }

    @Override
    public void backwardData(Conv2dSpec spec, Tensor gradOutput, Tensor weight, Tensor gradInput) {
        try (Tensor dy = ChannelsLast.of(gradOutput); Tensor dx = ChannelsLast.output(gradInput)) {
            int[] g = NativeBackend.geometry(spec);
            NativeStatus.check(overSignals()
                    ? NativeKernels.cnn4j_conv1d_winograd_backward_data(tile, g, dy.buffer(), weight.buffer(), weight.frozenId(), dx.buffer())
                    : NativeKernels.cnn4j_conv2d_winograd_backward_data(tile, g, dy.buffer(), weight.buffer(), weight.frozenId(), dx.buffer()),
                    "conv2d backward data");
            ChannelsLast.copyBack(dx, gradInput);
        }
    }

    @Override
    public void backwardWeights(Conv2dSpec spec, Tensor input, Tensor gradOutput, Tensor gradWeight, Tensor gradBias) {
        try (Tensor x = ChannelsLast.of(input); Tensor dy = ChannelsLast.of(gradOutput)) {
            int[] g = NativeBackend.geometry(spec);
            FloatBuffer db = ChannelsLast.buffer(gradBias);
            NativeStatus.check(overSignals()
                    ? NativeKernels.cnn4j_conv1d_winograd_backward_weights(tile, g, x.buffer(), dy.buffer(), gradWeight.buffer(), db)
                    : NativeKernels.cnn4j_conv2d_winograd_backward_weights(tile, g, x.buffer(), dy.buffer(), gradWeight.buffer(), db),
                    "conv2d backward weights");
        }
    }
}

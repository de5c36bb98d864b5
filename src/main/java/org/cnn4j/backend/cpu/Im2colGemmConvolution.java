package org.cnn4j.backend.cpu;

import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.backend.ConvAlgorithm;
import org.cnn4j.backend.ConvDirection;
import org.cnn4j.tensor.Tensor;

/**
 * Our channels-last im2col packing (AVX-512/AVX2/scalar) and SGEMM (OpenBLAS or ours); 1x1 stride-1
 * convolutions skip im2col. Runs every shape; AUTO leaves it to AUTOTUNE and explicit requests.
 */
final class Im2colGemmConvolution implements ConvImplementation {

    @Override
    public ConvAlgorithm algorithm() {
        return ConvAlgorithm.IM2COL_GEMM;
    }

    @Override
    public String whyNot(ConvDirection direction, Conv2dSpec spec) {
        return null;
    }

    @Override
    public void forward(Conv2dSpec spec, Tensor input, Tensor weight, Tensor bias, Tensor residual, boolean relu, Tensor output) {
        // the residual is taken channels-last before the kernel writes (a view when it is NHWC)
        try (Tensor x = ChannelsLast.of(input); Tensor r = residual == null ? null : ChannelsLast.of(residual);
             Tensor y = ChannelsLast.output(output)) {
            NativeStatus.check(NativeKernels.cnn4j_conv2d_im2col_forward(NativeBackend.geometry(spec), x.buffer(), weight.buffer(),
                    ChannelsLast.buffer(bias), ChannelsLast.buffer(r), y.buffer(), relu ? 1 : 0), NativeConvolution.forwardOpName(residual, relu));
            ChannelsLast.copyBack(y, output);
        }
    }

    @Override
    public void backwardData(Conv2dSpec spec, Tensor gradOutput, Tensor weight, Tensor gradInput) {
        try (Tensor dy = ChannelsLast.of(gradOutput); Tensor dx = ChannelsLast.output(gradInput)) {
            NativeStatus.check(NativeKernels.cnn4j_conv2d_im2col_backward_data(NativeBackend.geometry(spec), dy.buffer(), weight.buffer(),
                    dx.buffer()), "conv2d backward data");
            ChannelsLast.copyBack(dx, gradInput);
        }
    }

    @Override
    public void backwardWeights(Conv2dSpec spec, Tensor input, Tensor gradOutput, Tensor gradWeight, Tensor gradBias) {
        try (Tensor x = ChannelsLast.of(input); Tensor dy = ChannelsLast.of(gradOutput)) {
            NativeStatus.check(NativeKernels.cnn4j_conv2d_im2col_backward_weights(NativeBackend.geometry(spec), x.buffer(), dy.buffer(),
                    gradWeight.buffer(), ChannelsLast.buffer(gradBias)), "conv2d backward weights");
        }
    }
}

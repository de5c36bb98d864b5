package org.cnn4j.backend.cpu;

import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.backend.ConvAlgorithm;
import org.cnn4j.backend.ConvDirection;
import org.cnn4j.tensor.Tensor;

/**
 * oneDNN convolution primitives (created with format_tag::any, cached by shape), which read NCHW or NHWC
 * buffers as they are. oneDNN's backward-weights of a strided 1x1 layer with a channels-last source of fewer
 * than 16 channels corrupts the heap (oneDNN issue 6035): conv_onednn.cpp then reads the buffers through
 * oneDNN's own blocked layout ({@code hits_onednn_issue_6035}), so that such calls still run oneDNN and
 * reports that name oneDNN name what ran.
 */
final class OnednnConvolution implements ConvImplementation {

    @Override
    public ConvAlgorithm algorithm() {
        return ConvAlgorithm.ONEDNN;
    }

    @Override
    public String whyNot(ConvDirection direction, Conv2dSpec spec) {
        return null;
    }

    @Override
    public void forward(Conv2dSpec spec, Tensor input, Tensor weight, Tensor bias, Tensor residual, boolean relu, Tensor output) {
        NativeStatus.check(NativeKernels.cnn4j_conv2d_onednn_forward(NativeBackend.geometry(spec), ChannelsLast.flag(input),
                input.buffer(), weight.buffer(), weight.frozenId(), ChannelsLast.buffer(bias),
                residual == null ? 0 : ChannelsLast.flag(residual), ChannelsLast.buffer(residual), ChannelsLast.flag(output),
                output.buffer(), relu ? 1 : 0), NativeConvolution.forwardOpName(residual, relu));
    }

    @Override
    public void backwardData(Conv2dSpec spec, Tensor gradOutput, Tensor weight, Tensor gradInput) {
        NativeStatus.check(NativeKernels.cnn4j_conv2d_onednn_backward_data(NativeBackend.geometry(spec), ChannelsLast.flag(gradOutput),
                gradOutput.buffer(), weight.buffer(), weight.frozenId(), ChannelsLast.flag(gradInput), gradInput.buffer()),
                "conv2d backward data");
    }

    @Override
    public void backwardWeights(Conv2dSpec spec, Tensor input, Tensor gradOutput, Tensor gradWeight, Tensor gradBias) {
        NativeStatus.check(NativeKernels.cnn4j_conv2d_onednn_backward_weights(NativeBackend.geometry(spec), ChannelsLast.flag(input),
                input.buffer(), ChannelsLast.flag(gradOutput), gradOutput.buffer(), gradWeight.buffer(), ChannelsLast.buffer(gradBias)),
                "conv2d backward weights");
    }
}

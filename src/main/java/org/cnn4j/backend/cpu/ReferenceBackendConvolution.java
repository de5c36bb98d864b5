package org.cnn4j.backend.cpu;

import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.backend.ConvAlgorithm;
import org.cnn4j.backend.ConvDirection;
import org.cnn4j.backend.reference.ReferenceBackend;
import org.cnn4j.tensor.Tensor;

/** The pure-Java oracle's loops, on request (to compare against, never chosen by AUTO or AUTOTUNE). */
final class ReferenceBackendConvolution implements ConvImplementation {
    private final Backend reference = ReferenceBackend.INSTANCE;

    @Override
    public ConvAlgorithm algorithm() {
        return ConvAlgorithm.REFERENCE;
    }

    @Override
    public String whyNot(ConvDirection direction, Conv2dSpec spec) {
        return null;
    }

    @Override
    public void forward(Conv2dSpec spec, Tensor input, Tensor weight, Tensor bias, Tensor residual, boolean relu, Tensor output) {
        if (relu) {
            reference.conv2dForwardAddRelu(spec, input, weight, bias, residual, output);
        } else {
            reference.conv2dForward(spec, input, weight, bias, output);
        }
    }

    @Override
    public void backwardData(Conv2dSpec spec, Tensor gradOutput, Tensor weight, Tensor gradInput) {
        reference.conv2dBackwardData(spec, gradOutput, weight, gradInput);
    }

    @Override
    public void backwardWeights(Conv2dSpec spec, Tensor input, Tensor gradOutput, Tensor gradWeight, Tensor gradBias) {
        reference.conv2dBackwardWeights(spec, input, gradOutput, gradWeight, gradBias);
    }
}

package org.cnn4j.backend.cpu;

import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.backend.ConvAlgorithm;
import org.cnn4j.backend.ConvDirection;
import org.cnn4j.tensor.Tensor;

/**
 * One way to compute a convolution, in all three directions. {@link #whyNot} says whether it can run a shape;
 * the dispatch ({@link NativeConvolution}) asks before running it, so the run methods may assume it can.
 * Adding an algorithm is one implementation of this plus one place in {@link ConvImplementationList}.
 */
interface ConvImplementation {

    /** The algorithm this implements (what explicit requests, reports and autotune files name). */
    ConvAlgorithm algorithm();

    /** Null when this can compute {@code spec} in {@code direction}, else why not (for the exception of an explicit request). */
    String whyNot(ConvDirection direction, Conv2dSpec spec);

    /** The convolution plus bias, then {@code residual} added (may be null, may be the output) and ReLU when {@code relu}. */
    void forward(Conv2dSpec spec, Tensor input, Tensor weight, Tensor bias, Tensor residual, boolean relu, Tensor output);

    void backwardData(Conv2dSpec spec, Tensor gradOutput, Tensor weight, Tensor gradInput);

    void backwardWeights(Conv2dSpec spec, Tensor input, Tensor gradOutput, Tensor gradWeight, Tensor gradBias);
}

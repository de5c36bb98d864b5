package org.cnn4j.nn;

import org.cnn4j.tensor.Tensor;

/**
 * A module that can write its output over one of its inputs, which saves a copy when the graph knows
 * from its structure that nothing reads that input afterwards (a fused convolution's residual).
 */
public interface Overwriting {
    /** The position of the input this module may write over, or -1. */
    int overwritableInput();

    /** {@link Module#forward(Tensor...)}, free to write over input {@link #overwritableInput()}. */
    Tensor forwardOver(Tensor... inputs);
}

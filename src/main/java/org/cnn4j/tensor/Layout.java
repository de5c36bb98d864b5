package org.cnn4j.tensor;

/**
 * How a tensor's elements are ordered in memory. The logical shape is always given in the API's
 * order (NCHW for 4-D activations, OIHW for weights); the layout says how those elements are laid
 * out. Native kernels prefer channels-last ({@link #NHWC}); blocked layouts (nChw16c) would be added
 * here as further constants.
 */
public enum Layout {
    /** Row-major in the order of the shape (C order). The only layout for tensors that are not 4-D. */
    PLAIN,
    /** 4-D, row-major N, C, H, W: identical in memory to {@link #PLAIN}. */
    NCHW,
    /** 4-D, channels-last: memory order N, H, W, C while the shape stays [N, C, H, W]. */
    NHWC
}

package org.cnn4j.nn.fuse;

/**
 * What a fused convolution does after the convolution itself, in the same op, as oneDNN's post-ops:
 * add a residual input ({@code sum}) and/or apply a ReLU. The kernels add a residual only before a ReLU
 * (a ResNet block's end), so {@code sum} requires {@code relu}.
 */
public record PostOps(boolean sum, boolean relu) {
    public static final PostOps NONE = new PostOps(false, false);
    public static final PostOps RELU = new PostOps(false, true);
    public static final PostOps SUM_RELU = new PostOps(true, true);

    public PostOps {
        if (sum && !relu) {
            throw new IllegalArgumentException("PostOps: a residual sum is fused only before a ReLU");
        }
    }

    @Override
    public String toString() {
        return (sum ? " + residual" : "") + (relu ? " + ReLU" : "");
    }
}

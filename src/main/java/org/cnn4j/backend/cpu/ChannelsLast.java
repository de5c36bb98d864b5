package org.cnn4j.backend.cpu;

import java.nio.FloatBuffer;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Tensor;

/**
 * Channels-last views and copies for the kernels that read only NHWC (im2col+GEMM, Winograd): an NHWC
 * tensor is passed as it is, an NCHW one is converted (a reorder the caller avoids by passing NHWC tensors).
 */
final class ChannelsLast {
    private ChannelsLast() {
    }

    /** The tensor itself (a non-owning view) when already NHWC, else an NHWC copy. */
    static Tensor of(Tensor t) {
        return t.layout() == Layout.NHWC ? t.narrow(0, t.dim(0)) : t.toLayout(Layout.NHWC);
    }

    /** Where to write an output: the tensor itself when NHWC, else a scratch NHWC tensor for {@link #copyBack}. */
    static Tensor output(Tensor t) {
        return t.layout() == Layout.NHWC ? t.narrow(0, t.dim(0)) : Tensor.zeros(t.shape(), Layout.NHWC);
    }

    /** Copies what a kernel wrote into {@link #output}'s scratch tensor to the target, when it was one. */
    static void copyBack(Tensor scratch, Tensor target) {
        if (target.layout() != Layout.NHWC) {
            target.copyFrom(scratch);
        }
    }

    /** The C ABI's layout flag: 1 for NHWC, 0 for NCHW. */
    static int flag(Tensor t) {
        return t.layout() == Layout.NHWC ? 1 : 0;
    }

    /** The tensor's buffer, or null for an absent optional tensor. */
    static FloatBuffer buffer(Tensor t) {
        return t == null ? null : t.buffer();
    }
}

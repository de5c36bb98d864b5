package org.cnn4j.filters;

import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.kernels.Convolution;
import org.cnn4j.tensor.Tensor;

/** Applies an {@link ImageFilter} to every channel of an image batch [N, C, H, W] as one convolution. */
public final class Filtering {
    private Filtering() {
    }

    /**
     * A new tensor of the same shape: each channel convolved with the filter (a depthwise convolution,
     * groups = C), zero padding of half the kernel size so the size is kept.
     */
    public static Tensor apply(ImageFilter filter, Tensor images) {
        if (filter == null || images == null || images.rank() != 4) {
            throw new IllegalArgumentException("filter: need a filter and a 4-D image batch, got " + (images == null ? "null" : images.shape()));
        }
        int n = images.dim(0), c = images.dim(1), k = filter.size();
        Conv2dSpec spec = Conv2dSpec.of(n, c, images.dim(2), images.dim(3), c, k, 1, k / 2, 1, c);
        float[] one = filter.weights();
        float[] all = new float[c * one.length];
        for (int ch = 0; ch < c; ch++) {
            System.arraycopy(one, 0, all, ch * one.length, one.length);
        }
        try (Tensor w = Tensor.of(all, c, 1, k, k)) {
            Tensor out = Tensor.zeros(spec.outputDims());
            Convolution.forward(spec, images, w, null, out);
            return out;
        }
    }
}

package org.cnn4j.explain;

import java.util.Arrays;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Tensor;

/**
 * Which input pixels each position of a layer's feature maps can see: output row y sees input rows
 * {@code rowStart[y]..rowEnd[y]} and output column x sees columns {@code colStart[x]..colEnd[x]}
 * (inclusive, clipped to the image). Measured rather than derived from layer settings, so it holds
 * for any Sequential or Graph: one batch sets each input row, then each column, to a large value of
 * either sign and records which output rows and columns change. For stacks of convolutions and pools
 * the region is a rectangle and separable in rows and columns, so H + W probes of each sign suffice.
 */
public record ReceptiveField(int[] rowStart, int[] rowEnd, int[] colStart, int[] colEnd) {
    /** Large against normalised pixels (about -1..3) so even a weak path changes the output. */
    private static final float PROBE = 100f;
    /** Native kernels round batch items differently (vector tails, tiles): changes below this share of the largest are noise. */
    private static final double NOISE = 1e-4;

    /** The receptive field of {@code layer} for inputs of [channels, height, width]. */
    public static ReceptiveField measure(Module model, String layer, int channels, int height, int width) {
        int probes = 2 * (height + width), per = channels * height * width;
        float[] batch = new float[(probes + 1) * per];
        for (int p = 0; p < probes; p++) {
            float value = p < height + width ? PROBE : -PROBE;
            int line = p % (height + width), base = (p + 1) * per;
            for (int c = 0; c < channels; c++) {
                for (int y = 0; y < height; y++) {
                    for (int x = 0; x < width; x++) {
                        if (line < height ? y == line : x == line - height) {
                            batch[base + (c * height + y) * width + x] = value;
                        }
                    }
                }
            }
        }
        float[] out;
        int oc, oh, ow;
        try (Tensor probe = Tensor.of(batch, probes + 1, channels, height, width)) {
            Tensor maps = LayerOutput.featureMaps(model, layer, probe);
            oc = maps.dim(1);
            oh = maps.dim(2);
            ow = maps.dim(3);
            out = maps.toArray();
        }
        int outPer = oc * oh * ow;
        double largest = 0;
        for (int i = outPer; i < out.length; i++) {
            largest = Math.max(largest, Math.abs(out[i] - out[i % outPer]));
        }
        int[] rowStart = filled(oh, height), rowEnd = filled(oh, -1), colStart = filled(ow, width), colEnd = filled(ow, -1);
        for (int p = 0; p < probes; p++) {
            int line = p % (height + width), base = (p + 1) * outPer;
            for (int c = 0; c < oc; c++) {
                for (int y = 0; y < oh; y++) {
                    for (int x = 0; x < ow; x++) {
                        int i = (c * oh + y) * ow + x;
                        if (Math.abs(out[base + i] - out[i]) <= NOISE * largest) {
                            continue;
                        }
                        if (line < height) {
                            rowStart[y] = Math.min(rowStart[y], line);
                            rowEnd[y] = Math.max(rowEnd[y], line);
                        } else {
                            colStart[x] = Math.min(colStart[x], line - height);
                            colEnd[x] = Math.max(colEnd[x], line - height);
                        }
                    }
                }
            }
        }
        for (int y = 0; y < oh; y++) {
            requireSeen(layer, "row", y, rowEnd[y]);
        }
        for (int x = 0; x < ow; x++) {
            requireSeen(layer, "column", x, colEnd[x]);
        }
        return new ReceptiveField(rowStart, rowEnd, colStart, colEnd);
    }

    /** The largest extent in rows (the size of an unclipped region). */
    public int height() {
        return largestExtent(rowStart, rowEnd);
    }

    public int width() {
        return largestExtent(colStart, colEnd);
    }

    private static int largestExtent(int[] start, int[] end) {
        int m = 0;
        for (int i = 0; i < start.length; i++) {
            m = Math.max(m, end[i] - start[i] + 1);
        }
        return m;
    }

    private static int[] filled(int n, int value) {
        int[] a = new int[n];
        Arrays.fill(a, value);
        return a;
    }

    private static void requireSeen(String layer, String what, int index, int end) {
        if (end < 0) {
            throw new IllegalStateException("receptive field: no input " + what + " changes output " + what + " " + index
                    + " of layer '" + layer + "' (does the layer depend on the image?)");
        }
    }
}

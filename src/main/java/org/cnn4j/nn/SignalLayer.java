package org.cnn4j.nn;

import java.util.Arrays;

/**
 * A 1-D layer over a batch of signals [N, C, 1, L], an image one pixel high, that runs as its 2-D twin
 * (Conv1d as Conv2d with a 1 x k kernel, and so on): every 2-D kernel, fusion pass and quantiser
 * applies unchanged, and channels-last with H = 1 is channels-last 1-D with no reorder. Model files
 * keep the 1-D type and config; writers that know only 2-D layers (ONNX export) write
 * {@link #planarConfig()}, a valid 2-D op over H = 1.
 */
public interface SignalLayer {
    /** The config of the 2-D layer this one runs as (a {@link LayerRegistry} type such as "Conv2d"). */
    LayerConfig planarConfig();

    /**
     * {@code sample} when it is one signal [C, 1, L]; otherwise an IllegalArgumentException naming
     * {@code layer} and the shape.
     */
    static int[] requireSignal(String layer, int[] sample) {
        if (sample.length != 3 || sample[1] != 1) {
            throw new IllegalArgumentException(layer + ": expects a signal [C, 1, L] (an image one pixel high), got " + Arrays.toString(sample));
        }
        return sample;
    }

    /** As {@link #requireSignal(String, int[])} for a batch [N, C, 1, L]. */
    static void requireSignalBatch(String layer, org.cnn4j.tensor.Tensor x) {
        if (x.rank() != 4 || x.dim(2) != 1) {
            throw new IllegalArgumentException(layer + ": input must be a batch of signals [N, C, 1, L], got " + x.shape());
        }
    }
}

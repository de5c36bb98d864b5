package org.cnn4j.spark;

import java.util.Arrays;
import org.cnn4j.backend.Backends;
import org.cnn4j.kernels.Loss;
import org.cnn4j.nn.Graph;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.Predictor;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * What one JVM computes with the core alone: softmax probabilities (or a layer's output) of normalised
 * images in batches of {@code batch}, the last one padded with zero images, in the layout the core's
 * DataLoader uses. The reference Spark's outputs are compared with.
 */
final class SingleJvmPredictions {
    private SingleJvmPredictions() {
    }

    /** Row i: the class probabilities of image i of {@code images} ([n, c, h, w] values, normalised). */
    static float[][] probabilities(Module model, float[] images, int c, int h, int w, int batch) {
        int classes = -1;
        float[][] out = new float[images.length / (c * h * w)][];
        try (Predictor p = Predictor.of(model)) {
            for (int start = 0; start < out.length; start += batch) {
                try (Tensor x = batchOf(images, start, batch, c, h, w)) {
                    Tensor logits = p.forward(x);
                    classes = logits.dim(1);
                    try (Tensor probs = Tensor.zeros(logits.dims())) {
                        Loss.softmax(logits, probs);
                        float[] all = probs.toArray();
                        for (int i = start; i < Math.min(out.length, start + batch); i++) {
                            out[i] = Arrays.copyOfRange(all, (i - start) * classes, (i - start + 1) * classes);
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Row i: node {@code layer}'s output for image i, flattened. */
    static float[][] layerOutputs(Module model, String layer, float[] images, int c, int h, int w, int batch) {
        float[][] out = new float[images.length / (c * h * w)][];
        try (Predictor p = Predictor.of(Graph.of(model, "test").cut(layer))) {
            for (int start = 0; start < out.length; start += batch) {
                try (Tensor x = batchOf(images, start, batch, c, h, w)) {
                    float[] all = p.predict(x);
                    int per = all.length / batch;
                    for (int i = start; i < Math.min(out.length, start + batch); i++) {
                        out[i] = Arrays.copyOfRange(all, (i - start) * per, (i - start + 1) * per);
                    }
                }
            }
        }
        return out;
    }

    private static Tensor batchOf(float[] images, int start, int batch, int c, int h, int w) {
        int per = c * h * w;
        float[] values = new float[batch * per];
        System.arraycopy(images, start * per, values, 0, Math.min(batch * per, images.length - start * per));
        Tensor x = Tensor.zeros(Shape.of(batch, c, h, w), Backends.current().activationLayout());
        return x.copyFrom(values);
    }
}

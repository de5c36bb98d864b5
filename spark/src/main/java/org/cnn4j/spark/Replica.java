package org.cnn4j.spark;

import org.cnn4j.backend.Backends;
import org.cnn4j.nn.CrossEntropyLoss;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * A worker's copy of the network being trained, in training mode, with its loss and its batch tensors.
 * It holds no state between steps that matters: each step first overwrites its weights and buffers with
 * the driver's ({@link ModelState}), so any executor can run any step, and a re-run step computes what
 * the first attempt computed.
 */
final class Replica {
    private final Module model;
    private final CrossEntropyLoss loss = new CrossEntropyLoss();
    private final int channels, height, width;
    private Tensor images, labels;

    Replica(Module model, int channels, int height, int width) {
        this.model = model;
        this.channels = channels;
        this.height = height;
        this.width = width;
        model.train();
        model.setNeedsInputGrad(false); // nothing reads the gradient of the images
    }

    /**
     * One forward and backward pass from {@code state} on n images ({@code pixels}, normalised,
     * [n, c, h, w]) and their n class indices: the gradients and buffers it leaves, weighted by n.
     */
    GradientSum step(ModelState state, float[] pixels, float[] classes) {
        int n = classes.length;
        state.copyInto(model);
        if (images == null || images.dim(0) != n) { // a shard's last batch may be smaller
            if (images != null) {
                images.close();
                labels.close();
            }
            images = Tensor.zeros(Shape.of(n, channels, height, width), Backends.current().activationLayout()).detach();
            labels = Tensor.zeros(n).detach();
        }
        images.copyFrom(pixels);
        labels.copyFrom(classes);
        double meanLoss = loss.forward(model.forward(images), labels);
        model.backward(loss.gradient());
        return GradientSum.of(n, meanLoss, correct(loss.probabilities().toArray(), classes, n),
                model.namedParameters().values(), model.namedBuffers().values());
    }

    private static long correct(float[] probabilities, float[] classes, int n) {
        int k = probabilities.length / n;
        long correct = 0;
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int c = 1; c < k; c++) {
                best = probabilities[i * k + c] > probabilities[i * k + best] ? c : best;
            }
            correct += best == (int) classes[i] ? 1 : 0;
        }
        return correct;
    }
}

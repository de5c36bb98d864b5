package org.cnn4j.nn;

import org.cnn4j.kernels.Loss;
import org.cnn4j.tensor.Tensor;

/**
 * Softmax cross-entropy averaged over the batch, from logits [N, K] and class indices [N]. Keeps the
 * probabilities and the gradient with respect to the logits of its last call.
 */
public final class CrossEntropyLoss implements AutoCloseable {
    private Tensor probs, grad;

    /** The mean loss; afterwards {@link #probabilities()} and {@link #gradient()} belong to this batch. */
    public double forward(Tensor logits, Tensor targets) {
        probs = Module.ensure(probs, logits.dims());
        grad = Module.ensure(grad, logits.dims());
        return Loss.softmaxCrossEntropy(logits, targets, probs, grad);
    }

    public Tensor probabilities() {
        return probs;
    }

    /** d(mean loss)/d(logits) of the last call. */
    public Tensor gradient() {
        return grad;
    }

    @Override
    public void close() {
        Module.release(probs, grad);
    }
}

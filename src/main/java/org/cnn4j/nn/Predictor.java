package org.cnn4j.nn;

import org.cnn4j.tensor.Tensor;

/**
 * Runs inference with a model, for one thread at a time, like DJL's {@code Predictor}: a replica of the
 * network in evaluation mode with activations of its own and the model's weights themselves (the same
 * tensors, not a copy: a ResNet-50 predictor adds its activations, not another 100 MB). Give each request
 * thread its own predictor, or share a {@link PredictorPool}, and the model serves any number of threads,
 * each getting exactly what a single thread would get.
 *
 * <pre>{@code
 * Module model = InferenceFusion.fuse(ResNet.resnet18(3, 224, 224, 1000));
 * try (Predictor predictor = Predictor.of(model)) {   // one per thread
 *     float[] logits = predictor.predict(images);      // [N, 1000] in row order
 * }
 * }</pre>
 *
 * The model's weights are read, never written: do not train or close the model while its predictors run,
 * and close the predictors before the model. A predictor called by a second thread while the first is
 * inside throws {@link IllegalStateException}. Closing a predictor frees its activations only.
 */
public final class Predictor implements AutoCloseable {
    private final Module replica;
    private final CallGuard guard = new CallGuard();

    private Predictor(Module replica) {
        this.replica = replica;
    }

    /**
     * A predictor for {@code model} (a built-in layer, {@link Sequential} or {@link Graph} of them, or
     * a module that overrides {@link Module#newReplica}); the model itself is left as it is, whatever
     * its mode.
     */
    public static Predictor of(Module model) {
        if (model == null) {
            throw new IllegalArgumentException("Predictor: model is null");
        }
        Module replica = model.replica();
        replica.setNeedsInputGrad(false);
        return new Predictor(replica);
    }

    /**
     * The model's output for {@code input}. The tensor belongs to this predictor and holds the result
     * until its next call or close: read it (or copy it) before then.
     */
    public Tensor forward(Tensor input) {
        guard.enter(() -> "Predictor(" + replica.label() + ").forward");
        try {
            return replica.forward(input);
        } finally {
            guard.leave();
        }
    }

    /** The model's output for {@code input} as a new array, in logical (row, NCHW) order. */
    public float[] predict(Tensor input) {
        guard.enter(() -> "Predictor(" + replica.label() + ").predict");
        try {
            return replica.forward(input).toArray();
        } finally {
            guard.leave();
        }
    }

    @Override
    public void close() {
        replica.close();
    }
}

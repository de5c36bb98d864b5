package org.cnn4j.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Function;
import org.cnn4j.tensor.Tensor;

/**
 * A model that any number of threads may call at once: each call borrows an idle {@link Predictor}
 * (making one when all are busy, so the pool grows to the most calls that ever ran at once, and each
 * predictor keeps its activations warm for the next call) and gives it back. The predictors share the
 * model's weights. For a server's request threads:
 *
 * <pre>{@code
 * PredictorPool pool = new PredictorPool(InferenceFusion.fuse(model));  // one, shared by all threads
 * float[] logits = pool.predict(images);                               // from any thread
 * int best = pool.predict(images, out -> argmax(out));                 // or read the output in place
 * }</pre>
 *
 * Close the pool after its last call, and before the model.
 */
public final class PredictorPool implements AutoCloseable {
    private final Module model;
    private final ConcurrentLinkedDeque<Predictor> idle = new ConcurrentLinkedDeque<>();
    private final List<Predictor> made = new ArrayList<>();
    private volatile boolean closed;

    public PredictorPool(Module model) {
        if (model == null) {
            throw new IllegalArgumentException("PredictorPool: model is null");
        }
        this.model = model;
    }

    /**
     * {@code read} applied to the model's output for {@code input}; the output tensor is valid only inside
     * {@code read} (the predictor goes back to the pool after it).
     */
    public <T> T predict(Tensor input, Function<Tensor, T> read) {
        Predictor p = borrow();
        try {
            return read.apply(p.forward(input));
        } finally {
            idle.push(p);
        }
    }

    /** The model's output for {@code input} as a new array, in logical (row, NCHW) order. */
    public float[] predict(Tensor input) {
        return predict(input, Tensor::toArray);
    }

    /** How many predictors the pool has made: the most calls that ran at once. */
    public synchronized int size() {
        return made.size();
    }

    private Predictor borrow() {
        if (closed) {
            throw new IllegalStateException("PredictorPool: closed");
        }
        Predictor p = idle.poll();
        if (p != null) {
            return p;
        }
        p = Predictor.of(model);
        synchronized (this) {
            made.add(p);
        }
        return p;
    }

    /** Frees every predictor's activations (not the model). */
    @Override
    public synchronized void close() {
        closed = true;
        made.forEach(Predictor::close);
        made.clear();
        idle.clear();
    }
}

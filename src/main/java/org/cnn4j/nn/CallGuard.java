package org.cnn4j.nn;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Lets one thread at a time inside a call (a module's forward or backward, a predictor's forward), and
 * fails a second thread that comes in meanwhile instead of letting the two overwrite each other's
 * activations. One compare-and-set to enter and one write to leave: nothing next to a layer's work.
 */
final class CallGuard {
    private final AtomicReference<Thread> inside = new AtomicReference<>();

    /** Enters, or throws {@link IllegalStateException} naming {@code call} and both threads when another thread is inside. */
    void enter(Supplier<String> call) {
        Thread me = Thread.currentThread();
        Thread other = inside.compareAndExchange(null, me);
        if (other != null) {
            throw new IllegalStateException(call.get() + ": called on thread '" + me.getName() + "' while thread '" + other.getName()
                    + "' is inside it. A module keeps its activations between calls, so it serves one thread at a time: give each"
                    + " thread its own Predictor (Predictor.of(model)) or share a PredictorPool, which share the model's weights");
        }
    }

    void leave() {
        inside.set(null);
    }
}

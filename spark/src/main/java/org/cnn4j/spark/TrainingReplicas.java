package org.cnn4j.spark;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.cnn4j.io.ModelFile;

/**
 * The replicas an executor JVM keeps for a training run (by the SHA-256 of the model file it started
 * from): a task borrows an idle one, or builds one when every replica is busy, so an executor builds
 * as many as it runs tasks at once, once for the whole run, not once per step.
 */
final class TrainingReplicas {
    private static final Map<String, ConcurrentLinkedDeque<Replica>> IDLE = new ConcurrentHashMap<>();

    private TrainingReplicas() {
    }

    static Replica borrow(ShippedModel model) {
        Replica r = IDLE.computeIfAbsent(model.key(), k -> new ConcurrentLinkedDeque<>()).poll();
        if (r != null) {
            return r;
        }
        ModelFile.Saved saved = model.read();
        return new Replica(saved.model(), saved.channels(), saved.height(), saved.width());
    }

    static void giveBack(ShippedModel model, Replica replica) {
        IDLE.get(model.key()).push(replica);
    }
}

package org.cnn4j.spark;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The models an executor JVM has read, one per distinct model file (by its SHA-256), read once and then
 * shared by every task of the JVM: a stage of 1000 tasks reads the model once per executor, not once
 * per task. They stay for the life of the executor, which a Spark application's executors are.
 */
final class ExecutorModels {
    private static final Map<String, LoadedModel> MODELS = new ConcurrentHashMap<>();

    private ExecutorModels() {
    }

    static LoadedModel get(ShippedModel shipped) {
        return MODELS.computeIfAbsent(shipped.key(), k -> new LoadedModel(shipped.read()));
    }
}

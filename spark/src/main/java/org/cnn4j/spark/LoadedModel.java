package org.cnn4j.spark;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.cnn4j.io.ModelFile;
import org.cnn4j.nn.Graph;
import org.cnn4j.nn.PredictorPool;

/**
 * A model read on an executor, with the predictors its tasks share: one pool for the network's output
 * and one per layer asked for as an embedding (the network cut at that layer). The pools share the
 * model's weights; each concurrent task borrows a predictor with activations of its own.
 */
final class LoadedModel {
    private final ModelFile.Saved saved;
    private final PredictorPool outputs;
    private final Map<String, PredictorPool> layers = new ConcurrentHashMap<>();

    LoadedModel(ModelFile.Saved saved) {
        this.saved = saved;
        this.outputs = new PredictorPool(saved.model());
    }

    ModelFile.Saved saved() {
        return saved;
    }

    /** Predictors of the whole network. */
    PredictorPool outputs() {
        return outputs;
    }

    /** Predictors of the network from its input to {@code layer} (a node the driver checked exists). */
    PredictorPool layer(String layer) {
        return layers.computeIfAbsent(layer, l -> new PredictorPool(Graph.of(saved.model(), "embedding").cut(l)));
    }
}

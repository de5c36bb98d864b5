package org.cnn4j.spark;

import java.io.Serializable;
import java.util.Collection;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.Parameter;
import org.cnn4j.tensor.Tensor;

/**
 * A network's weights and buffers (batch-norm running statistics) as arrays, in the network's order of
 * {@code namedParameters()} and {@code namedBuffers()}: what the driver broadcasts before every step so
 * that each worker's replica starts the step from the same model.
 */
final class ModelState implements Serializable {
    private final float[][] parameters, buffers;

    private ModelState(float[][] parameters, float[][] buffers) {
        this.parameters = parameters;
        this.buffers = buffers;
    }

    static ModelState of(Module model) {
        return new ModelState(model.namedParameters().values().stream().map(p -> p.value().toArray()).toArray(float[][]::new),
                arrays(model.namedBuffers().values()));
    }

    /** Overwrites {@code replica}'s weights and buffers (a network of the same architecture) with these. */
    void copyInto(Module replica) {
        int i = 0;
        for (Parameter p : replica.namedParameters().values()) {
            p.value().copyFrom(parameters[i++]);
        }
        i = 0;
        for (Tensor b : replica.namedBuffers().values()) {
            b.copyFrom(buffers[i++]);
        }
    }

    static float[][] arrays(Collection<Tensor> tensors) {
        return tensors.stream().map(Tensor::toArray).toArray(float[][]::new);
    }
}

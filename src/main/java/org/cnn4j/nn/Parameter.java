package org.cnn4j.nn;

import org.cnn4j.tensor.Tensor;

/**
 * A learnable tensor of a module with its gradient. A frozen parameter gets no gradient and no update
 * (for feature extraction and fine-tuning). The gradient is allocated when first asked for, so a model
 * that only runs inference (an inference copy, a loaded model being explained) holds its weights once.
 */
public final class Parameter implements AutoCloseable {
    private final String name;
    private final Tensor value;
    private Tensor grad;
    private boolean frozen;

    public Parameter(String name, int... dims) {
        this.name = name;
        this.value = Tensor.zeros(dims).detach();
    }

    /** The name within its module, e.g. "weight". */
    public String name() {
        return name;
    }

    public Tensor value() {
        return value;
    }

    /** The gradient, zeros until a backward pass writes it. */
    public Tensor grad() {
        value.checkOpen("Parameter " + name + " grad");
        if (grad == null) {
            grad = Tensor.zeros(value.dims()).detach();
        }
        return grad;
    }

    public boolean isFrozen() {
        return frozen;
    }

    public void setFrozen(boolean frozen) {
        this.frozen = frozen;
    }

    @Override
    public void close() {
        value.close();
        if (grad != null) {
            grad.close();
        }
    }
}
